package io.github.losslab.spark;

import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.trial.TrialEngine;
import io.github.losslab.app.trial.TrialEngineProvider;

/**
 * Makes the {@code spark} engine known to losslab ({@code engine: spark}, {@code --engine spark}) when this module's
 * jar is on the class path; the app's own jar leaves Spark out.
 */
public final class SparkEngineProvider implements TrialEngineProvider {

    @Override
    public String name() {
        return SparkEngine.NAME;
    }

    /**
     * @throws ConfigException naming {@code spark-master} when Spark cannot start on it
     */
    @Override
    public TrialEngine open(LosslabConfig config) {
        try {
            return SparkEngine.open(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spark-master", e.getMessage());
        }
    }
}
