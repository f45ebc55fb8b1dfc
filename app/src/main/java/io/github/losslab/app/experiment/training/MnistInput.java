package io.github.losslab.app.experiment.training;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MNIST training and test sets an experiment uses, and where they came from: the context's data (the bundled
 * subset, or the IDX files of the data directory), with the training set optionally cut to a stratified random
 * subset.
 *
 * @param train  the training samples
 * @param test   the test samples, always all of the test split
 * @param source where the data came from and its sizes, for the provenance
 */
public record MnistInput(Dataset train, Dataset test, DataSource source) {

    /** The value of a {@code train-samples} setting that means the whole training split. */
    public static final int ALL = 0;

    /**
     * Loads the context's MNIST and keeps {@code trainSamples} training samples ({@value #ALL} for all of them),
     * drawn stratified by class from {@code seed}.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     * @throws InvalidSettingException naming {@code trainSamples} when the data holds fewer training samples
     */
    public static MnistInput load(ExperimentContext context, int trainSamples, long seed) throws DataException {
        MnistData.Splits splits = context.mnist();
        Dataset train = splits.train();
        String source = splits.source();
        checkTrainSamples(trainSamples, train.size());
        if (trainSamples != ALL && trainSamples != train.size()) {
            train = train.subset(trainSamples, seed);
            source += "; training set: a stratified random subset of " + trainSamples;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", train.size());
        sizes.put("test", splits.test().size());
        return new MnistInput(train, splits.test(), new DataSource(source, sizes));
    }

    /**
     * Checks, before a run, that the data holds {@code trainSamples} training samples and that every batch size
     * fits the training set an experiment will use.
     *
     * @param batchSizes pairs of a setting's name (its record component) and its value
     * @throws io.github.losslab.app.config.InvalidSettingException naming the first setting that does not fit
     * @throws DataException when the data cannot be read
     */
    public static void validate(ExperimentContext context, int trainSamples, Object... batchSizes)
            throws DataException {
        Dataset train = context.mnist().train();
        checkTrainSamples(trainSamples, train.size());
        int size = trainSamples == ALL ? train.size() : trainSamples;
        for (int i = 0; i + 1 < batchSizes.length; i += 2) {
            Check.batchSize((String) batchSizes[i], (Integer) batchSizes[i + 1], size, train.name());
        }
    }

    private static void checkTrainSamples(int trainSamples, int available) {
        if (trainSamples < 0 || trainSamples > available) {
            throw new InvalidSettingException("trainSamples", trainSamples, "an integer in [0, " + available
                    + "] (the training samples of the data; 0 for all of them)");
        }
    }
}
