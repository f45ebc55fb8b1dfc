package io.github.losslab.app.experiment.training;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.MnistData;
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
     * @throws IllegalArgumentException when more training samples are asked for than the data holds
     */
    public static MnistInput load(ExperimentContext context, int trainSamples, long seed) throws DataException {
        MnistData.Splits splits = context.mnist();
        Dataset train = splits.train();
        String source = splits.source();
        if (trainSamples != ALL && trainSamples != train.size()) {
            if (trainSamples > train.size()) {
                throw new IllegalArgumentException("train-samples is " + trainSamples + " but the training data ("
                        + source + ") holds " + train.size() + " samples; ask for at most " + train.size()
                        + ", or 0 for all of them");
            }
            train = train.subset(trainSamples, seed);
            source += "; training set: a stratified random subset of " + trainSamples;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", train.size());
        sizes.put("test", splits.test().size());
        return new MnistInput(train, splits.test(), new DataSource(source, sizes));
    }
}
