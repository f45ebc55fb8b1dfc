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
 * subset, or the IDX files of the data directory), each split optionally cut to a random subset stratified by class.
 *
 * @param train  the training samples
 * @param test   the test samples
 * @param source where the data came from and its sizes, for the provenance
 */
public record MnistInput(Dataset train, Dataset test, DataSource source) {

    /** The value of a {@code train-samples} or {@code test-samples} setting that means the whole split. */
    public static final int ALL = 0;

    /**
     * Loads the context's MNIST and keeps {@code trainSamples} training samples ({@value #ALL} for all of them),
     * drawn stratified by class from {@code seed}, and the whole test split.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     * @throws InvalidSettingException naming {@code trainSamples} when the data holds fewer training samples
     */
    public static MnistInput load(ExperimentContext context, int trainSamples, long seed) throws DataException {
        return load(context, trainSamples, ALL, seed);
    }

    /**
     * Loads the context's MNIST and keeps {@code trainSamples} training and {@code testSamples} test samples
     * ({@value #ALL} for all of a split), drawn stratified by class from {@code seed} and {@code seed + 1}.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     * @throws InvalidSettingException naming {@code trainSamples} or {@code testSamples} when the data holds fewer
     *     samples
     */
    public static MnistInput load(ExperimentContext context, int trainSamples, int testSamples, long seed)
            throws DataException {
        MnistData.Splits splits = context.mnist();
        checkSamples("trainSamples", trainSamples, splits.train().size(), "training");
        checkSamples("testSamples", testSamples, splits.test().size(), "test");
        Dataset train = cut(splits.train(), trainSamples, seed);
        Dataset test = cut(splits.test(), testSamples, seed + 1);
        String source = splits.source();
        if (train != splits.train()) {
            source += "; training set: a stratified random subset of " + trainSamples;
        }
        if (test != splits.test()) {
            source += "; test set: a stratified random subset of " + testSamples;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", train.size());
        sizes.put("test", test.size());
        return new MnistInput(train, test, new DataSource(source, sizes));
    }

    /** {@code n} samples of {@code data} drawn from {@code seed}, stratified by class; all of it for 0 or more. */
    public static Dataset cut(Dataset data, int n, long seed) {
        return n == ALL || n >= data.size() ? data : data.subset(n, seed);
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
        checkSamples("trainSamples", trainSamples, train.size(), "training");
        int size = trainSamples == ALL ? train.size() : trainSamples;
        for (int i = 0; i + 1 < batchSizes.length; i += 2) {
            Check.batchSize((String) batchSizes[i], (Integer) batchSizes[i + 1], size, train.name());
        }
    }

    private static void checkSamples(String setting, int samples, int available, String split) {
        if (samples < 0 || samples > available) {
            throw new InvalidSettingException(setting, samples, "an integer in [0, " + available + "] (the " + split
                    + " samples of the data; 0 for all of them)");
        }
    }
}
