package io.github.losslab.app.experiment.interpolation;

import io.github.losslab.analysis.landscape.InterpolationPath;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.SweepModels;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.experiment.flatness.TrainingTarget;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;
import io.github.losslab.app.trial.SeedKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Flatness vs generalization, part 1 (assignment part 1-3): two classifiers of one spec, trained on the same data
 * from the same initial parameters, one with a small and one with a large batch size, and the cross-entropy and
 * accuracy of the parameters {@code theta(alpha) = (1 - alpha) theta1 + alpha theta2} on the training and test sets
 * for alpha from -1 to 2 (Goodfellow, Vinyals and Saxe 2015, "Qualitatively characterizing neural network
 * optimization problems"; Keskar et al. 2017, Figure 3, for the two batch sizes). A second pair differs only in the
 * learning rate. At alpha 0 and 1 the values are those of the two trained models, exactly. Every model trains until
 * the same {@link TrainingTarget}, a training loss checked after every epoch, or an epoch cap: Keskar et al. compare
 * minima, both trained to nearly 100% training accuracy, and a fixed number of epochs leaves the large batch, with
 * proportionally fewer steps, far from one, so that the loss falls from it towards the other model instead of
 * rising between two minima.
 *
 * <p>The claim tested over seeds: a barrier separates the two models of a pair, the training loss rising between
 * them above both. Its statistic per seed and pair is {@link #barrier}, {@code log10} of the highest training loss
 * for {@code 0 < alpha < 1} over the higher of the two models' own, claimed above {@link #BARRIER_THRESHOLD} (1%);
 * the {@link Verdict} of each pair is in {@code summary.json}.
 *
 * <p>Writes into {@code <out>/interpolation/}: {@code batch-size.png}/{@code .svg} and
 * {@code learning-rate.png}/{@code .svg} (cross-entropy on a log axis and accuracy on a second axis against
 * alpha, the mean over the seeds with their range as a band), {@code batch-size.csv} and {@code learning-rate.csv}
 * (every seed's values: the data of the figures), and {@code summary.json} (settings, every seed's three models
 * with their metrics, each seed's highest training loss between each pair and its barrier, the verdicts,
 * provenance).
 *
 * <p>One trial per model and seed: {@code batch-64-lr-0.001.seed-0}, ...; the three models of a seed share their
 * initial parameters, which differ from seed to seed.
 */
public final class InterpolationExperiment extends TrialExperiment<InterpolationExperiment.Settings,
        InterpolationExperiment.Endpoint> {

    /** The name the command line knows. */
    public static final String NAME = "interpolation";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "flatness vs generalization: loss and accuracy on the line between MNIST models of batch 64 and 1024,"
                    + " and of learning rate 1e-3 and 1e-2",
            Settings.class, Settings::of, InterpolationExperiment::new).withExplanation("""
            Two MNIST classifiers of one architecture are trained from the same initial parameters on the same \
            data, one with a small batch (64) and one with a large batch (1024); a third differs from the first only \
            in its learning rate (0.01 instead of 0.001). Every model trains until the same training loss (the \
            target, checked after every epoch, or an epoch cap, reported when hit), so that the models compared are \
            minima of about the same loss, as in Keskar et al., who trained both to nearly 100% training accuracy. \
            Along the straight line θ(α) = (1 − α)·θ₁ + α·θ₂ between \
            two of them, the cross-entropy and the accuracy on the training and test sets are evaluated for α from \
            −1 to 2 (Goodfellow et al. 2015; Keskar et al. 2017).

            Read each figure from α = 0 (the first model) to α = 1 (the second): a bump of the loss between them is \
            a barrier that separates two minima; a loss that rises steeply on one side of a model (α < 0 or α > 1) \
            means a sharp minimum in that direction. Keskar et al. found the large-batch minimum the sharper one, \
            and its test accuracy the lower.

            Every model is trained once per seed (initial parameters, shared by the three models of a seed, and \
            batch order); the figures show the mean over the seeds and their range as a band. The verdict per pair \
            tests whether a barrier separates its models: log10 of the highest training loss strictly between them \
            over the higher of their own, claimed above log10(1.01), a barrier at least 1% high.""");

    private static final Logger LOG = LogManager.getLogger(InterpolationExperiment.class);

    private static final Set<Metric> METRICS = EnumSet.of(Metric.LOSS, Metric.ACCURACY);

    /**
     * The settings of a run. Three models are trained: the first batch size with the first learning rate (the
     * first model of both pairs), the second batch size with the first learning rate, and the first batch size
     * with the second learning rate.
     *
     * @param batchSizes    the batch sizes of the first pair, two different values
     * @param learningRates the learning rates of the second pair, two different values
     * @param hiddenWidths  widths of the ReLU hidden layers
     * @param optimizer     the optimizer of every model
     * @param targetTrainLoss every training stops once its cross-entropy on the whole training set is at most this
     *                      (checked after every epoch), so that both models of a pair are minima of about the same
     *                      training loss, as in Keskar et al. (2017), who train both to nearly 100% training accuracy
     * @param maxEpochs     the epoch cap of every training, reported when hit
     * @param plateauEpochs 0, or the epochs without a 1% fall of the training loss after which a training stops
     *                      before the cap, reported as plateaued ({@link TrainingTarget})
     * @param trainSamples  training samples (a stratified random subset); 0 for all
     * @param testSamples   test samples (a stratified random subset); 0 for all
     * @param alphaFrom     the first alpha
     * @param alphaTo       the last alpha
     * @param alphaPoints   evenly spaced alphas from {@code alphaFrom} to {@code alphaTo}; 0 and 1 are added when
     *                      they fall between and are not on the grid
     * @param seeds         repetitions of the three trainings, each with its own shared initial parameters and
     *                      batch order
     */
    public record Settings(List<Integer> batchSizes, List<Double> learningRates, List<Integer> hiddenWidths,
                           OptimizerKind optimizer, double targetTrainLoss, int maxEpochs, int plateauEpochs,
                           int trainSamples, int testSamples, double alphaFrom, double alphaTo, int alphaPoints,
                           int seeds) {

        public static final int SEEDS_QUICK = 3;
        public static final int SEEDS_FULL = 5;
        /**
         * The quick preset's training target: a cross-entropy of 0.05 nats, over 99% training accuracy for both
         * batch sizes and both learning rates, which the large batch reaches in about 100 epochs of 4,000 samples.
         */
        public static final double TARGET_TRAIN_LOSS_QUICK = 0.05;
        /** The full preset's training target, nearer Keskar et al.'s nearly 100% training accuracy. */
        public static final double TARGET_TRAIN_LOSS_FULL = 0.02;
        /** Training samples at the quick preset, half of the bundled ones, so that it stays a quick look. */
        public static final int TRAIN_SAMPLES_QUICK = 4_000;

        public Settings {
            batchSizes = Check.distinct("batchSizes", Check.allBetween("batchSizes", batchSizes, 1, Limits.SAMPLES));
            if (batchSizes.size() != 2) {
                throw new InvalidSettingException("batchSizes", batchSizes, "two different batch sizes");
            }
            learningRates = Check.distinct("learningRates", learningRates);
            if (learningRates.size() != 2) {
                throw new InvalidSettingException("learningRates", learningRates, "two different learning rates");
            }
            for (double lr : learningRates) {
                if (!(lr > 0) || Double.isInfinite(lr)) {
                    throw new InvalidSettingException("learningRates", learningRates, "two finite numbers > 0");
                }
            }
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            if (optimizer == null) {
                throw new InvalidSettingException("optimizer", null, "sgd or adam");
            }
            new TrainingTarget(targetTrainLoss, maxEpochs, plateauEpochs); // checks all three
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("testSamples", testSamples, 0, Limits.SAMPLES);
            if (!Double.isFinite(alphaFrom)) {
                throw new InvalidSettingException("alphaFrom", alphaFrom, "a finite number");
            }
            if (!(alphaTo > alphaFrom) || Double.isInfinite(alphaTo)) {
                throw new InvalidSettingException("alphaTo", alphaTo, "a finite number > alpha-from (" + alphaFrom
                        + ")");
            }
            Check.between("alphaPoints", alphaPoints, 2, Limits.ALPHA_POINTS);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About 40 seconds on two CPU cores: batch sizes 64 and 1024, Adam learning rates 1e-3 and 1e-2, every
         * model trained on 4,000 of the bundled training samples until a training loss of 0.05 (at most 300
         * epochs), 3 seeds; 25 alphas from -1 to 2, evaluated on those training samples and all test samples.
         */
        public static Settings quick() {
            return new Settings(List.of(64, 1024), List.of(1e-3, 1e-2), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, TARGET_TRAIN_LOSS_QUICK, 300, 0, TRAIN_SAMPLES_QUICK, MnistInput.ALL, -1, 2, 25,
                    SEEDS_QUICK);
        }

        /**
         * The assignment's scale: all the data, every model trained until a training loss of 0.02 (at most 1,000
         * epochs), 61 alphas from -1 to 2, 5 seeds.
         */
        public static Settings full() {
            return new Settings(List.of(64, 1024), List.of(1e-3, 1e-2), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, TARGET_TRAIN_LOSS_FULL, 1_000, 0, MnistInput.ALL, MnistInput.ALL, -1, 2, 61,
                    SEEDS_FULL);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /**
         * When every training stops: at {@link #targetTrainLoss}, after {@link #maxEpochs}, or when its loss has
         * stalled for {@link #plateauEpochs}.
         */
        public TrainingTarget target() {
            return new TrainingTarget(targetTrainLoss, maxEpochs, plateauEpochs);
        }

        /** The alphas evaluated: the even grid, with 0 and 1 added where they fall inside it. */
        public double[] alphas() {
            TreeSet<Double> all = new TreeSet<>();
            for (double a : InterpolationPath.linspace(alphaFrom, alphaTo, alphaPoints)) {
                all.add(a == 0 ? 0.0 : a);
            }
            for (double a : new double[] {0, 1}) {
                if (a >= alphaFrom && a <= alphaTo) {
                    all.add(a);
                }
            }
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * A trained model and its final parameters: the result of one trial.
     *
     * @param seed             the index of its seed, from 0
     * @param trained          the training and the metrics of its final parameters
     * @param reachedTarget    whether its training loss reached the target before the epoch cap
     * @param trainLossByEpoch the cross-entropy on the whole training set after each epoch
     * @param parameters       the final parameters, from which the reduce step rebuilds the model
     */
    public record Endpoint(int seed, TrainedClassifier trained, boolean reachedTarget, double[] trainLossByEpoch,
                           double[] parameters) {
    }

    /** What one trial trains: a batch size with a learning rate. */
    private record Training(int batchSize, double learningRate) {

        /** {@code batch-64-lr-0.001.seed-0}. */
        String key(int seed) {
            return SeedKey.of("batch-" + batchSize + "-lr-" + learningRate, seed);
        }

        String label() {
            return "batch " + batchSize + ", lr " + learningRate;
        }
    }

    public InterpolationExperiment(Settings settings) {
        super(TYPE, settings, Endpoint.class);
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, ModelSpec spec, long initSeed, long shuffleSeed) {
    }

    /**
     * The data and the seeds of repetition {@code seed}: every repetition draws the first seed's data subset, and
     * its own initial parameters (shared by its three models) and batch order, so that seed 0 draws what a single
     * run draws.
     */
    private Setup setup(ExperimentContext context, int seed) throws IOException {
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                context.random().nextLong());
        ModelSpec spec = Classifier.mlp(data, settings.hiddenWidths());
        SplittableRandom random = context.random(seed);
        random.nextLong(); // the data seed's draw
        long initSeed = random.nextLong();
        return new Setup(data, spec, initSeed, random.nextLong());
    }

    /**
     * The three trainings, in order: the first batch size with the first learning rate (the first model of both
     * pairs), the second batch size with it, and the first batch size with the second learning rate.
     */
    private List<Training> trainings() {
        int smallBatch = settings.batchSizes().get(0);
        double lr1 = settings.learningRates().get(0);
        return List.of(new Training(smallBatch, lr1), new Training(settings.batchSizes().get(1), lr1),
                new Training(smallBatch, settings.learningRates().get(1)));
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.checkSizes(context, settings.trainSamples(), settings.testSamples(), "batchSizes",
                settings.batchSizes());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    /**
     * One key per trained model and seed, {@code batch-64-lr-0.001.seed-0}: the one of the large batch size first
     * (it takes the most epochs to reach the target, so the trials run at once end together), then the shared
     * first model, then the one of the other learning rate, each for every seed.
     */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        List<Training> trainings = trainings();
        for (Training t : List.of(trainings.get(1), trainings.get(0), trainings.get(2))) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                keys.add(t.key(seed));
            }
        }
        return keys;
    }

    /** Trains one model from its seed's shared initial parameters and returns it with its final parameters. */
    @Override
    public Endpoint runTrial(String key, ExperimentContext context) throws IOException {
        for (Training training : trainings()) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                if (training.key(seed).equals(key)) {
                    return train(context, training, seed);
                }
            }
        }
        throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are " + trialKeys());
    }

    private Endpoint train(ExperimentContext context, Training training, int seed) throws IOException {
        Setup setup = setup(context, seed);
        TrainingTarget target = settings.target();
        context.progress().plan(target.maxEpochs());
        TrainingConfig config = TrainingConfig.of(target.maxEpochs(), training.batchSize(), setup.shuffleSeed(),
                context.precision());
        try (Model model = context.backend().createModel(setup.spec(), context.precision(), setup.initSeed())) {
            TrainingTarget.Listener stop = target.listener(setup.data().train());
            TrainedClassifier t = TrainedClassifier.train(context, model, setup.data(), training.label(),
                    settings.optimizer().spec(training.learningRate()), config, List.of(stop));
            return new Endpoint(seed, t, stop.reached(), stop.losses(), model.parameters());
        }
    }

    /** One line of one seed: its two models and the loss and accuracy along it. */
    record Line(int seed, Endpoint first, Endpoint second, InterpolationPath path) {
    }

    /**
     * Evaluates each seed's two lines between its models on the driver, with a model built from their parameters,
     * tests for each pair whether a barrier separates the models, and writes the figures, tables and summary. A line
     * whose second model diverged is left out, and a seed whose shared first model diverged has none.
     *
     * @throws IllegalStateException naming the trials that diverged when no seed has a line
     */
    @Override
    public ExperimentResult reduce(TrialResults<Endpoint> trials, ExperimentContext context) throws IOException {
        List<Training> trainings = trainings();
        Setup setup = setup(context, 0);
        MnistInput data = setup.data();
        ModelSpec spec = setup.spec();
        double[] alphas = settings.alphas();
        Map<String, Dataset> sets = new LinkedHashMap<>();
        sets.put("train", data.train());
        sets.put("test", data.test());

        List<Callable<Optional<Line>>> batchLines = new ArrayList<>();
        List<Callable<Optional<Line>>> rateLines = new ArrayList<>();
        for (int seed = 0; seed < settings.seeds(); seed++) {
            String baseKey = trainings.get(0).key(seed);
            Endpoint base = trials.get(baseKey).orElse(null);
            if (base == null) {
                LOG.warn("{}: seed {} has no line: trial {} (the first model of both pairs) {}", NAME, seed,
                        baseKey, missing(trials, baseKey));
                continue;
            }
            String batchKey = trainings.get(1).key(seed);
            String rateKey = trainings.get(2).key(seed);
            batchLines.add(() -> line(context, trials, batchKey, base, setup, alphas, sets));
            rateLines.add(() -> line(context, trials, rateKey, base, setup, alphas, sets));
        }
        List<Callable<Optional<Line>>> all = new ArrayList<>(batchLines);
        all.addAll(rateLines);
        List<Optional<Line>> evaluated = evaluateAll(all);
        List<Line> byBatch = evaluated.subList(0, batchLines.size()).stream().flatMap(Optional::stream).toList();
        List<Line> byRate = evaluated.subList(batchLines.size(), all.size()).stream().flatMap(Optional::stream)
                .toList();
        if (byBatch.isEmpty() && byRate.isEmpty()) {
            String first = trainings.get(0).key(0);
            throw new IllegalStateException("no seed has a line to interpolate: trial " + first + " (the first model "
                    + "of both pairs) " + missing(trials, first) + ", and so did the first or both second models of "
                    + "every other seed");
        }

        int smallBatch = settings.batchSizes().get(0);
        int largeBatch = settings.batchSizes().get(1);
        double lr1 = settings.learningRates().get(0);
        double lr2 = settings.learningRates().get(1);
        OutputWriter out = context.output();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> pairs = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        String model = data.dataset().title() + " " + Classifier.describe(spec) + ", " + settings.optimizer().label();
        String training = "trained to loss ≤ " + settings.targetTrainLoss() + " on " + data.train().size()
                + " samples";
        if (!byBatch.isEmpty()) {
            pairs.add(writePair(context, out, "batch-size", byBatch,
                    "Linear interpolation from batch size " + smallBatch + " (α = 0) to " + largeBatch + " (α = 1)\n"
                            + model + " lr " + lr1 + ", " + training + " " + epochsCaption(byBatch) + "; "
                            + seedsCaption(byBatch),
                    "batch " + smallBatch, "batch " + largeBatch, keyNumbers, verdicts));
        } else {
            LOG.warn("{}: the batch-size pair is left out: no seed has both its models", NAME);
        }
        if (!byRate.isEmpty()) {
            pairs.add(writePair(context, out, "learning-rate", byRate,
                    "Linear interpolation from learning rate " + lr1 + " (α = 0) to " + lr2 + " (α = 1)\n" + model
                            + ", batch " + smallBatch + ", " + training + " " + epochsCaption(byRate) + "; "
                            + seedsCaption(byRate),
                    "lr " + lr1, "lr " + lr2, keyNumbers, verdicts));
        } else {
            LOG.warn("{}: the learning-rate pair is left out: no seed has both its models", NAME);
        }
        context.results().flush();

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("sharedInitialization", "the three models of a seed start from the same parameters");
        summary.put("trainingTarget", settings.target().describe());
        summary.put("alphas", alphas);
        List<Map<String, Object>> models = new ArrayList<>();
        for (Training t : trainings) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                trials.get(t.key(seed)).ifPresent(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("seed", e.seed());
                    m.putAll(e.trained().toMap());
                    m.put("reachedTarget", e.reachedTarget());
                    m.put("trainLossByEpoch", e.trainLossByEpoch());
                    models.add(m);
                });
            }
        }
        summary.put("models", models);
        summary.put("pairs", pairs);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The line from {@code base} to the model of trial {@code key}, when that trial has a result, evaluated with a
     * model of its own built from the parameters along it.
     */
    private static Optional<Line> line(ExperimentContext context, TrialResults<Endpoint> trials, String key,
                                       Endpoint base, Setup setup, double[] alphas, Map<String, Dataset> sets) {
        Endpoint other = trials.get(key).orElse(null);
        if (other == null) {
            LOG.warn("{}: a line of seed {} is left out: trial {} {}", NAME, base.seed(), key, missing(trials, key));
            return Optional.empty();
        }
        context.progress().model("interpolating " + alphas.length + " points from " + base.trained().label() + " to "
                + other.trained().label() + ", seed " + base.seed());
        try (Model evaluator = context.backend().createModel(setup.spec(), context.precision(), setup.initSeed())) {
            return Optional.of(new Line(base.seed(), base, other, InterpolationPath.compute(evaluator,
                    base.parameters(), other.parameters(), alphas, sets, METRICS)));
        }
    }

    /**
     * Runs the lines' evaluations on as many threads as the driver has cores (at most one per line), in order:
     * the evaluations are independent and each is the same on any thread, and one after the other they took most
     * of the quick preset's time.
     */
    private static List<Optional<Line>> evaluateAll(List<Callable<Optional<Line>>> lines) throws IOException {
        if (lines.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(lines.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Optional<Line>> out = new ArrayList<>();
            for (Future<Optional<Line>> f : pool.invokeAll(lines)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(NAME + ": interrupted while interpolating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(NAME + ": interpolating failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** How long the two models of a pair trained: {@code (22 and 101 epochs on average)}. */
    private static String epochsCaption(List<Line> lines) {
        double first = lines.stream().mapToInt(l -> l.first().trained().epochs()).average().orElse(Double.NaN);
        double second = lines.stream().mapToInt(l -> l.second().trained().epochs()).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "(%.0f and %.0f epochs%s)", first, second,
                lines.size() == 1 ? "" : " on average");
    }

    private static String seedsCaption(List<Line> lines) {
        return lines.size() == 1 ? "1 seed" : "mean of " + lines.size() + " seeds, band: their range";
    }

    private static String missing(TrialResults<Endpoint> trials, String key) {
        return trials.diverged().contains(key) ? "diverged" : "has no result";
    }

    /**
     * The smallest barrier that counts: the highest training loss between the models must exceed the higher of
     * their own losses by at least 1%, so that a flat line (a model and itself) is no barrier.
     */
    static final double BARRIER_THRESHOLD = Math.log10(1.01);

    /**
     * The barrier on a line: {@code log10} of the highest training loss strictly between {@code alpha = 0} and
     * {@code alpha = 1} over the higher of the losses at 0 and 1 (Goodfellow, Vinyals and Saxe 2015). Positive when
     * the loss rises between the two models above both; negative when it stays below the higher one, as it does
     * when it falls monotonically from one model to the other; 0 along a flat line. NaN when the alphas hold
     * neither 0 and 1 nor a point between them.
     */
    static double barrier(double[] alphas, double[] trainLoss) {
        double between = Double.NEGATIVE_INFINITY;
        double ends = Double.NaN;
        int found = 0;
        for (int i = 0; i < alphas.length; i++) {
            if (alphas[i] > 0 && alphas[i] < 1) {
                between = Math.max(between, trainLoss[i]);
            } else if (alphas[i] == 0 || alphas[i] == 1) {
                ends = found == 0 ? trainLoss[i] : Math.max(ends, trainLoss[i]);
                found++;
            }
        }
        return found == 2 && Double.isFinite(between) ? Math.log10(between / ends) : Double.NaN;
    }

    private Map<String, Object> writePair(ExperimentContext context, OutputWriter out, String name, List<Line> lines,
                                          String title, String firstLabel, String secondLabel,
                                          Map<String, Double> keyNumbers, List<Verdict> verdicts) throws IOException {
        double[] alphas = lines.get(0).path().alphas();
        CsvTable table = CsvTable.of("seed", "alpha", "train_loss", "train_accuracy", "test_loss", "test_accuracy");
        for (Line line : lines) {
            InterpolationPath path = line.path();
            double[] trainLoss = path.values("train", Metric.LOSS);
            double[] trainAccuracy = path.values("train", Metric.ACCURACY);
            double[] testLoss = path.values("test", Metric.LOSS);
            double[] testAccuracy = path.values("test", Metric.ACCURACY);
            for (int i = 0; i < alphas.length; i++) {
                table.add(line.seed(), alphas[i], trainLoss[i], trainAccuracy[i], testLoss[i], testAccuracy[i]);
            }
        }
        out.writeCsv(name + ".csv", table);

        LineChart chart = LineChart.builder(title)
                .xLabel("α, parameters (1 − α)·θ(" + firstLabel + ") + α·θ(" + secondLabel + ")")
                .yLabel("cross-entropy (nats)").logY(true)
                .add(banded(Series::line, "train cross-entropy", alphas, lines, "train", Metric.LOSS))
                .add(banded(Series::line, "test cross-entropy", alphas, lines, "test", Metric.LOSS))
                .secondaryYLabel("accuracy")
                .addSecondary(banded(Series::dashed, "train accuracy (right axis)", alphas, lines, "train",
                        Metric.ACCURACY))
                .addSecondary(banded(Series::dashed, "test accuracy (right axis)", alphas, lines, "test",
                        Metric.ACCURACY))
                .build();
        SweepFigures.save(out, chart, name);

        double[] barriers = new double[settings.seeds()];
        Arrays.fill(barriers, Double.NaN);
        List<Map<String, Object>> seeds = new ArrayList<>();
        int zero = Arrays.binarySearch(alphas, 0.0);
        int one = Arrays.binarySearch(alphas, 1.0);
        double[] between = new double[lines.size()];
        List<String> capped = new ArrayList<>();
        boolean hitCap = false;
        boolean stalled = false;
        double[] firstLoss = new double[lines.size()];
        double[] secondLoss = new double[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            Line line = lines.get(k);
            double[] trainLoss = line.path().values("train", Metric.LOSS);
            double highest = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < alphas.length; i++) {
                if (alphas[i] > 0 && alphas[i] < 1) {
                    highest = Math.max(highest, trainLoss[i]);
                }
            }
            between[k] = Double.isInfinite(highest) ? Double.NaN : highest;
            firstLoss[k] = zero >= 0 ? trainLoss[zero] : Double.NaN;
            secondLoss[k] = one >= 0 ? trainLoss[one] : Double.NaN;
            barriers[line.seed()] = barrier(alphas, trainLoss);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seed", line.seed());
            s.put("maxTrainLossBetween", between[k]);
            s.put("trainLossAtAlpha0", firstLoss[k]);
            s.put("trainLossAtAlpha1", secondLoss[k]);
            s.put("barrierLog10", barriers[line.seed()]);
            s.put("firstTestAccuracy", line.first().trained().testAccuracy());
            s.put("secondTestAccuracy", line.second().trained().testAccuracy());
            s.put("firstEpochs", line.first().trained().epochs());
            s.put("secondEpochs", line.second().trained().epochs());
            s.put("firstReachedTarget", line.first().reachedTarget());
            s.put("secondReachedTarget", line.second().reachedTarget());
            seeds.add(s);
            for (Endpoint e : List.of(line.first(), line.second())) {
                if (!e.reachedTarget()) {
                    int epochs = e.trainLossByEpoch().length;
                    boolean plateaued = settings.target().plateaued(false, epochs);
                    stalled |= plateaued;
                    hitCap |= !plateaued;
                    capped.add(e.trained().label() + ", seed " + line.seed()
                            + (plateaued ? ", plateaued after " + epochs + " epochs" : ""));
                }
            }
            context.results().printf(Locale.ROOT, "%s %s seed %d: %s %d epochs, test acc %.4f; %s %d epochs, test "
                            + "acc %.4f; highest train loss between them %.4g (endpoints %.4g, %.4g), log10 barrier "
                            + "%.3f%n", NAME, name, line.seed(), firstLabel, line.first().trained().epochs(),
                    line.first().trained().testAccuracy(), secondLabel, line.second().trained().epochs(),
                    line.second().trained().testAccuracy(), between[k], firstLoss[k], secondLoss[k],
                    barriers[line.seed()]);
        }
        Verdict v = verdict(name, firstLabel, secondLabel, barriers, mean(firstLoss), mean(secondLoss),
                mean(between), capped, SweepModels.advice(settings.target(), hitCap, stalled));
        verdicts.add(v);
        context.results().println(NAME + " " + name + ": " + v);

        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("pair", name);
        pair.put("first", lines.get(0).first().trained().label());
        pair.put("second", lines.get(0).second().trained().label());
        pair.put("figure", name + ".png");
        pair.put("data", name + ".csv");
        pair.put("seeds", seeds);
        keyNumbers.put(name + " / " + firstLabel + " / test accuracy",
                mean(lines.stream().mapToDouble(l -> l.first().trained().testAccuracy()).toArray()));
        keyNumbers.put(name + " / " + secondLabel + " / test accuracy",
                mean(lines.stream().mapToDouble(l -> l.second().trained().testAccuracy()).toArray()));
        keyNumbers.put(name + " / highest train loss between the models", mean(between));
        return pair;
    }

    /**
     * The claim that a barrier separates the two models of a pair, tested over the seeds: the barrier
     * ({@link #barrier}) above {@link #BARRIER_THRESHOLD}.
     */
    private Verdict verdict(String name, String firstLabel, String secondLabel, double[] barriers, double firstLoss,
                            double secondLoss, double between, List<String> capped, String advice) {
        boolean batch = name.equals("batch-size");
        String seen = String.format(Locale.ROOT, "On average the training loss is %.3g at %s, %.3g at %s and at "
                + "most %.3g between them.", firstLoss, firstLabel, secondLoss, secondLabel, between);
        String why = "";
        double higher = Math.max(firstLoss, secondLoss);
        Verdict.Summary summary = Verdict.Summary.of(barriers);
        long above = Arrays.stream(barriers).filter(b -> b > BARRIER_THRESHOLD).count();
        String shortOf = String.format(Locale.ROOT, " %d training(s) stopped before the target training loss of %s "
                + "(%s; the cap is %d epochs)", capped.size(), settings.targetTrainLoss(), String.join("; ", capped),
                settings.maxEpochs());
        if (!capped.isEmpty() && summary.low() > BARRIER_THRESHOLD) {
            why = shortOf + "; to let every model reach it, " + advice + ".";
        } else if (!capped.isEmpty()) {
            String worse = firstLoss > secondLoss ? firstLabel : secondLabel;
            why = String.format(Locale.ROOT, "%s, so not both ends are minima: the loss can fall from the model "
                            + "at %s (%.1f times as high in loss as the other) towards the other instead of rising "
                            + "between two minima. Keskar et al. trained both models to nearly 100%% training "
                            + "accuracy; to let every model reach the target, %s.", shortOf, worse,
                    higher / Math.min(firstLoss, secondLoss), advice);
        } else if (!(summary.mean() > BARRIER_THRESHOLD)) {
            why = String.format(Locale.ROOT, " Every model reached the target training loss of %s, so both ends "
                    + "are minima of about the same loss, and yet the loss does not rise between them: at this size "
                    + "the two minima lie in one basin.", settings.targetTrainLoss());
        } else if (summary.mean() > BARRIER_THRESHOLD && summary.low() <= BARRIER_THRESHOLD) {
            why = String.format(Locale.ROOT, " %d of %d seeds show a barrier, but its height varies so much from "
                    + "seed to seed that the confidence interval over %d seeds reaches below the threshold; more "
                    + "seeds (the full preset's %d) narrow it.", above, summary.n(), summary.n(),
                    Settings.SEEDS_FULL);
        }
        return Verdict.test("the training loss rises on the line between the " + (batch ? "small-batch and the "
                        + "large-batch" : "two learning rates'") + " minima (" + firstLabel + " to " + secondLabel
                        + "): a barrier separates them",
                batch ? "Goodfellow, Vinyals and Saxe 2015; Keskar et al. 2017, Figure 3"
                        : "Goodfellow, Vinyals and Saxe 2015; the assignment, part 1-3",
                "log10(highest training loss for 0 < α < 1 / the higher of the two models' training losses)",
                barriers, Verdict.Direction.ABOVE, BARRIER_THRESHOLD, seen + why);
    }

    /** How a series is drawn: {@link Series#line} or {@link Series#dashed}. */
    private interface Style {
        Series of(String name, double[] x, double[] y);
    }

    /** The mean of one metric over the lines, with the range over them as its band when there is more than one. */
    private static Series banded(Style style, String name, double[] alphas, List<Line> lines, String set,
                                 Metric metric) {
        double[] mean = new double[alphas.length];
        double[] low = new double[alphas.length];
        double[] high = new double[alphas.length];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (Line line : lines) {
            double[] v = line.path().values(set, metric);
            for (int i = 0; i < alphas.length; i++) {
                mean[i] += v[i] / lines.size();
                low[i] = Math.min(low[i], v[i]);
                high[i] = Math.max(high[i], v[i]);
            }
        }
        Series s = style.of(name, alphas, mean);
        return lines.size() > 1 ? s.withBand(low, high) : s;
    }

    private static double mean(double[] v) {
        return Verdict.Summary.of(v).mean();
    }
}
