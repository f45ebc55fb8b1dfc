package io.github.losslab.app.experiment.edgeofstability;

import io.github.losslab.analysis.hessian.CurvatureMeasurement;
import io.github.losslab.analysis.hessian.CurvatureTracker;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.SeedKey;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The edge of stability, after Cohen, Kaur, Li, Kolter and Talwalkar, "Gradient Descent on Neural Networks Typically
 * Occurs at the Edge of Stability" (ICLR 2021). Gradient descent with step size {@code eta} on a quadratic is stable
 * only while the largest Hessian eigenvalue, the sharpness, is below {@code 2 / eta}. On neural networks, full-batch
 * gradient descent first raises the sharpness (progressive sharpening) until it reaches about {@code 2 / eta}; it
 * then hovers there, and the loss keeps falling, though no longer monotonically.
 *
 * <p>Here a small MLP (tanh, mean squared error against one-hot targets, as in the paper's cleanest setting) is
 * trained by plain full-batch gradient descent on a stratified subset of the MNIST training digits at each of several
 * learning rates, each over several seeds (trials {@code lr-0.1.seed-2}); a {@link CurvatureTracker} measures the
 * sharpness of the training loss every {@code measureEvery} steps, warm-starting each Lanczos process from the
 * previous top eigenvector.
 *
 * <p>The claims tested per learning rate over the seeds: the sharpness hovers at {@code 2 / eta}, statistic
 * {@code |ln(median sharpness over the last half of the steps / (2 / eta))|} below {@code ln 1.25} (within a factor
 * of 1.25 of the threshold); the loss keeps falling over that half, {@code log10} of its median over the half's
 * first tenth over its median over the last tenth above 0; and not monotonically, the fraction of its steps at which the loss rose above {@value #RISING_THRESHOLD}.
 * A learning rate so small that {@code 2 / eta} is out of reach within the steps keeps its sharpness below the
 * threshold and its loss monotone, and reproduces neither the first claim nor the last.
 *
 * <p>Writes into {@code <out>/edge-of-stability/}: {@code edge-of-stability.png}/{@code .svg} (the sharpness with
 * {@code 2 / eta} dashed in the same colour above, the training loss below, mean over the seeds with their range as
 * a band), {@code sharpness.csv}, {@code loss.csv} and {@code summary.json}.
 */
public final class EdgeOfStabilityExperiment extends TrialExperiment<EdgeOfStabilityExperiment.Settings,
        EdgeOfStabilityExperiment.Run> {

    /** The name the command line knows. */
    public static final String NAME = "edge-of-stability";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "full-batch gradient descent on MNIST digits at several learning rates: the top Hessian eigenvalue "
                    + "rises to 2/η and hovers there (Cohen et al. 2021)",
            Settings.class, Settings::of, EdgeOfStabilityExperiment::new).withExplanation("""
            Cohen et al. 2021 observed that full-batch gradient descent on neural networks first raises the \
            sharpness, the largest eigenvalue of the Hessian of the training loss (progressive sharpening), until \
            it reaches 2/η, the largest value at which gradient descent with step size η is stable on a \
            quadratic; from then on the sharpness hovers at 2/η while the loss keeps falling, over the long run \
            though not monotonically: the edge of stability.

            Here a small tanh MLP is trained with plain gradient descent (no momentum) on a subset of MNIST \
            digits with mean squared error against one-hot targets, at several learning rates, each over several \
            seeds. The sharpness is measured every few steps by Lanczos, each run warm-started from the previous \
            top eigenvector. The figure shows the sharpness against the step with 2/η dashed in each learning \
            rate's colour, and the training loss below. The verdicts test per learning rate whether the median \
            sharpness over the last half of the steps lies within a factor of 1.25 of 2/η, whether the loss fell \
            over that half, and whether it rose at some of its steps.""");

    /** The fraction of the steps at the end over which the statistics are taken. */
    static final double LAST_FRACTION = 0.5;
    /** The factor of {@code 2 / eta} within which the median sharpness counts as at the edge. */
    static final double EDGE_FACTOR = 1.25;
    /** The fraction of steps at which the loss rose above which it counts as not monotone. */
    static final double RISING_THRESHOLD = 0.02;
    /** A step counts as rising when the loss grows by more than this fraction: above float32 rounding. */
    static final double RISE_TOLERANCE = 1e-4;
    /** Where the sharpness counts as having reached the edge, for the reports: this fraction of {@code 2 / eta}. */
    static final double REACHED_FRACTION = 0.9;

    /**
     * The settings of a run.
     *
     * @param trainSamples     MNIST training digits (a stratified subset), the whole batch of every step
     * @param hiddenWidths     widths of the hidden layers
     * @param activation       of the hidden layers
     * @param learningRates    the step sizes eta of gradient descent, one curve each
     * @param steps            gradient-descent steps of each training
     * @param measureEvery     steps between two measurements of the sharpness
     * @param curvatureSamples training digits the Hessian is measured on (a stratified subset); 0 for all of them
     * @param traceProbes      Hutchinson probes of the Hessian's trace at each measurement; 0 for none
     * @param seeds            repetitions of every training, with their own initial parameters
     */
    public record Settings(int trainSamples, List<Integer> hiddenWidths, Activation activation,
                           List<Double> learningRates, int steps, int measureEvery, int curvatureSamples,
                           int traceProbes, int seeds) {

        public Settings {
            Check.between("trainSamples", trainSamples, 1, Limits.SAMPLES);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            learningRates = List.copyOf(Check.distinct("learningRates", Check.notEmpty("learningRates",
                    learningRates)));
            for (double lr : learningRates) {
                Check.positive("learningRates", lr);
            }
            Check.between("steps", steps, 2, Limits.STEPS);
            Check.between("measureEvery", measureEvery, 1, steps);
            Check.between("curvatureSamples", curvatureSamples, MnistInput.ALL, trainSamples);
            if (traceProbes == 1 || traceProbes < 0 || traceProbes > Limits.RUNS) {
                throw new InvalidSettingException("traceProbes", traceProbes, "0 (no trace) or an integer in [2, "
                        + Limits.RUNS + "]");
            }
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /** Three narrow tanh layers: a small initial sharpness (about 1.4) that training raises threefold. */
        public static final List<Integer> HIDDEN_WIDTHS_DEFAULT = List.of(32, 32, 32);
        /**
         * Thresholds 2/η of 4, 3.3 and 2.7, above the initial sharpness and reached within the first half of the
         * quick preset's steps (the loss here is the mean over the 10 outputs: its Hessian is a fifth of that of
         * the paper's {@code 0.5 ||f(x) - y||^2}, so these step sizes are five times the paper's).
         */
        public static final List<Double> LEARNING_RATES_DEFAULT = List.of(0.5, 0.6, 0.75);

        /** Quick: 1,000 digits, 800 steps measured every 20, 3 seeds. */
        public static Settings quick() {
            return new Settings(1_000, HIDDEN_WIDTHS_DEFAULT, Activation.TANH, LEARNING_RATES_DEFAULT, 800, 20,
                    MnistInput.ALL, 0, 3);
        }

        /**
         * Full: 5,000 digits (the size of the paper's CIFAR-10 subset), 3,000 steps measured every 20 with the
         * tracker's default trace, 5 seeds.
         */
        public static Settings full() {
            return new Settings(5_000, HIDDEN_WIDTHS_DEFAULT, Activation.TANH, LEARNING_RATES_DEFAULT, 3_000, 20,
                    MnistInput.ALL, CurvatureTracker.DEFAULT_TRACE_PROBES, 5);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withSize(int newTrainSamples, List<Integer> widths, int newSteps, int every) {
            return new Settings(newTrainSamples, widths, activation, learningRates, newSteps, every,
                    Math.min(curvatureSamples, newTrainSamples), traceProbes, seeds);
        }

        public Settings withLearningRates(List<Double> values) {
            return new Settings(trainSamples, hiddenWidths, activation, values, steps, measureEvery,
                    curvatureSamples, traceProbes, seeds);
        }

        public Settings withCurvature(int samples, int probes) {
            return new Settings(trainSamples, hiddenWidths, activation, learningRates, steps, measureEvery, samples,
                    probes, seeds);
        }

        public Settings withSeeds(int value) {
            return new Settings(trainSamples, hiddenWidths, activation, learningRates, steps, measureEvery,
                    curvatureSamples, traceProbes, value);
        }

        /** The stability threshold {@code 2 / eta} of gradient descent with step size {@code eta}. */
        public static double threshold(double learningRate) {
            return 2 / learningRate;
        }
    }

    /**
     * The result of one trial: one training at one learning rate and seed.
     *
     * @param learningRate     the step size eta
     * @param seed             the index of the seed, from 0
     * @param measuredSteps    the steps the sharpness was measured after (0: at the initial parameters)
     * @param sharpness        the largest Hessian eigenvalue of the training loss at each of them
     * @param iterations       the Lanczos steps each measurement took
     * @param trace            Hutchinson's estimate of the Hessian's trace at each of them; empty without probes
     * @param loss             the training loss at the parameters after each step: {@code steps + 1} values, from
     *                         the initial parameters
     * @param trainAccuracy    the fraction of training digits whose largest output is their class, after training
     * @param trainingSeconds  wall time of the gradient-descent steps alone
     * @param curvatureSeconds wall time of the curvature measurements
     * @param products         Hessian-vector products of the measurements
     */
    public record Run(double learningRate, int seed, long[] measuredSteps, double[] sharpness, int[] iterations,
                      double[] trace, double[] loss, double trainAccuracy, double trainingSeconds,
                      double curvatureSeconds, long products) {
    }

    public EdgeOfStabilityExperiment(Settings settings) {
        super(TYPE, settings, Run.class);
    }

    /** The training digits with one-hot targets, and the digits the Hessian is measured on. */
    private record Data(MnistInput input, Dataset train, Dataset curvature, Dataset labelled) {
    }

    /** What every trial and the reduce step draw from the root seed, in the same order: the digits. */
    private Data data(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput input = MnistInput.load(context, settings.trainSamples(), random.nextLong());
        Dataset labelled = input.train();
        Dataset curvature = MnistInput.cut(labelled, settings.curvatureSamples(), random.nextLong());
        return new Data(input, oneHot(labelled), curvature == labelled ? null : oneHot(curvature), labelled);
    }

    /** A classification dataset as regression onto one-hot targets, for the mean squared error. */
    public static Dataset oneHot(Dataset labelled) {
        int classes = labelled.classes();
        float[] targets = new float[labelled.size() * classes];
        for (int i = 0; i < labelled.size(); i++) {
            targets[i * classes + labelled.label(i)] = 1;
        }
        return Dataset.regression(labelled.name() + ", one-hot", labelled.featureShape(), labelled.features(),
                targets, classes);
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.Sizes sizes = MnistInput.checkSizes(context, settings.trainSamples(), MnistInput.ALL);
        if (settings.curvatureSamples() != MnistInput.ALL) {
            sizes.train().samples("curvatureSamples", settings.curvatureSamples());
        }
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    /** {@code lr-0.1}. */
    static String point(double learningRate) {
        return "lr-" + learningRate;
    }

    /** Every learning rate at every seed: {@code lr-0.05.seed-0}, .... */
    @Override
    public List<String> trialKeys() {
        return SeedKey.keys(settings.learningRates().stream().map(EdgeOfStabilityExperiment::point).toList(),
                settings.seeds());
    }

    private double learningRate(SeedKey key) {
        for (double lr : settings.learningRates()) {
            if (point(lr).equals(key.point())) {
                return lr;
            }
        }
        throw new IllegalArgumentException("no learning rate '" + key.point() + "' in " + NAME);
    }

    private ModelSpec spec(Dataset train) {
        return ModelSpec.mlp(train.featureSize(), settings.hiddenWidths().stream().mapToInt(Integer::intValue)
                .toArray(), train.targetSize(), settings.activation(), Loss.MEAN_SQUARED_ERROR);
    }

    /** One training by full-batch gradient descent, its sharpness measured every {@code measureEvery} steps. */
    @Override
    public Run runTrial(String key, ExperimentContext context) throws IOException {
        SeedKey k = seedKey(key);
        double lr = learningRate(k);
        Data data = data(context);
        SplittableRandom random = context.random(k.seed());
        random.nextLong(); // the draw of the digits
        long init = random.nextLong();
        long curvatureSeed = random.nextLong();
        Dataset train = data.train();
        CurvatureTracker tracker = CurvatureTracker.builder(data.curvature() == null ? train : data.curvature())
                .every(settings.measureEvery()).traceProbes(settings.traceProbes()).seed(curvatureSeed).build();
        context.progress().plan(settings.steps());
        try (Model model = context.backend().createModel(spec(train), context.precision(), init)) {
            tracker.measure(model, 0);
            long start = System.nanoTime();
            TrainingHistory history = model.train(train, OptimizerSpec.sgd(lr),
                    new TrainingConfig(settings.steps(), train.size(), false, 0, context.precision()),
                    List.of(tracker, context.progress().training("η = " + lr, settings.steps())));
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] loss = Arrays.copyOf(history.stepLosses(), settings.steps() + 1);
            loss[settings.steps()] = model.loss(train.all());
            List<CurvatureMeasurement> ms = tracker.measurements();
            double curvatureSeconds = tracker.seconds();
            return new Run(lr, k.seed(), ms.stream().mapToLong(CurvatureMeasurement::step).toArray(),
                    ms.stream().mapToDouble(CurvatureMeasurement::topEigenvalue).toArray(),
                    ms.stream().mapToInt(CurvatureMeasurement::iterations).toArray(),
                    settings.traceProbes() == 0 ? new double[0]
                            : ms.stream().mapToDouble(CurvatureMeasurement::trace).toArray(),
                    loss, accuracy(model, data.labelled()),
                    seconds - (curvatureSeconds - ms.get(0).seconds()), curvatureSeconds, tracker.products());
        }
    }

    /** The fraction of {@code labelled}'s samples whose largest output is their class. */
    private static double accuracy(Model model, Dataset labelled) {
        int classes = labelled.classes();
        double[] out = model.predict(toDoubles(labelled.features()), labelled.size());
        int right = 0;
        for (int i = 0; i < labelled.size(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (out[i * classes + c] > out[i * classes + best]) {
                    best = c;
                }
            }
            right += best == labelled.label(i) ? 1 : 0;
        }
        return (double) right / labelled.size();
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Override
    public ExperimentResult reduce(TrialResults<Run> trials, ExperimentContext context) throws IOException {
        Data data = data(context);
        ModelSpec spec = spec(data.train());
        OutputWriter out = context.output();
        List<List<Run>> byRate = new ArrayList<>();
        CsvTable sharpness = CsvTable.of("learning_rate", "seed", "step", "sharpness", "two_over_eta",
                "lanczos_iterations", "trace");
        CsvTable losses = CsvTable.of("learning_rate", "seed", "step", "loss");
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (double lr : settings.learningRates()) {
            List<Run> rate = new ArrayList<>();
            double[] edge = new double[settings.seeds()];
            double[] fall = new double[settings.seeds()];
            double[] rising = new double[settings.seeds()];
            for (int seed = 0; seed < settings.seeds(); seed++) {
                Run r = trials.get(SeedKey.of(point(lr), seed)).orElse(null);
                edge[seed] = Double.NaN;
                fall[seed] = Double.NaN;
                rising[seed] = Double.NaN;
                if (r == null) {
                    continue;
                }
                rate.add(r);
                Statistics s = Statistics.of(r, settings.steps());
                edge[seed] = Math.abs(Math.log(s.edgeRatio()));
                fall[seed] = s.lossFall();
                rising[seed] = s.risingFraction();
                for (int i = 0; i < r.measuredSteps().length; i++) {
                    sharpness.add(lr, seed, r.measuredSteps()[i], r.sharpness()[i], Settings.threshold(lr),
                            r.iterations()[i], r.trace().length == 0 ? "" : r.trace()[i]);
                }
                for (int t = 0; t < r.loss().length; t++) {
                    losses.add(lr, seed, t, r.loss()[t]);
                }
                runs.add(runSummary(r, s));
                context.results().printf(Locale.ROOT, "%s η = %s seed %d: 2/η = %.4g, sharpness %.4g -> %.4g "
                                + "(reached %.0f%% of 2/η at step %s), median over the last half %.3f × 2/η; loss "
                                + "%.4g -> %.4g, rose at %.1f%% of the last half's steps; accuracy %.3f; %.1f s "
                                + "training, %.1f s curvature%n", NAME, lr, seed, Settings.threshold(lr),
                        r.sharpness()[0], r.sharpness()[r.sharpness().length - 1], 100 * REACHED_FRACTION,
                        s.reachedAt() < 0 ? "never" : Long.toString(s.reachedAt()), s.edgeRatio(), r.loss()[0],
                        r.loss()[r.loss().length - 1], 100 * s.risingFraction(), r.trainAccuracy(),
                        r.trainingSeconds(), r.curvatureSeconds());
            }
            byRate.add(rate);
            if (rate.isEmpty()) {
                continue;
            }
            verdicts.addAll(verdicts(lr, rate, edge, fall, rising));
            keyNumbers.put("η = " + lr + " / median sharpness over the last half, × 2/η",
                    rate.stream().mapToDouble(r -> Statistics.of(r, settings.steps()).edgeRatio()).average()
                            .orElse(Double.NaN));
        }
        for (Verdict v : verdicts) {
            context.results().println(NAME + ": " + v);
        }
        context.results().flush();
        out.writeCsv("sharpness.csv", sharpness);
        out.writeCsv("loss.csv", losses);
        EdgeOfStabilityFigures.write(out, settings, byRate, title(spec, data.train().size()));

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("trainSamples", data.train().size());
        summary.put("curvatureSamples", data.curvature() == null ? data.train().size() : data.curvature().size());
        summary.put("sharpness", "the largest eigenvalue of the Hessian of the training loss (mean squared error "
                + "over every output of every sample), by Lanczos to a relative residual of "
                + CurvatureTracker.DEFAULT_TOLERANCE + ", warm-started from the previous measurement's eigenvector");
        summary.put("runs", runs);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("provenance", context.provenance(data.input().source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    static String title(ModelSpec spec, int samples) {
        String d = spec.describe();
        return String.format(Locale.ROOT, "%s, full-batch gradient descent on %,d MNIST digits",
                d.substring(0, d.indexOf(',')), samples);
    }

    /**
     * What one training shows.
     *
     * @param edgeRatio      the median sharpness over the last {@link #LAST_FRACTION} of the steps over {@code 2/eta}
     * @param reachedAt      the first measured step whose sharpness is at least {@link #REACHED_FRACTION} of
     *                       {@code 2/eta}; -1 when none
     * @param lossFall       {@code log10} of the median loss over the first tenth of the last part's steps over the
     *                       median over its last tenth
     * @param risingFraction the fraction of the last part's steps at which the loss rose by more than
     *                       {@link #RISE_TOLERANCE} of itself
     */
    record Statistics(double edgeRatio, long reachedAt, double lossFall, double risingFraction) {

        static Statistics of(Run r, int steps) {
            double threshold = Settings.threshold(r.learningRate());
            long from = Math.round(steps * (1 - LAST_FRACTION));
            List<Double> last = new ArrayList<>();
            long reached = -1;
            for (int i = 0; i < r.measuredSteps().length; i++) {
                if (r.measuredSteps()[i] >= from) {
                    last.add(r.sharpness()[i]);
                }
                if (reached < 0 && r.sharpness()[i] >= REACHED_FRACTION * threshold) {
                    reached = r.measuredSteps()[i];
                }
            }
            double[] loss = r.loss();
            int start = (int) from;
            int rises = 0;
            for (int t = start; t < loss.length - 1; t++) {
                if (loss[t + 1] > loss[t] * (1 + RISE_TOLERANCE)) {
                    rises++;
                }
            }
            // the loss spikes at the edge: compare the medians of the first and last tenth of the part
            int window = Math.max(1, (loss.length - start) / 10);
            List<Double> first = new ArrayList<>();
            List<Double> end = new ArrayList<>();
            for (int t = 0; t < window; t++) {
                first.add(loss[start + t]);
                end.add(loss[loss.length - 1 - t]);
            }
            return new Statistics(median(last) / threshold, reached, Math.log10(median(first) / median(end)),
                    (double) rises / (loss.length - 1 - start));
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private Map<String, Object> runSummary(Run r, Statistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", r.learningRate());
        m.put("seed", r.seed());
        m.put("twoOverEta", Settings.threshold(r.learningRate()));
        m.put("initialSharpness", r.sharpness()[0]);
        m.put("maxSharpness", Arrays.stream(r.sharpness()).max().orElse(Double.NaN));
        m.put("finalSharpness", r.sharpness()[r.sharpness().length - 1]);
        m.put("reachedEdgeAtStep", s.reachedAt() < 0 ? null : s.reachedAt());
        m.put("medianSharpnessLastHalfOverTwoOverEta", s.edgeRatio());
        m.put("initialLoss", r.loss()[0]);
        m.put("finalLoss", r.loss()[r.loss().length - 1]);
        m.put("lossFallLastHalfLog10", s.lossFall());
        m.put("risingStepsLastHalf", s.risingFraction());
        m.put("trainAccuracy", r.trainAccuracy());
        m.put("measurements", r.measuredSteps().length);
        m.put("meanLanczosIterations", Arrays.stream(r.iterations()).average().orElse(Double.NaN));
        m.put("hessianVectorProducts", r.products());
        m.put("trainingSeconds", r.trainingSeconds());
        m.put("curvatureSeconds", r.curvatureSeconds());
        return m;
    }

    /** The three claims of Cohen et al. at one learning rate, tested over its seeds. */
    List<Verdict> verdicts(double lr, List<Run> rate, double[] edge, double[] fall, double[] rising) {
        double threshold = Settings.threshold(lr);
        String source = "Cohen et al. 2021";
        String at = String.format(Locale.ROOT, " (η = %s, 2/η = %.4g)", lr, threshold);
        double maxSharpness = rate.stream().flatMapToDouble(r -> Arrays.stream(r.sharpness())).max()
                .orElse(Double.NaN);
        long reached = rate.stream().filter(r -> Statistics.of(r, settings.steps()).reachedAt() >= 0).count();
        double meanRatio = rate.stream().mapToDouble(r -> Statistics.of(r, settings.steps()).edgeRatio()).average()
                .orElse(Double.NaN);
        String seen = String.format(Locale.ROOT, "The median sharpness over the last half of the %d steps is %.3f "
                        + "times 2/η on average; %d of %d seeds reached %.0f%% of 2/η (largest sharpness seen %.4g).",
                settings.steps(), meanRatio, reached, rate.size(), 100 * REACHED_FRACTION, maxSharpness);
        double[] initial = rate.stream().mapToDouble(r -> r.sharpness()[0]).toArray();
        long startedThere = Arrays.stream(initial).filter(x -> x >= REACHED_FRACTION * threshold).count();
        String started = startedThere == 0 ? "" : String.format(Locale.ROOT, " %d of %d seeds started there "
                        + "(initial sharpness %.3g to %.3g): for them the hover is seen but not the climb to it; a "
                        + "smaller η, whose 2/η lies above the initial sharpness, shows the climb.", startedThere,
                rate.size(), Arrays.stream(initial).min().orElse(Double.NaN),
                Arrays.stream(initial).max().orElse(Double.NaN));
        String short_ = reached < rate.size() ? " Progressive sharpening did not reach 2/η within the steps at this"
                + " learning rate: more steps, or a larger η (a lower threshold), would show the edge." : "";
        List<Verdict> v = new ArrayList<>();
        v.add(Verdict.test("the sharpness rises to 2/η and hovers there" + at, source,
                "|ln(median sharpness over the last half of the steps / (2/η))|", edge, Verdict.Direction.BELOW,
                Math.log(EDGE_FACTOR), seen + started + short_));
        v.add(Verdict.test("the training loss keeps falling over the last half of the steps" + at, source,
                "log10(median training loss over the first tenth of the last half / over its last tenth)", fall, Verdict.Direction.ABOVE, 0,
                "Cohen et al. observe that the loss keeps falling over the long run while the sharpness hovers at "
                        + "2/η."));
        v.add(Verdict.test("the training loss does not fall monotonically" + at, source,
                "fraction of the last half's steps at which the training loss rose", rising,
                Verdict.Direction.ABOVE, RISING_THRESHOLD, "Below the edge gradient descent on a locally "
                        + "quadratic loss falls at every step; at the edge the loss rises now and then while the "
                        + "sharpness is above 2/η." + short_));
        return v;
    }
}
