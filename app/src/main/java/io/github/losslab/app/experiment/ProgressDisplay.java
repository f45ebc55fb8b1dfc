package io.github.losslab.app.experiment;

/**
 * Shows the progress of a run: a bar on an interactive terminal, log lines otherwise, nothing with
 * {@code --quiet} (the implementations are in {@code io.github.losslab.app.progress}). Called on the training
 * thread, often: an implementation throttles what it shows and returns quickly.
 */
public interface ProgressDisplay {

    /** Shows nothing. */
    ProgressDisplay NONE = snapshot -> { };

    /** Experiment {@code index} (from 1) of {@code count} starts. */
    default void started(String experiment, int index, int count) {
    }

    /** An update; the display decides whether and when to show it. */
    void update(ProgressSnapshot snapshot);

    /** The experiment ended; {@code outcome} says how in a few words ({@code completed}, {@code failed}). */
    default void finished(String experiment, String outcome, double seconds) {
    }
}
