package io.github.losslab.app.experiment;

import java.io.IOException;

/**
 * One experiment of the assignment, holding its immutable settings. Java callers construct one with settings of
 * their own (or a preset, {@code Settings.quick()}) and run it with an {@link ExperimentContext}; the command
 * line finds it through its {@link ExperimentType}.
 */
public interface Experiment {

    /** The name the command line knows, for example {@code fit-function}. */
    String name();

    /** One line saying what the experiment shows. */
    String description();

    /** The settings this experiment runs with. */
    Record settings();

    /**
     * Checks the settings against what only the run knows, such as the size of the data set a batch is drawn from,
     * before any experiment of the run starts (and by {@code losslab run --dry-run}). The default checks nothing.
     *
     * @throws io.github.losslab.app.config.InvalidSettingException naming the setting (its record component), the
     *                                                               value and what is allowed; the command line
     *                                                               reports it under the configuration key
     * @throws IOException when the data cannot be read
     */
    default void validate(ExperimentContext context) throws IOException {
    }

    /**
     * Runs the experiment, writing its files through {@link ExperimentContext#output()}. Models are created and
     * closed inside; nothing native outlives the call.
     */
    ExperimentResult run(ExperimentContext context) throws IOException;
}
