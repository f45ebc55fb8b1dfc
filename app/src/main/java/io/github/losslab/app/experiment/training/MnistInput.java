package io.github.losslab.app.experiment.training;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.ImageDataset;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image training and test sets an experiment uses, and where they came from: the context's data (the bundled
 * MNIST subset, or the files of the data directory: MNIST's layout or CIFAR-10's), each split optionally cut to a
 * random subset stratified by class. The models take their input shape and number of classes from {@link #train()}.
 *
 * @param train   the training samples
 * @param test    the test samples
 * @param source  where the data came from and its sizes, for the provenance
 * @param dataset the data set, for its class names and the words of figure titles
 */
public record MnistInput(Dataset train, Dataset test, DataSource source, ImageDataset dataset) {

    /** The training samples in words for figure titles, for example {@code 8,000 MNIST digits}. */
    public String samples() {
        return dataset.samples(train.size());
    }


    /** The value of a {@code train-samples} or {@code test-samples} setting that means the whole split. */
    public static final int ALL = 0;

    private static final String MORE_DATA = "a data-dir with more samples";

    /**
     * How many samples one split will hold in a run, known before it starts, to check settings against.
     *
     * @param size the samples
     * @param data the split, for messages, for example {@code mnist-subset[test]} or
     *             {@code mnist-subset[test] cut by test-samples}
     * @param more where more samples would come from, for messages
     */
    public record SplitSize(int size, String data, String more) {

        /**
         * Checks a number of samples to be taken from this split: at least 1, at most its size.
         *
         * @throws InvalidSettingException naming the setting, the value, the limit and how to get more samples
         */
        public int samples(String setting, int value) {
            return Check.samples(setting, value, 1, size, data, more);
        }

        /**
         * Checks a batch size drawn from this split: at least 1, at most its size.
         *
         * @throws InvalidSettingException naming the setting, the value and the limit
         */
        public int batchSize(String setting, int value) {
            return Check.batchSize(setting, value, size, data);
        }

        /** {@link #batchSize} for each of a list of batch sizes. */
        public void batchSizes(String setting, List<Integer> values) {
            for (int value : values) {
                batchSize(setting, value);
            }
        }
    }

    /** The sizes the training and the test split will have. */
    public record Sizes(SplitSize train, SplitSize test) {
    }

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
        size(splits.train(), "trainSamples", trainSamples);
        size(splits.test(), "testSamples", testSamples);
        Dataset train = cut(splits.train(), trainSamples, seed);
        Dataset test = cut(splits.test(), testSamples, seed + 1);
        String source = splits.source();
        ImageDataset dataset = context.dataset();
        if (dataset != ImageDataset.MNIST) {
            source += "; " + train.classes() + " classes: " + String.join(", ", dataset.classNames(train.classes()));
        }
        if (train != splits.train()) {
            source += "; training set: a stratified random subset of " + trainSamples;
        }
        if (test != splits.test()) {
            source += "; test set: a stratified random subset of " + testSamples;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("train", train.size());
        sizes.put("test", test.size());
        return new MnistInput(train, test, new DataSource(source, sizes), dataset);
    }

    /**
     * {@code n} samples of {@code data} drawn from {@code seed}, stratified by class; all of it for {@value #ALL}.
     *
     * @throws IllegalArgumentException if {@code data} holds fewer than {@code n} samples; experiments refuse such
     *     a setting before they run, with {@link SplitSize#samples}
     */
    public static Dataset cut(Dataset data, int n, long seed) {
        return n == ALL || n == data.size() ? data : data.subset(n, seed);
    }

    /**
     * Checks, before a run, that the data holds {@code trainSamples} training and {@code testSamples} test samples
     * ({@value #ALL} for all of a split), and returns the sizes the splits will have, for checks of the
     * experiment's other settings.
     *
     * @throws InvalidSettingException naming {@code trainSamples} or {@code testSamples} when the data holds fewer
     *     samples
     * @throws DataException when the data cannot be read
     */
    public static Sizes checkSizes(ExperimentContext context, int trainSamples, int testSamples)
            throws DataException {
        MnistData.Splits splits = context.mnist();
        return new Sizes(size(splits.train(), "trainSamples", trainSamples),
                size(splits.test(), "testSamples", testSamples));
    }

    /**
     * {@link #checkSizes(ExperimentContext, int, int)}, then checks that every one of {@code batchSizes} fits the
     * training set, for experiments that train one model per batch size.
     *
     * @param setting the name of the batch sizes' setting (its record component)
     * @throws InvalidSettingException naming the first setting that does not fit
     * @throws DataException when the data cannot be read
     */
    public static Sizes checkSizes(ExperimentContext context, int trainSamples, int testSamples, String setting,
                                   List<Integer> batchSizes) throws DataException {
        Sizes sizes = checkSizes(context, trainSamples, testSamples);
        sizes.train().batchSizes(setting, batchSizes);
        return sizes;
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
        SplitSize train = checkSizes(context, trainSamples, ALL).train();
        for (int i = 0; i + 1 < batchSizes.length; i += 2) {
            train.batchSize((String) batchSizes[i], (Integer) batchSizes[i + 1]);
        }
    }

    /**
     * Checks, before a run, that a dense classifier with hidden layers of {@code widths} for the data's inputs and
     * classes has at most {@link io.github.losslab.app.config.Limits#PARAMETERS} parameters.
     *
     * @param setting the name of the widths' setting (its record component)
     * @throws InvalidSettingException naming the setting, with the count the widths would make
     * @throws DataException when the data cannot be read
     */
    public static void checkDense(ExperimentContext context, String setting, List<Integer> widths)
            throws DataException {
        Dataset train = context.mnist().train();
        Check.denseParameters(setting, widths, train.featureSize(), train.classes());
    }

    /** Checks a {@code train-samples} or {@code test-samples} setting against its split, and the size it gives. */
    private static SplitSize size(Dataset split, String setting, int samples) {
        Check.samples(setting, samples, ALL, split.size(), split.name(), MORE_DATA);
        if (samples == ALL || samples == split.size()) {
            return new SplitSize(split.size(), split.name(), MORE_DATA);
        }
        String key = SettingsBinder.kebab(setting);
        return new SplitSize(samples, split.name() + " cut by " + key, "a larger " + key);
    }
}
