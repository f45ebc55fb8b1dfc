package io.github.losslab.app.experiment;

import io.github.losslab.app.trial.SeedKey;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.trial.Trials;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * An experiment as a recipe: independent trials, then one reduce step. A trial (one training and its measurements)
 * is fully determined by the settings, its key and the run's root seed; it reads no other trial's state and returns
 * a plain value (a record of numbers, lists and maps) that is written as JSON into the experiment's
 * {@code trials/} directory as soon as it is done. The reduce step reads the trials' results only and writes the
 * figures, the CSV files and {@code summary.json}.
 *
 * <p>{@link #run} runs the trials that are not done yet on the context's engine (in this process, several at once,
 * or on Apache Spark), then reduces; a rerun with the same configuration ({@code --resume}) runs only the missing
 * trials.
 *
 * @param <S> the settings record
 * @param <R> the result of one trial
 */
public abstract class TrialExperiment<S extends Record, R> extends AbstractExperiment<S> {

    private final Class<R> resultType;

    protected TrialExperiment(ExperimentType<S> type, S settings, Class<R> resultType) {
        super(type, settings);
        this.resultType = Objects.requireNonNull(resultType, "resultType");
    }

    /**
     * The keys of the trials, in the order the reduce step reads them, computed from the settings alone: distinct
     * names of letters, digits and {@code . _ + = -} ({@code batch-64}, {@code seed-3}), which name the trials'
     * files.
     */
    public abstract List<String> trialKeys();

    /**
     * Runs one trial in {@code context}, whose {@link ExperimentContext#progress() progress} is the trial's: models
     * are created and closed inside, random numbers come from {@link ExperimentContext#random()} split in a fixed
     * order, and nothing is written to the output directory (the trial may run on another machine).
     *
     * @return the trial's result, which must survive a round trip through JSON
     */
    public abstract R runTrial(String key, ExperimentContext context) throws IOException;

    /**
     * Makes the experiment's figures, tables and {@code summary.json} from its trials' results, on the driver.
     * Trials that diverged are listed in {@code trials} and have no result unless they returned one.
     */
    public abstract ExperimentResult reduce(TrialResults<R> trials, ExperimentContext context) throws IOException;

    /**
     * The point and seed of one of this experiment's trial keys.
     *
     * @throws IllegalArgumentException naming the key and the experiment's trials when it is not one of them
     */
    protected final SeedKey seedKey(String key) {
        if (!trialKeys().contains(key)) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + name() + "; its trials are "
                    + trialKeys());
        }
        return SeedKey.parse(key);
    }

    /** The class of a trial's result, for reading it back. */
    public final Class<R> resultType() {
        return resultType;
    }

    @Override
    public final ExperimentResult run(ExperimentContext context) throws IOException {
        return reduce(Trials.run(this, context), context);
    }
}
