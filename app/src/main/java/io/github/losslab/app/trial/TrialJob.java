package io.github.losslab.app.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.experiment.Divergence;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.Progress;
import io.github.losslab.app.experiment.RunCancelledException;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.output.OutputWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The trials of one experiment that an engine is to run: the experiment, its context on the driver, the keys, and
 * the run in a form that travels to other processes ({@link #spec()}).
 */
public final class TrialJob {

    private final TrialExperiment<?, ?> experiment;
    private final ExperimentContext context;
    private final List<String> keys;
    private final Progress.TrialCounter counter;

    TrialJob(TrialExperiment<?, ?> experiment, ExperimentContext context, List<String> keys,
             Progress.TrialCounter counter) {
        this.experiment = experiment;
        this.context = context;
        this.keys = List.copyOf(keys);
        this.counter = counter;
    }

    /** The experiment's name. */
    public String experiment() {
        return experiment.name();
    }

    /** The keys of the trials to run, in order. */
    public List<String> keys() {
        return keys;
    }

    /** The index of a trial among all of the experiment's trials, from 0. */
    public int index(String key) {
        return experiment.trialKeys().indexOf(key);
    }

    /**
     * The run as other processes rebuild it: its resolved configuration and the data it reads.
     *
     * @throws IllegalStateException when the context was built without one (by Java code, not by a run)
     */
    public RunSpec spec() {
        return context.runSpec().orElseThrow(() -> new IllegalStateException("the " + experiment.name()
                + " experiment was started without a run specification; a remote engine needs one"));
    }

    /** Whether the run was asked to stop. */
    public boolean cancelled() {
        return context.progress().cancelled();
    }

    /**
     * @throws RunCancelledException when the run was asked to stop
     */
    public void checkCancelled() {
        context.progress().checkCancelled();
    }

    /** Runs one trial in this process, with its own progress and divergence record. */
    public TrialOutcome runHere(String key) {
        ExperimentContext trialContext = context.forTrial(context.progress().forTrial(counter));
        return run(experiment, key, trialContext, "this process");
    }

    /**
     * Runs one trial of {@code experiment} with {@code context} and says how it ended: its result as JSON, the
     * trainings that diverged, or the error it threw (the stack trace goes to the debug log).
     *
     * @throws RunCancelledException when the run was asked to stop
     */
    public static TrialOutcome run(TrialExperiment<?, ?> experiment, String key, ExperimentContext context,
                                   String worker) {
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        List<Divergence> divergences = new ArrayList<>();
        String result = null;
        String error = null;
        try {
            Object value = experiment.runTrial(key, context);
            result = OutputWriter.json().writeValueAsString(value);
            divergences.addAll(context.divergences());
        } catch (TrainingDivergedException e) {
            divergences.addAll(context.divergences());
            String model = context.progress().currentModel();
            divergences.add(Divergence.of(experiment.name(), model.isEmpty() ? "trial " + key : model, e));
        } catch (RunCancelledException e) {
            throw e;
        } catch (JsonProcessingException e) {
            error = "its result cannot be written as JSON: " + e.getOriginalMessage();
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            if (context.progress().cancelled()) {
                throw new RunCancelledException(describe(e));
            }
            org.apache.logging.log4j.LogManager.getLogger(TrialJob.class).debug("{}: trial {} failed",
                    experiment.name(), key, e);
            error = describe(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrialOutcome.Status status = error != null ? TrialOutcome.Status.FAILED
                : divergences.isEmpty() ? TrialOutcome.Status.COMPLETED : TrialOutcome.Status.DIVERGED;
        return new TrialOutcome(key, status, result, divergences, error, seconds, worker);
    }

    /** An error in a few words: its message, with its kind where the message alone would not say. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof java.io.IOException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
