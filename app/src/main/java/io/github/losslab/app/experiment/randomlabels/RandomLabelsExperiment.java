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
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.SeedKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Can the network fit random labels (assignment part 1-3)? The figure of Zhang et al. 2017, "Understanding deep
 * learning requires rethinking generalization" (Figure 1a): one network is trained twice from the same initial
 * parameters and sample order, once on the true training labels and once on labels drawn uniformly at random with
 * the seed's own generator (about 90% of the ten digits' labels change; the test labels stay true). With random
 * labels the training accuracy takes longer to climb but reaches the same level: the network memorizes the noise,
 * while its test accuracy stays at chance. Every training is repeated over {@link Settings#seeds()} seeds (data
 * subset, random labels, initial parameters and sample order), and three claims are tested over them with a
 * {@link Verdict}: memorization (final training accuracy on random labels at least
 * {@value #MEMORIZED_ACCURACY}), delay (epochs to reach a training accuracy of {@value #MEMORIZED_ACCURACY} with
 * random labels minus with true labels, above 0), and chance (test accuracy of the random-label model within
 * {@value #CHANCE_MARGIN} of {@code 1 / classes}).
 *
 * <p>Writes into {@code <out>/random-labels/}: {@code random-labels.png}/{@code .svg} (the loss above and the
 * accuracy below, per epoch, for both label kinds on the training and the test set: mean over the seeds with a
 * band of ± one standard deviation, and chance marked), {@code history.csv} (every training's values per epoch:
 * the data of the figure), {@code labels.csv} (every seed's training samples with their true and random label) and
 * {@code summary.json} (the fraction of labels changed, the final values per seed, the verdicts, the settings and
 * the provenance).
 *
 * <p>Each label kind and seed is one trial ({@code true.seed-0}, {@code random.seed-2}), whose {@link History} is
 * kept in {@code trials/}.
 */
public final class RandomLabelsExperiment extends MnistExperiment<RandomLabelsExperiment.Settings,
        RandomLabelsExperiment.History> {

    /** The name the command line knows. */
    public static final String NAME = "random-labels";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "a wide network memorizes uniformly random MNIST training labels, later than true ones; its test "
                    + "accuracy stays at chance",
            Settings.class, Settings::of, RandomLabelsExperiment::new).withExplanation("""
            One network is trained from the same initial parameters on the true training labels and on labels \
            drawn uniformly at random (about 90% of them change; the test labels stay true), each over several \
            seeds (Zhang et al. 2017, "Understanding deep learning requires rethinking generalization", Figure 1a).

            The figure shows the loss above and the accuracy below, per epoch: the mean over the seeds, with a band \
            of one standard deviation. With true labels the training accuracy climbs at once; with random labels it \
            climbs later but reaches the same level: the network memorizes the noise, while its test accuracy stays \
            at chance (10%). A network big enough to fit noise still generalizes when the labels are true, so its \
            size alone does not explain why networks generalize. The verdicts test the three claims over the \
            seeds: final training accuracy on random labels at least 90%, more epochs to reach 90% training \
            accuracy with random labels than with true ones, test accuracy of the random-label model within 5 \
            points of chance.""");

    /** The training accuracy that counts as memorized, and the level whose epoch the delay compares. */
    public static final double MEMORIZED_ACCURACY = 0.9;
    /** How far from chance ({@code 1 / classes}) the test accuracy of the random-label model is expected to stay. */
    public static final double CHANCE_MARGIN = 0.05;
    /** The paper the claims come from. */
    public static final String SOURCE = "Zhang et al. 2017";

    private static final Logger LOG = LogManager.getLogger(RandomLabelsExperiment.class);

    /** The labels a network is trained on. */
    public enum Labels {
        /** The data's own labels. */
        TRUE("true"),
        /** Every label drawn uniformly from the classes. */
        RANDOM("random");

        private final String key;

        Labels(String key) {
            this.key = key;
        }

        /** The first part of a trial key: {@code true} or {@code random}. */
        public String key() {
            return key;
        }
    }

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
     * @param seeds        repetitions of both trainings, each with its own data subset, random labels, initial
     *                     parameters and sample order
     */
    public record Settings(int trainSamples, List<Integer> hiddenWidths, Activation activation,
                           OptimizerKind optimizer, double learningRate, int epochs, int batchSize, int seeds)
            implements MnistSettings {

        /**
         * The training samples of the full preset: as many as the bundled data has, so that the preset runs on it
         * and on a directory of 60,000 alike, and few enough for the ten trainings to take about an hour and a half
         * on two CPU cores.
         */
        public static final int TRAIN_SAMPLES_FULL = 8_000;

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            TrainingChecks.classifierTraining(activation, optimizer, learningRate, epochs, batchSize);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About a minute on two CPU cores: 3,000 of the bundled training digits, 784-512-512-10 (669,706
         * parameters), 30 epochs of Adam (learning rate 0.0005) on batches of 64, true and random labels, three
         * seeds. With random labels the training accuracy passes 90% after about 15 epochs and ends near 100%;
         * with true labels it passes 90% in the first epoch.
         */
        public static Settings quick() {
            return new Settings(3_000, List.of(512, 512), Activation.RELU, OptimizerKind.ADAM, 0.0005, 30, 64, 3);
        }

        /**
         * A network of the assignment's size, 2 × 2,048 hidden units (5.8 million parameters), on
         * {@value #TRAIN_SAMPLES_FULL} of the training samples (a stratified subset; all of the bundled ones), 100
         * epochs of Adam (learning rate 0.0005) on batches of 128, five seeds. On 10,000 Fashion-MNIST images one
         * seed's random labels passed 80% training accuracy after about 50 epochs and 88% after 60, while the true
         * labels passed 90% after 10. Memorizing all 60,000 ({@code trainSamples} 0) takes this network about 35
         * seconds an epoch on two CPU cores and far more epochs: about 20 hours for the ten trainings, a job for a
         * GPU.
         */
        public static Settings full() {
            return new Settings(TRAIN_SAMPLES_FULL, List.of(2048, 2048), Activation.RELU, OptimizerKind.ADAM, 0.0005,
                    100, 128, 5);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, List<Integer> newHiddenWidths, int newEpochs,
                                     int newBatchSize) {
            return new Settings(newTrainSamples, newHiddenWidths, activation, optimizer, learningRate, newEpochs,
                    newBatchSize, seeds);
        }

        public Settings withSeeds(int newSeeds) {
            return new Settings(trainSamples, hiddenWidths, activation, optimizer, learningRate, epochs, batchSize,
                    newSeeds);
        }

        /** The network for {@code inputs} features and {@code classes} classes. */
        public ModelSpec model(int inputs, int classes) {
            return ModelSpec.mlp(inputs, hiddenWidths.stream().mapToInt(Integer::intValue).toArray(), classes,
                    activation, Loss.SOFTMAX_CROSS_ENTROPY);
        }
    }

    /**
     * What one training measured: the loss and accuracy on the training set (with the labels it was trained on)
     * and on the test set (true labels) before training and after every epoch.
     *
     * @param labels        the labels it was trained on: {@code true} or {@code random}
     * @param seed          the seed index
     * @param epochs        the epochs evaluated, 0 for the initial parameters
     * @param trainLoss     the loss on the training set at each of them
     * @param trainAccuracy the accuracy on the training set at each of them
     * @param testLoss      the loss on the test set at each of them
     * @param testAccuracy  the accuracy on the test set at each of them
     * @param wallSeconds   wall time of the training and its evaluations
     */
    public record History(String labels, int seed, int[] epochs, double[] trainLoss, double[] trainAccuracy,
                          double[] testLoss, double[] testAccuracy, double wallSeconds) {

        static History of(Labels labels, int seed, EpochMetrics m, double wallSeconds) {
            return new History(labels.key(), seed, m.epochs(), m.loss("train"), m.accuracy("train"), m.loss("test"),
                    m.accuracy("test"), wallSeconds);
        }

        /** The epochs as doubles, for charts. */
        double[] epochAxis() {
            return Arrays.stream(epochs).asDoubleStream().toArray();
        }

        /** The first epoch after which the training accuracy is at least {@code level}; NaN when it never is. */
        double epochsToReach(double level) {
            for (int i = 0; i < epochs.length; i++) {
                if (trainAccuracy[i] >= level) {
                    return epochs[i];
                }
            }
            return Double.NaN;
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
     * What the trials of one seed and the reduce step derive from the seed's generator, in the same order: the
     * data, the random labels and the training set that carries them, the network and the seeds of its training.
     * Both label kinds share the data, the initial parameters and the sample order.
     */
    private record Setup(MnistInput data, int[] trueLabels, int[] randomLabels, Dataset randomTrain, ModelSpec spec,
                         long initSeed, long shuffleSeed) {

        Dataset train(Labels labels) {
            return labels == Labels.TRUE ? data.train() : randomTrain;
        }
    }

    private Setup setup(ExperimentContext context, int seed) throws IOException {
        SplittableRandom random = context.random(seed);
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

    /** The trial key of a training: {@code random.seed-2}. */
    public static String key(Labels labels, int seed) {
        return SeedKey.of(labels.key(), seed);
    }

    /** True labels for every seed, then random labels for every seed. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (Labels labels : Labels.values()) {
            for (int s = 0; s < settings.seeds(); s++) {
                keys.add(key(labels, s));
            }
        }
        return keys;
    }

    /** Trains the network on one seed's labels, evaluating it on both sets before training and after every epoch. */
    @Override
    public History runTrial(String key, ExperimentContext context) throws IOException {
        for (Labels labels : Labels.values()) {
            for (int s = 0; s < settings.seeds(); s++) {
                if (key(labels, s).equals(key)) {
                    return train(labels, s, context);
                }
            }
        }
        throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are " + trialKeys());
    }

    private History train(Labels labels, int seed, ExperimentContext context) throws IOException {
        Setup setup = setup(context, seed);
        Dataset train = setup.train(labels);
        TrainingConfig config = TrainingConfig.of(settings.epochs(), settings.batchSize(), setup.shuffleSeed(),
                context.precision());
        EpochMetrics metrics = EpochMetrics.trainAndTest(train, setup.data().test());
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(setup.spec(), context.precision(), setup.initSeed())) {
            metrics.evaluate(model, 0);
            model.train(train, settings.optimizer().spec(settings.learningRate()), config,
                    List.of(metrics, context.progress().training(labels.key() + " labels, seed " + seed,
                            settings.epochs())));
        }
        return History.of(labels, seed, metrics, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public ExperimentResult reduce(TrialResults<History> trials, ExperimentContext context) throws IOException {
        int seeds = settings.seeds();
        Map<Labels, List<History>> byLabels = new EnumMap<>(Labels.class);
        for (Labels labels : Labels.values()) {
            List<History> histories = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                trials.get(key(labels, s)).ifPresent(histories::add);
            }
            if (histories.isEmpty()) {
                throw new IllegalStateException("no training on the " + labels.key() + " labels has a result ("
                        + trials.diverged().size() + " diverged); there is nothing to report");
            }
            byLabels.put(labels, histories);
        }
        Setup first = setup(context, 0);
        MnistInput data = first.data();
        ModelSpec spec = first.spec();
        int classes = first.randomTrain().classes();
        double chance = 1.0 / classes;

        List<Setup> setups = new ArrayList<>();
        double[] fractionChanged = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            Setup setup = s == 0 ? first : setup(context, s);
            setups.add(setup);
            int changed = 0;
            for (int i = 0; i < setup.trueLabels().length; i++) {
                changed += setup.trueLabels()[i] != setup.randomLabels()[i] ? 1 : 0;
            }
            fractionChanged[s] = changed / (double) setup.trueLabels().length;
        }
        LOG.info("training labels changed per seed: {}; chance accuracy {}", Arrays.toString(fractionChanged),
                Outputs.percent(chance));

        double[] memorized = new double[seeds];
        double[] delay = new double[seeds];
        double[] chanceGap = new double[seeds];
        double[] randomTest = new double[seeds];
        double[] trueTest = new double[seeds];
        double[] trueTrain = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            History random = trials.get(key(Labels.RANDOM, s)).orElse(null);
            History truth = trials.get(key(Labels.TRUE, s)).orElse(null);
            memorized[s] = random == null ? Double.NaN : History.last(random.trainAccuracy());
            randomTest[s] = random == null ? Double.NaN : History.last(random.testAccuracy());
            chanceGap[s] = Math.abs(randomTest[s] - chance);
            trueTest[s] = truth == null ? Double.NaN : History.last(truth.testAccuracy());
            trueTrain[s] = truth == null ? Double.NaN : History.last(truth.trainAccuracy());
            double trueEpochs = truth == null ? Double.NaN : truth.epochsToReach(MEMORIZED_ACCURACY);
            double randomEpochs = random == null ? Double.NaN : random.epochsToReach(MEMORIZED_ACCURACY);
            delay[s] = randomEpochs - trueEpochs;
        }
        List<Verdict> verdicts = verdicts(memorized, delay, chanceGap, chance, spec, data.train().size());

        OutputWriter out = context.output();
        writeHistory(out, byLabels);
        writeLabels(out, setups);
        RandomLabelsFigures.write(out, spec, data.samples(), byLabels, chance);
        context.results().printf(Locale.ROOT, "%s %s, %,d parameters, %,d training digits, %s of the labels "
                        + "changed (seed 0), %d seeds%n", NAME, spec.describe(), spec.parameterCount(),
                data.train().size(), Outputs.percent(fractionChanged[0]), seeds);
        context.results().printf(Locale.ROOT, "%s after %d epochs, per seed: training accuracy %s with random labels, "
                        + "%s with true ones; test accuracy %s with random labels, %s with true ones (chance %s)%n",
                NAME, settings.epochs(), percents(memorized), percents(trueTrain), percents(randomTest),
                percents(trueTest), Outputs.percent(chance));
        for (Verdict v : verdicts) {
            context.results().println(NAME + " " + v);
        }
        context.results().flush();

        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("fraction of labels changed", mean(fractionChanged));
        keyNumbers.put("final training accuracy (random labels)", mean(memorized));
        keyNumbers.put("final training accuracy (true labels)", mean(trueTrain));
        keyNumbers.put("final test accuracy (random labels)", mean(randomTest));
        keyNumbers.put("final test accuracy (true labels)", mean(trueTest));
        keyNumbers.put("extra epochs to " + Outputs.percent(MEMORIZED_ACCURACY) + " training accuracy (random labels)",
                mean(delay));
        keyNumbers.put("chance accuracy", chance);

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("model", spec.describe());
        summary.put("parameters", spec.parameterCount());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("training", "true, and every label drawn uniformly from the " + classes + " classes");
        labels.put("test", "true");
        labels.put("samples", first.trueLabels().length);
        labels.put("fractionChanged", list(fractionChanged));
        labels.put("expectedFractionChanged", 1 - chance);
        summary.put("labels", labels);
        summary.put("epochs", settings.epochs());
        summary.put("seeds", seeds);
        summary.put("chanceAccuracy", chance);
        Map<String, Object> finals = new LinkedHashMap<>();
        for (Labels l : Labels.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trainLoss", list(finals(trials, l, History::trainLoss)));
            m.put("trainAccuracy", list(finals(trials, l, History::trainAccuracy)));
            m.put("testLoss", list(finals(trials, l, History::testLoss)));
            m.put("testAccuracy", list(finals(trials, l, History::testAccuracy)));
            m.put("epochsTo" + Math.round(100 * MEMORIZED_ACCURACY) + "PercentTrainAccuracy",
                    list(epochsToReach(trials, l)));
            finals.put(l.key(), m);
        }
        summary.put("final", finals);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("wallSeconds", trials.results().stream().mapToDouble(TrialResults.Trial::wallSeconds).sum());
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /** The three claims of Zhang et al. 2017 tested over the seeds. */
    private List<Verdict> verdicts(double[] memorized, double[] delay, double[] chanceGap, double chance,
                                   ModelSpec spec, int trainSize) {
        String size = String.format(Locale.ROOT, "%,d parameters, %,d training samples, %d epochs",
                spec.parameterCount(), trainSize, settings.epochs());
        Verdict memorization = Verdict.test("the network memorizes random labels: its final training accuracy on "
                        + "them is at least " + Outputs.percent(MEMORIZED_ACCURACY), SOURCE,
                "final training accuracy on random labels (fraction)", memorized, Verdict.Direction.ABOVE,
                MEMORIZED_ACCURACY, "Network: " + size + ". Memorizing noise needs a network with enough "
                        + "parameters per training sample and enough epochs; a smaller or shorter training does "
                        + "not get there (more hidden units, more epochs or fewer samples would).");
        Verdict slower = Verdict.test("fitting random labels takes longer than fitting true ones", SOURCE,
                "epochs to reach " + Outputs.percent(MEMORIZED_ACCURACY) + " training accuracy with random labels "
                        + "minus with true labels", delay, Verdict.Direction.ABOVE, 0,
                "Network: " + size + ". A seed where either training never reaches the level gives no value: the "
                        + "claim is that random labels are fitted later, not that they are not fitted.");
        Verdict atChance = Verdict.test("the network trained on random labels predicts the true test labels at "
                        + "chance", SOURCE, "|test accuracy of the random-label model − chance (" + num(chance)
                        + ")|", chanceGap, Verdict.Direction.BELOW, CHANCE_MARGIN,
                "The random labels carry no information about the images, so no test accuracy above chance is "
                        + "expected at any size; a value far from chance would point to labels that are not "
                        + "random.");
        return List.of(memorization, slower, atChance);
    }

    private static double[] finals(TrialResults<History> trials, Labels labels,
                                   Function<History, double[]> values) {
        return trials.values().stream().filter(h -> h.labels().equals(labels.key()))
                .mapToDouble(h -> History.last(values.apply(h))).toArray();
    }

    private static double[] epochsToReach(TrialResults<History> trials, Labels labels) {
        return trials.values().stream().filter(h -> h.labels().equals(labels.key()))
                .mapToDouble(h -> h.epochsToReach(MEMORIZED_ACCURACY)).toArray();
    }

    /** {@code n} labels drawn uniformly from {@code [0, classes)}. */
    static int[] randomLabels(int n, int classes, SplittableRandom random) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }

    private static void writeHistory(OutputWriter out, Map<Labels, List<History>> byLabels) throws IOException {
        CsvTable table = CsvTable.of("labels", "seed", "epoch", "train_loss", "train_accuracy", "test_loss",
                "test_accuracy");
        for (List<History> histories : byLabels.values()) {
            for (History h : histories) {
                int[] epochs = h.epochs();
                for (int i = 0; i < epochs.length; i++) {
                    table.add(h.labels(), h.seed(), epochs[i], h.trainLoss()[i], h.trainAccuracy()[i],
                            h.testLoss()[i], h.testAccuracy()[i]);
                }
            }
        }
        out.writeCsv("history.csv", table);
    }

    private static void writeLabels(OutputWriter out, List<Setup> setups) throws IOException {
        CsvTable table = CsvTable.of("seed", "sample", "true_label", "random_label");
        for (int s = 0; s < setups.size(); s++) {
            int[] trueLabels = setups.get(s).trueLabels();
            int[] randomLabels = setups.get(s).randomLabels();
            for (int i = 0; i < trueLabels.length; i++) {
                table.add(s, i, trueLabels[i], randomLabels[i]);
            }
        }
        out.writeCsv("labels.csv", table);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static List<Double> list(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static String percents(double[] v) {
        return String.join(" ", Arrays.stream(v).mapToObj(Outputs::percent).toList());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
