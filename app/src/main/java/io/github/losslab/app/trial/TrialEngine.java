package io.github.losslab.app.trial;

import java.util.function.Consumer;

/**
 * What runs the trials of an experiment: the built-in {@link LocalEngine}, or one that a module provides through
 * {@link TrialEngineProvider} (Apache Spark). An engine is opened once per run and closed at its end.
 */
public interface TrialEngine extends AutoCloseable {

    /** The engine's name in configuration ({@code engine: local}). */
    String name();

    /** The engine and where it runs, in words, for the log and the report ({@code local, 2 trials at once}). */
    String description();

    /**
     * Runs the job's trials and hands each outcome to {@code sink} on the driver as soon as it is there (the sink
     * may be called from several threads; it is thread-safe). A trial that throws comes back as a {@linkplain TrialOutcome.Status#FAILED failed} outcome; the
     * others go on.
     *
     * @throws io.github.losslab.app.experiment.RunCancelledException when the run was asked to stop; trials that
     *                                                                  finished before were handed to the sink
     */
    void run(TrialJob job, Consumer<TrialOutcome> sink);

    @Override
    default void close() {
    }
}
