package io.github.losslab.app.experiment.randomlabels;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.training.EpochMetrics;
import io.github.losslab.app.experiment.training.MnistExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.MnistSettings;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.TrainingChecks;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Can the network fit random labels (assignment part 1-3)? Every training label is replaced by a class drawn
 * uniformly at random with the experiment's own seeded generator, so that a label says nothing about its image
 * (about 90% of the ten digits' labels change); the test labels stay true. A network wide enough to memorize is
 * trained on the noise: its training accuracy climbs towards 100% while its test accuracy stays at chance, the
 * observation of Zhang et al. 2017, "Understanding deep learning requires rethinking generalization". The summary
 * checks both: training accuracy at least {@value #EXPECTED_TRAIN_ACCURACY}, test accuracy within
 * {@value #CHANCE_MARGIN} of chance.
 *
 * <p>Writes into {@code <out>/random-labels/}: {@code random-labels.png}/{@code .svg} (the training and test loss
 * above, the training and test accuracy below, per epoch), {@code history.csv} (the values per epoch: the data of
 * the figure), {@code labels.csv} (every training sample's true and random label) and {@code summary.json} (the
 * fraction of labels changed, the final accuracies, the checks, the settings and the provenance).
 */
public final class RandomLabelsExperiment extends MnistExperiment<RandomLabelsExperiment.Settings,
        RandomLabelsExperiment.History> {

    /** The name the command line knows. */
    public static final String NAME = "random-labels";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "a wide network memorizes uniformly random MNIST training labels; its test accuracy stays at chance",
            Settings.class, Settings::of, RandomLabelsExperiment::new).withExplanation("""
            Every training label is replaced by a class drawn uniformly at random (seeded; about 90% of the \
            labels change), the test labels stay true, and a wide network is trained on the noise (Zhang et al. \
            2017, "Understanding deep learning requires rethinking generalization").

            The figure shows the loss above and the accuracy below, per epoch. The network memorizes the random \
            labels: its training accuracy climbs towards 100% and its training loss towards zero, while its test \
            accuracy stays at chance (10%) and its test loss grows. A network big enough to fit noise can still \
            generalize when the labels are true, so its size alone does not explain why networks generalize. The \
            summary checks both: training accuracy at least 95%, test accuracy within 5 points of chance.""");

    /** The training accuracy memorization is expected to reach. */
    public static final double EXPECTED_TRAIN_ACCURACY = 0.95;
    /** How far from chance ({@code 1 / classes}) the test accuracy is expected to stay. */
    public static final double CHANCE_MARGIN = 0.05;

    private static final Logger LOG = LogManager.getLogger(RandomLabelsExperiment.class);

    /**
     * The settings of a run.
     *
     * @param trainSamples training samples, a stratified subset of the training split; 0 for all of it
     * @param hiddenWidths widths of the hidden dense layers
     * @param activation   of the hidden layers
     * @param optimizer    {@code sgd} or {@code adam}
     * @param learningRate of the optimizer
     * @param epochs       passes over the training set
     * @param batchSize    samples per optimizer step
     */
    public record Settings(int trainSamples, List<Integer> hiddenWidths, Activation activation,
                           OptimizerKind optimizer, double learningRate, int epochs, int batchSize)
            implements MnistSettings {

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            TrainingChecks.classifierTraining(activation, optimizer, learningRate, epochs, batchSize);
        }

        /**
         * Under a minute on two CPU cores: 3,000 of the bundled training digits, 784-512-512-10 (669,706
         * parameters), 40 epochs of Adam (learning rate 0.0005) on batches of 64. Over seeds 1, 2, 3, 7 and 42
         * the training accuracy ends between 99.9% and 100% (above 99% from epoch 30 on), the test accuracy
         * between 8% and 12%.
         */
        public static Settings quick() {
            return new Settings(3_000, List.of(512, 512), Activation.RELU, OptimizerKind.ADAM, 0.0005, 40, 64);
        }

        /**
         * The assignment's scale: every training sample (60,000 for MNIST) and a network of 2 × 2,048 hidden units
         * (5.8 million parameters), 200 epochs of batches of 128: hours on a CPU, meant for a GPU.
         */
        public static Settings full() {
            return new Settings(MnistInput.ALL, List.of(2048, 2048), Activation.RELU, OptimizerKind.ADAM, 0.0005,
                    200, 128);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, List<Integer> newHiddenWidths, int newEpochs,
                                     int newBatchSize) {
            return new Settings(newTrainSamples, newHiddenWidths, activation, optimizer, learningRate, newEpochs,
                    newBatchSize);
        }

        /** The network for {@code inputs} features and {@code classes} classes. */
        public ModelSpec model(int inputs, int classes) {
            return ModelSpec.mlp(inputs, hiddenWidths.stream().mapToInt(Integer::intValue).toArray(), classes,
                    activation, Loss.SOFTMAX_CROSS_ENTROPY);
        }
    }

    /** The key of the experiment's one trial: the training on the random labels. */
    public static final String TRIAL = "random-labels";

    /**
     * What the training on the random labels measured: the loss and accuracy on the training set (random labels)
     * and on the test set (true labels) before training and after every epoch.
     *
     * @param epochs        the epochs evaluated, 0 for the initial parameters
     * @param trainLoss     the loss on the training set at each of them
     * @param trainAccuracy the accuracy on the training set at each of them
     * @param testLoss      the loss on the test set at each of them
     * @param testAccuracy  the accuracy on the test set at each of them
     * @param wallSeconds   wall time of the training and its evaluations
     */
    public record History(int[] epochs, double[] trainLoss, double[] trainAccuracy, double[] testLoss,
                          double[] testAccuracy, double wallSeconds) {

        static History of(EpochMetrics m, double wallSeconds) {
            return new History(m.epochs(), m.loss("train"), m.accuracy("train"), m.loss("test"), m.accuracy("test"),
                    wallSeconds);
        }

        /** The epochs as doubles, for charts. */
        double[] epochAxis() {
            return Arrays.stream(epochs).asDoubleStream().toArray();
        }

        /** The last value of {@code values}; NaN when there is none. */
        static double last(double[] values) {
            return values.length == 0 ? Double.NaN : values[values.length - 1];
        }
    }

    public RandomLabelsExperiment(Settings settings) {
        super(TYPE, settings, History.class);
    }

    /**
     * What the trial and the reduce step derive from the settings and the root seed, in the same order: the data,
     * the random labels and the training set that carries them, the network and the seeds of its training.
     */
    private record Setup(MnistInput data, int[] trueLabels, int[] randomLabels, Dataset train, ModelSpec spec,
                         long initSeed, long shuffleSeed) {
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        Dataset trueTrain = data.train();
        int[] trueLabels = trueTrain.labels();
        int[] randomLabels = randomLabels(trueLabels.length, trueTrain.classes(), random.split());
        Dataset train = trueTrain.withLabels(randomLabels, trueTrain.name() + "[random labels]");
        ModelSpec spec = settings.model(train.featureSize(), train.classes());
        SplittableRandom part = random.split();
        long initSeed = part.nextLong();
        return new Setup(data, trueLabels, randomLabels, train, spec, initSeed, part.nextLong());
    }

    /**
     * Checks the training data and the batch size as every MNIST experiment does, and the size of the network for
     * the data.
     */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    /** The experiment is one training: one trial, {@value #TRIAL}. */
    @Override
    public List<String> trialKeys() {
        return List.of(TRIAL);
    }

    /** Trains the network on the random labels, evaluating it on both sets before training and after every epoch. */
    @Override
    public History runTrial(String key, ExperimentContext context) throws IOException {
        if (!TRIAL.equals(key)) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trial is " + TRIAL);
        }
        Setup setup = setup(context);
        TrainingConfig config = TrainingConfig.of(settings.epochs(), settings.batchSize(), setup.shuffleSeed(),
                context.precision());
        EpochMetrics metrics = EpochMetrics.trainAndTest(setup.train(), setup.data().test());
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(setup.spec(), context.precision(), setup.initSeed())) {
            metrics.evaluate(model, 0);
            model.train(setup.train(), settings.optimizer().spec(settings.learningRate()), config,
                    List.of(metrics, context.progress().training("random labels", settings.epochs())));
        }
        return History.of(metrics, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public ExperimentResult reduce(TrialResults<History> trials, ExperimentContext context) throws IOException {
        History history = trials.get(TRIAL).orElseThrow(() -> new IllegalStateException("the training on the "
                + "random labels (trial " + TRIAL + ") " + (trials.diverged().contains(TRIAL) ? "diverged"
                : "has no result") + "; there is nothing to report"));
        Setup setup = setup(context);
        MnistInput data = setup.data();
        int[] trueLabels = setup.trueLabels();
        int[] randomLabels = setup.randomLabels();
        Dataset train = setup.train();
        ModelSpec spec = setup.spec();
        int changed = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            changed += trueLabels[i] != randomLabels[i] ? 1 : 0;
        }
        double fractionChanged = changed / (double) trueLabels.length;
        double chance = 1.0 / train.classes();
        LOG.info("{} of {} training labels changed ({}); chance accuracy {}", changed, trueLabels.length,
                Outputs.percent(fractionChanged), Outputs.percent(chance));

        double seconds = history.wallSeconds();
        double trainAccuracy = History.last(history.trainAccuracy());
        double testAccuracy = History.last(history.testAccuracy());
        boolean memorized = trainAccuracy >= EXPECTED_TRAIN_ACCURACY;
        boolean atChance = Math.abs(testAccuracy - chance) <= CHANCE_MARGIN;

        OutputWriter out = context.output();
        writeHistory(out, history);
        writeLabels(out, trueLabels, randomLabels);
        RandomLabelsFigures.write(out, spec, train.size(), history, chance);
        context.results().printf(Locale.ROOT, "%s %s, %,d parameters, %,d training digits, %s of the labels "
                        + "changed%n", NAME, spec.describe(), spec.parameterCount(), train.size(),
                Outputs.percent(fractionChanged));
        context.results().printf(Locale.ROOT, "%s after %d epochs: training accuracy %s on the random labels "
                        + "(expected >= %s: %s), test accuracy %s on the true labels (chance %s +- %s: %s)%n", NAME,
                history.epochs().length - 1, Outputs.percent(trainAccuracy), Outputs.percent(EXPECTED_TRAIN_ACCURACY),
                memorized ? "yes" : "NO", Outputs.percent(testAccuracy), Outputs.percent(chance),
                Outputs.percent(CHANCE_MARGIN), atChance ? "yes" : "NO");
        context.results().flush();
        if (!memorized || !atChance) {
            LOG.warn("random labels: the result differs from the expected memorization (training accuracy {}, "
                    + "test accuracy {}); train longer or wider", Outputs.percent(trainAccuracy),
                    Outputs.percent(testAccuracy));
        }

        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("fraction of labels changed", fractionChanged);
        keyNumbers.put("final training accuracy (random labels)", trainAccuracy);
        keyNumbers.put("final test accuracy (true labels)", testAccuracy);
        keyNumbers.put("chance accuracy", chance);

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("model", spec.describe());
        summary.put("parameters", spec.parameterCount());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("training", "every label drawn uniformly from the " + train.classes() + " classes");
        labels.put("test", "true");
        labels.put("samples", trueLabels.length);
        labels.put("changed", changed);
        labels.put("fractionChanged", fractionChanged);
        labels.put("expectedFractionChanged", 1 - chance);
        summary.put("labels", labels);
        summary.put("epochs", history.epochs().length - 1);
        summary.put("finalTrainLoss", History.last(history.trainLoss()));
        summary.put("finalTrainAccuracy", trainAccuracy);
        summary.put("testLoss", History.last(history.testLoss()));
        summary.put("testAccuracy", testAccuracy);
        summary.put("chanceAccuracy", chance);
        summary.put("checks", List.of(
                check("training accuracy on the random labels", ">= " + EXPECTED_TRAIN_ACCURACY, trainAccuracy,
                        memorized),
                check("test accuracy on the true labels", "within " + CHANCE_MARGIN + " of chance (" + chance + ")",
                        testAccuracy, atChance)));
        summary.put("expectationMet", memorized && atChance);
        summary.put("wallSeconds", seconds);
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /** {@code n} labels drawn uniformly from {@code [0, classes)}. */
    static int[] randomLabels(int n, int classes, SplittableRandom random) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    private static Map<String, Object> check(String what, String expected, double value, boolean passed) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("check", what);
        c.put("expected", expected);
        c.put("value", value);
        c.put("passed", passed);
        return c;
    }

    private static void writeHistory(OutputWriter out, History h) throws IOException {
        CsvTable table = CsvTable.of("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy");
        int[] epochs = h.epochs();
        for (int i = 0; i < epochs.length; i++) {
            table.add(epochs[i], h.trainLoss()[i], h.trainAccuracy()[i], h.testLoss()[i], h.testAccuracy()[i]);
        }
        out.writeCsv("history.csv", table);
    }

    private static void writeLabels(OutputWriter out, int[] trueLabels, int[] randomLabels) throws IOException {
        CsvTable table = CsvTable.of("sample", "true_label", "random_label");
        for (int i = 0; i < trueLabels.length; i++) {
            table.add(i, trueLabels[i], randomLabels[i]);
        }
        out.writeCsv("labels.csv", table);
    }
}
