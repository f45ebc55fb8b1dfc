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
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;
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
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Flatness vs generalization, part 1 (assignment part 1-3): two classifiers of one spec, trained on the same data
 * from the same initial parameters, one with a small and one with a large batch size, and the cross-entropy and
 * accuracy of the parameters {@code theta(alpha) = (1 - alpha) theta1 + alpha theta2} on the training and test sets
 * for alpha from -1 to 2 (Goodfellow, Vinyals and Saxe 2015, "Qualitatively characterizing neural network
 * optimization problems"; Keskar et al. 2017, Figure 3, for the two batch sizes). A second pair differs only in the
 * learning rate. At alpha 0 and 1 the values are those of the two trained models, exactly.
 *
 * <p>Writes into {@code <out>/interpolation/}: {@code batch-size.png}/{@code .svg} and
 * {@code learning-rate.png}/{@code .svg} (cross-entropy on a log axis and accuracy on a second axis against
 * alpha), {@code batch-size.csv} and {@code learning-rate.csv} (their data), and {@code summary.json} (settings,
 * the three models with their metrics, the highest training loss between each pair, provenance).
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
            in its learning rate (0.01 instead of 0.001). Along the straight line θ(α) = (1 − α)·θ₁ + α·θ₂ between \
            two of them, the cross-entropy and the accuracy on the training and test sets are evaluated for α from \
            −1 to 2 (Goodfellow et al. 2015; Keskar et al. 2017).

            Read each figure from α = 0 (the first model) to α = 1 (the second): a bump of the loss between them is \
            a barrier that separates two minima; a loss that rises steeply on one side of a model (α < 0 or α > 1) \
            means a sharp minimum in that direction. Keskar et al. found the large-batch minimum the sharper one, \
            and its test accuracy the lower.""");

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
     * @param epochs        passes over the training set, the same for every model
     * @param trainSamples  training samples (a stratified random subset); 0 for all
     * @param testSamples   test samples (a stratified random subset); 0 for all
     * @param alphaFrom     the first alpha
     * @param alphaTo       the last alpha
     * @param alphaPoints   evenly spaced alphas from {@code alphaFrom} to {@code alphaTo}; 0 and 1 are added when
     *                      they fall between and are not on the grid
     */
    public record Settings(List<Integer> batchSizes, List<Double> learningRates, List<Integer> hiddenWidths,
                           OptimizerKind optimizer, int epochs, int trainSamples, int testSamples, double alphaFrom,
                           double alphaTo, int alphaPoints) {

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
            Check.between("epochs", epochs, 1, Limits.EPOCHS);
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
        }

        /**
         * About a minute on two CPU cores: batch sizes 64 and 1024, Adam learning rates 1e-3 and 1e-2, 10 epochs
         * of the bundled 8,000 training samples; 31 alphas from -1 to 2, evaluated on all training and test
         * samples.
         */
        public static Settings quick() {
            return new Settings(List.of(64, 1024), List.of(1e-3, 1e-2), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 10, MnistInput.ALL, MnistInput.ALL, -1, 2, 31);
        }

        /** The assignment's scale: all the data, 20 epochs per model, 61 alphas from -1 to 2. */
        public static Settings full() {
            return new Settings(List.of(64, 1024), List.of(1e-3, 1e-2), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 20, MnistInput.ALL, MnistInput.ALL, -1, 2, 61);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
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
     * @param trained    the training and the metrics of its final parameters
     * @param parameters the final parameters, from which the reduce step rebuilds the model
     */
    public record Endpoint(TrainedClassifier trained, double[] parameters) {
    }

    /** What one trial trains: a batch size with a learning rate. */
    private record Training(int batchSize, double learningRate) {

        String key() {
            return "batch-" + batchSize + "-lr-" + learningRate;
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

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                random.nextLong());
        ModelSpec spec = Classifier.mlp(data, settings.hiddenWidths());
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
     * One key per trained model, {@code batch-64-lr-0.001}: the shared first model, the one of the other batch
     * size, the one of the other learning rate.
     */
    @Override
    public List<String> trialKeys() {
        return trainings().stream().map(Training::key).toList();
    }

    /** Trains one model from the shared initial parameters and returns it with its final parameters. */
    @Override
    public Endpoint runTrial(String key, ExperimentContext context) throws IOException {
        Training training = trainings().stream().filter(t -> t.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trial '" + key + "' in " + NAME
                        + "; its trials are " + trialKeys()));
        Setup setup = setup(context);
        context.progress().plan(settings.epochs());
        TrainingConfig config = TrainingConfig.of(settings.epochs(), training.batchSize(), setup.shuffleSeed(),
                context.precision());
        try (Model model = context.backend().createModel(setup.spec(), context.precision(), setup.initSeed())) {
            TrainedClassifier t = TrainedClassifier.train(context, model, setup.data(), training.label(),
                    settings.optimizer().spec(training.learningRate()), config, List.of());
            return new Endpoint(t, model.parameters());
        }
    }

    /**
     * Evaluates the two lines between the models on the driver, with a model built from their parameters, and
     * writes the figures, tables and summary. A pair whose second model diverged is left out; without the shared
     * first model there is no line at all.
     *
     * @throws IllegalStateException naming the trial that diverged when no pair is left
     */
    @Override
    public ExperimentResult reduce(TrialResults<Endpoint> trials, ExperimentContext context) throws IOException {
        List<String> keys = trialKeys();
        Endpoint base = trials.get(keys.get(0)).orElseThrow(() -> new IllegalStateException("trial " + keys.get(0)
                + " (the first model of both pairs) " + missing(trials, keys.get(0)) + "; there is no line to "
                + "interpolate"));
        Endpoint otherBatch = trials.get(keys.get(1)).orElse(null);
        Endpoint otherRate = trials.get(keys.get(2)).orElse(null);
        if (otherBatch == null && otherRate == null) {
            throw new IllegalStateException("trial " + keys.get(1) + " " + missing(trials, keys.get(1))
                    + " and trial " + keys.get(2) + " " + missing(trials, keys.get(2))
                    + "; there is no line to interpolate");
        }
        Setup setup = setup(context);
        MnistInput data = setup.data();
        ModelSpec spec = setup.spec();
        int smallBatch = settings.batchSizes().get(0);
        int largeBatch = settings.batchSizes().get(1);
        double lr1 = settings.learningRates().get(0);
        double lr2 = settings.learningRates().get(1);

        double[] alphas = settings.alphas();
        Map<String, Dataset> sets = new LinkedHashMap<>();
        sets.put("train", data.train());
        sets.put("test", data.test());
        InterpolationPath byBatch = null;
        InterpolationPath byRate = null;
        int lines = (otherBatch != null ? 1 : 0) + (otherRate != null ? 1 : 0);
        context.progress().model("interpolating " + alphas.length + " points of " + lines + " line"
                + (lines == 1 ? "" : "s"));
        try (Model evaluator = context.backend().createModel(spec, context.precision(), setup.initSeed())) {
            if (otherBatch != null) {
                byBatch = InterpolationPath.compute(evaluator, base.parameters(), otherBatch.parameters(), alphas,
                        sets, METRICS);
            }
            if (otherRate != null) {
                byRate = InterpolationPath.compute(evaluator, base.parameters(), otherRate.parameters(), alphas,
                        sets, METRICS);
            }
        }

        OutputWriter out = context.output();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> pairs = new ArrayList<>();
        String model = "MNIST " + Classifier.describe(spec) + ", " + settings.optimizer().label();
        String training = settings.epochs() + " epochs of " + data.train().size() + " samples from one initialization";
        if (byBatch != null) {
            pairs.add(writePair(context, out, "batch-size", byBatch, base, otherBatch,
                    "Linear interpolation from batch size " + smallBatch + " (α = 0) to " + largeBatch + " (α = 1)\n"
                            + model + " lr " + lr1 + ", " + training,
                    "batch " + smallBatch, "batch " + largeBatch, keyNumbers));
        } else {
            LOG.warn("{}: the batch-size pair is left out: trial {} {}", NAME, keys.get(1), missing(trials,
                    keys.get(1)));
        }
        if (byRate != null) {
            pairs.add(writePair(context, out, "learning-rate", byRate, base, otherRate,
                    "Linear interpolation from learning rate " + lr1 + " (α = 0) to " + lr2 + " (α = 1)\n" + model
                            + ", batch " + smallBatch + ", " + training,
                    "lr " + lr1, "lr " + lr2, keyNumbers));
        } else {
            LOG.warn("{}: the learning-rate pair is left out: trial {} {}", NAME, keys.get(2), missing(trials,
                    keys.get(2)));
        }
        context.results().flush();

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("sharedInitialization", true);
        summary.put("alphas", alphas);
        summary.put("models", trials.map(e -> e.trained().toMap()));
        summary.put("pairs", pairs);
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    private static String missing(TrialResults<Endpoint> trials, String key) {
        return trials.diverged().contains(key) ? "diverged" : "has no result";
    }

    private Map<String, Object> writePair(ExperimentContext context, OutputWriter out, String name,
                                          InterpolationPath path, Endpoint first, Endpoint second, String title,
                                          String firstLabel, String secondLabel, Map<String, Double> keyNumbers)
            throws IOException {
        double[] alphas = path.alphas();
        double[] trainLoss = path.values("train", Metric.LOSS);
        double[] testLoss = path.values("test", Metric.LOSS);
        double[] trainAccuracy = path.values("train", Metric.ACCURACY);
        double[] testAccuracy = path.values("test", Metric.ACCURACY);
        CsvTable table = CsvTable.of("alpha", "train_loss", "train_accuracy", "test_loss", "test_accuracy");
        for (int i = 0; i < alphas.length; i++) {
            table.add(alphas[i], trainLoss[i], trainAccuracy[i], testLoss[i], testAccuracy[i]);
        }
        out.writeCsv(name + ".csv", table);

        LineChart chart = LineChart.builder(title)
                .xLabel("α, parameters (1 − α)·θ(" + firstLabel + ") + α·θ(" + secondLabel + ")")
                .yLabel("cross-entropy (nats)").logY(true)
                .add(Series.line("train cross-entropy", alphas, trainLoss))
                .add(Series.line("test cross-entropy", alphas, testLoss))
                .secondaryYLabel("accuracy")
                .addSecondary(Series.dashed("train accuracy (right axis)", alphas, trainAccuracy))
                .addSecondary(Series.dashed("test accuracy (right axis)", alphas, testAccuracy))
                .build();
        SweepFigures.save(out, chart, name);

        // the highest training loss strictly between the two models: the barrier on the straight path
        double barrier = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < alphas.length; i++) {
            if (alphas[i] > 0 && alphas[i] < 1) {
                barrier = Math.max(barrier, trainLoss[i]);
            }
        }
        int zero = Arrays.binarySearch(alphas, 0.0);
        int one = Arrays.binarySearch(alphas, 1.0);
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("pair", name);
        pair.put("first", first.trained().label());
        pair.put("second", second.trained().label());
        pair.put("figure", name + ".png");
        pair.put("data", name + ".csv");
        pair.put("maxTrainLossBetween", Double.isInfinite(barrier) ? Double.NaN : barrier);
        if (zero >= 0 && one >= 0) {
            pair.put("trainLossAtAlpha0", trainLoss[zero]);
            pair.put("trainLossAtAlpha1", trainLoss[one]);
        }
        keyNumbers.put(name + " / " + firstLabel + " / test accuracy", first.trained().testAccuracy());
        keyNumbers.put(name + " / " + secondLabel + " / test accuracy", second.trained().testAccuracy());
        keyNumbers.put(name + " / highest train loss between the models", (Double) pair.get("maxTrainLossBetween"));
        context.results().printf(Locale.ROOT, "%s %s: %s test acc %.4f, %s test acc %.4f; highest train loss"
                        + " between them %.4g (endpoints %.4g, %.4g)%n", NAME, name, firstLabel,
                first.trained().testAccuracy(), secondLabel, second.trained().testAccuracy(),
                (Double) pair.get("maxTrainLossBetween"), first.trained().trainLoss(), second.trained().trainLoss());
        return pair;
    }
}
