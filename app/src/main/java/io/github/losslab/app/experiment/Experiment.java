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
     * Runs the experiment, writing its files through {@link ExperimentContext#output()}. Models are created and
     * closed inside; nothing native outlives the call.
     */
    ExperimentResult run(ExperimentContext context) throws IOException;
}
