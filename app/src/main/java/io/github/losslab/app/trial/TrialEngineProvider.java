package io.github.losslab.app.trial;

import io.github.losslab.app.config.LosslabConfig;

/**
 * A trial engine that a module adds, listed in {@code META-INF/services/io.github.losslab.app.trial.TrialEngineProvider}
 * and chosen by name in configuration ({@code engine: spark}).
 */
public interface TrialEngineProvider {

    /** The name configuration uses. */
    String name();

    /**
     * Opens the engine for a run.
     *
     * @throws io.github.losslab.app.config.ConfigException naming the key of a setting it cannot use
     */
    TrialEngine open(LosslabConfig config);
}
