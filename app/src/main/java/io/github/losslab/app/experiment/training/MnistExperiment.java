package io.github.losslab.app.experiment.training;

import io.github.losslab.api.data.DataException;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentType;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * An experiment that trains on {@link MnistSettings#trainSamples()} MNIST training samples with one batch size:
 * it checks both against the data before the run and loads its data the same way.
 *
 * @param <S> the experiment's settings record
 * @param <R> the result of one of its trials
 */
public abstract class MnistExperiment<S extends Record & MnistSettings, R> extends TrialExperiment<S, R> {

    protected MnistExperiment(ExperimentType<S> type, S settings, Class<R> resultType) {
        super(type, settings, resultType);
    }

    /** Checks that the data holds the training samples and that the batch size fits them. */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.validate(context, settings.trainSamples(), "batchSize", settings.batchSize());
    }

    /**
     * Loads the training samples of the settings and the whole test split, the subset drawn from a seed of
     * {@code random}'s next split.
     */
    protected MnistInput loadData(ExperimentContext context, SplittableRandom random) throws DataException {
        return MnistInput.load(context, settings.trainSamples(), random.split().nextLong());
    }
}
