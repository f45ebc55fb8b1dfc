package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MNIST training and test samples of an experiment: the context's data (the bundled subset, or the IDX files of
 * the data directory), each split optionally cut to a random subset stratified by class.
 *
 * @param train  the training samples
 * @param test   the test samples
 * @param source where they came from and their sizes, for the provenance
 */
public record MnistSubsets(Dataset train, Dataset test, DataSource source) {

    /** The value of a {@code train-samples} or {@code test-samples} setting that means the whole split. */
    public static final int ALL = 0;

    /**
     * Loads the context's MNIST, keeping {@code trainSamples} and {@code testSamples} of the splits ({@value #ALL},
     * or more than a split holds, for all of it), drawn from {@code seed}.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     */
    public static MnistSubsets load(ExperimentContext context, int trainSamples, int testSamples, long seed)
            throws DataException {
        MnistData.Splits splits = context.mnist();
        Dataset train = cut(splits.train(), trainSamples, seed);
        Dataset test = cut(splits.test(), testSamples, seed + 1);
        String source = splits.source();
        if (train.size() < splits.train().size() || test.size() < splits.test().size()) {
            source += "; stratified random subsets of " + train.size() + " training and " + test.size()
                    + " test samples";
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", train.size());
        sizes.put("test", test.size());
        return new MnistSubsets(train, test, new DataSource(source, sizes));
    }

    /** {@code n} samples of {@code data} drawn from {@code seed}, stratified by class; all of it for 0 or more. */
    public static Dataset cut(Dataset data, int n, long seed) {
        return n == ALL || n >= data.size() ? data : data.subset(n, seed);
    }
}
