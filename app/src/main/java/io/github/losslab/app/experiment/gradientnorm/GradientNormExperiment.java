package io.github.losslab.app.experiment.gradientnorm;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterBudget;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.SeedKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The gradient norm during training (assignment part 1-2, observe the gradient norm): at every iteration (optimizer
 * step) the mini-batch loss and the Euclidean norm of its gradient with respect to all parameters of the model,
 * both taken at the parameters before the step, for two trainings: an MNIST network, and a network of the
 * {@code fit-function} experiment fitting a function of one variable.
 *
 * <p>The claim tested over seeds: the gradient norm falls as training converges. Its statistic per seed and
 * training is {@code log10} of the mean gradient norm over the first 10% of the iterations divided by the mean over
 * the last 10%, claimed above 0; the {@link Verdict} of each training is in {@code summary.json}.
 *
 * <p>Writes into {@code <out>/gradient-norm/}: {@code mnist.png}/{@code .svg} and {@code function.png}/{@code .svg}
 * (the loss above, the gradient norm below, over a shared iteration axis: the first seed's raw values and the
 * moving average's mean over seeds with its range as a band), {@code mnist.csv} and {@code function.csv} (the values
 * of every iteration of every seed: the data of the figures) and {@code summary.json} (each training of each seed,
 * its final loss and gradient norm, the verdicts, the settings and the provenance).
 *
 * <p>One trial per training and seed: {@code mnist.seed-0}, {@code function.seed-0}, ...; the reduce step writes
 * the files of those that did not diverge.
 */
public final class GradientNormExperiment extends TrialExperiment<GradientNormExperiment.Settings,
        GradientNormExperiment.Training> {

    /** The name the command line knows. */
    public static final String NAME = "gradient-norm";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "the loss and the 2-norm of the gradient at every iteration, for an MNIST network and a fit-function "
                    + "network",
            Settings.class, Settings::of, GradientNormExperiment::new).withExplanation("""
            Two networks are trained with mini-batches: an MNIST classifier and a small network of the \
            fit-function experiment fitting a function of one variable. At every iteration the loss of the \
            mini-batch and the Euclidean norm of its gradient with respect to all parameters are recorded, at the \
            parameters before the optimizer's step.

            Each figure shows the loss above and the gradient norm below over the same iterations, raw and as a \
            centred moving average. The loss falls steadily, but the gradient norm does not simply fall with it: \
            with cross-entropy it first rises from its small value at initialization while the network learns \
            the classes, and falls only as the training loss approaches 0. The quick preset trains the MNIST \
            network on a subset small enough to be fitted within its epochs, so that both phases show.

            Each training is repeated over seeds (initial weights and batch order). The verdict per training \
            tests whether the gradient norm falls: log10 of the mean norm over the first 10% of the iterations \
            over the mean over the last 10%, claimed above 0.""");

    /** The two trainings, as named in files. */
    public static final String MNIST = "mnist";
    public static final String FUNCTION = "function";

    /**
     * The settings of a run.
     *
     * @param trainSamples            MNIST training samples, a stratified subset of the training split; 0 for all
     * @param mnistHiddenWidths       widths of the hidden layers of the MNIST network
     * @param mnistEpochs             passes over the MNIST training set
     * @param mnistBatchSize          MNIST samples per iteration
     * @param mnistLearningRate       of the optimizer on MNIST
     * @param function                the function fitted (a built-in one of {@code fit-function})
     * @param functionPoints          evenly spaced training points of the function
     * @param functionParameterBudget parameters of the function network
     * @param functionHiddenLayers    hidden layers of the function network
     * @param functionEpochs          passes over the function's points
     * @param functionBatchSize       points per iteration
     * @param functionLearningRate    of the optimizer on the function
     * @param activation              of the hidden layers of both networks
     * @param optimizer               {@code sgd} or {@code adam}, for both
     * @param smoothing               iterations of the moving average drawn over the raw values
     * @param seeds                   repetitions of each training, with their own initial weights and batch order
     */
    public record Settings(int trainSamples, List<Integer> mnistHiddenWidths, int mnistEpochs, int mnistBatchSize,
                           double mnistLearningRate, TargetFunction function, int functionPoints,
                           int functionParameterBudget, int functionHiddenLayers, int functionEpochs,
                           int functionBatchSize, double functionLearningRate, Activation activation,
                           OptimizerKind optimizer, int smoothing, int seeds) {

        public static final List<Integer> MNIST_HIDDEN_WIDTHS_DEFAULT = List.of(64, 32);
        public static final double LEARNING_RATE_DEFAULT = 0.001;
        public static final int SMOOTHING_DEFAULT = 50;
        public static final int SEEDS_QUICK = 3;
        public static final int SEEDS_FULL = 5;

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            mnistHiddenWidths = Check.hiddenWidths("mnistHiddenWidths", mnistHiddenWidths);
            Check.between("mnistEpochs", mnistEpochs, 1, Limits.EPOCHS);
            Check.between("mnistBatchSize", mnistBatchSize, 1, Limits.SAMPLES);
            Check.positive("mnistLearningRate", mnistLearningRate);
            if (function == null) {
                throw new InvalidSettingException("function", null, "a function");
            }
            Check.between("functionPoints", functionPoints, 2, Limits.POINTS);
            Check.between("functionHiddenLayers", functionHiddenLayers, 1, Limits.LAYERS);
            // widths of 1: input->1 (2), (layers-1) times 1->1 (2 each), 1->output (2)
            long minimumBudget = Limits.minimumDenseParameters(1, functionHiddenLayers, 1);
            if (functionParameterBudget < minimumBudget || functionParameterBudget > Limits.PARAMETERS) {
                throw new InvalidSettingException("functionParameterBudget", functionParameterBudget, "an integer "
                        + "in [" + minimumBudget + ", " + Limits.PARAMETERS + "] (at least the smallest network of "
                        + functionHiddenLayers + " hidden layers)");
            }
            Check.between("functionEpochs", functionEpochs, 1, Limits.EPOCHS);
            Check.between("functionBatchSize", functionBatchSize, 1, functionPoints);
            Check.positive("functionLearningRate", functionLearningRate);
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            if (optimizer == null) {
                throw new InvalidSettingException("optimizer", null, "sgd or adam");
            }
            Check.between("smoothing", smoothing, 1, Limits.SMOOTHING);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /** MNIST training samples at the quick preset: few enough to be fitted to a loss near 0 in its epochs. */
        public static final int TRAIN_SAMPLES_QUICK = 500;
        /** Epochs at the quick preset: 480 iterations, after which the MNIST network's training loss is ~0.01. */
        public static final int MNIST_EPOCHS_QUICK = 60;

        /**
         * About 10 seconds on two CPU cores, for 3 seeds: 784-64-32-10 for 60 epochs of batches of 64 on a
         * stratified 500 of the bundled training digits (480 iterations), and a 1,000-parameter network of 4 hidden
         * layers fitting x³ at 2,000 points for 20 epochs of batches of 32 (1,260 iterations), both with Adam. Both
         * trainings converge (training loss near 0) within their iterations, so that the figures show the gradient
         * norm falling as they do: the MNIST network fits its 500 digits to a cross-entropy of about 0.01, whereas
         * 6 epochs on all 8,000 digits left it at 0.1 to 0.4 with its gradient norm still at its peak.
         */
        public static Settings quick() {
            return new Settings(TRAIN_SAMPLES_QUICK, MNIST_HIDDEN_WIDTHS_DEFAULT, MNIST_EPOCHS_QUICK, 64,
                    LEARNING_RATE_DEFAULT,
                    TargetFunction.CUBE, 2_000, 1_000, 4, 20, 32, LEARNING_RATE_DEFAULT, Activation.RELU,
                    OptimizerKind.ADAM, SMOOTHING_DEFAULT, SEEDS_QUICK);
        }

        /** The assignment's scale: every MNIST training sample for 20 epochs, 40,000 points for 100 epochs. */
        public static Settings full() {
            return new Settings(MnistInput.ALL, MNIST_HIDDEN_WIDTHS_DEFAULT, 20, 64, LEARNING_RATE_DEFAULT,
                    TargetFunction.CUBE, 40_000, 1_000, 4, 100, 64, LEARNING_RATE_DEFAULT, Activation.RELU,
                    OptimizerKind.ADAM, 200, SEEDS_FULL);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withMnist(int newTrainSamples, List<Integer> hiddenWidths, int epochs, int batchSize) {
            return new Settings(newTrainSamples, hiddenWidths, epochs, batchSize, mnistLearningRate, function,
                    functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs,
                    functionBatchSize, functionLearningRate, activation, optimizer, smoothing, seeds);
        }

        public Settings withFunction(TargetFunction newFunction, int points, int epochs, int batchSize) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, mnistLearningRate,
                    newFunction, points, functionParameterBudget, functionHiddenLayers, epochs, batchSize,
                    functionLearningRate, activation, optimizer, smoothing, seeds);
        }

        public Settings withSmoothing(int value) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, mnistLearningRate,
                    function, functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs,
                    functionBatchSize, functionLearningRate, activation, optimizer, value, seeds);
        }

        public Settings withSeeds(int value) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, mnistLearningRate,
                    function, functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs,
                    functionBatchSize, functionLearningRate, activation, optimizer, smoothing, value);
        }

        /** These settings with one learning rate for both trainings. */
        public Settings withLearningRate(double value) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, value, function,
                    functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs, functionBatchSize,
                    value, activation, optimizer, smoothing, seeds);
        }
    }

    /**
     * The result of one trial: one training's values per iteration and its final metrics.
     *
     * @param name          {@code mnist} or {@code function}
     * @param seed          the index of the seed, from 0
     * @param title         the model and its data, for the figure
     * @param batchSize     samples per iteration
     * @param stepsPerEpoch iterations per epoch
     * @param loss          the mini-batch loss of every iteration, before its step
     * @param gradientNorm  the norm of the mini-batch gradient of every iteration, before its step
     * @param finalMetrics  the trained model's metrics on its data, by name
     * @param wallSeconds   how long the training and its evaluation took
     */
    public record Training(String name, int seed, String title, int batchSize, int stepsPerEpoch, double[] loss,
                           double[] gradientNorm, Map<String, Double> finalMetrics, double wallSeconds) {

        public Training {
            finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
        }
    }

    /** The seeds of one training, in the order it draws them: its batch order, then its initial weights. */
    private record Seeds(long shuffle, long init) {

        static Seeds of(SplittableRandom part) {
            long shuffle = part.nextLong();
            return new Seeds(shuffle, part.nextLong());
        }
    }

    /**
     * What every trial and the reduce step derive from the root seed, in the same order: the seed of the MNIST
     * subset, then the seeds of each training.
     */
    private record Setup(long dataSeed, Seeds mnist, Seeds function) {
    }

    /** One training's values per iteration, with its model and optimizer. */
    record Trace(String name, int seed, String title, ModelSpec spec, OptimizerSpec optimizer, String optimizerLabel,
                 int batchSize,
                 int stepsPerEpoch, double[] loss, double[] gradientNorm, Map<String, Double> finalMetrics,
                 double wallSeconds) {
    }

    public GradientNormExperiment(Settings settings) {
        super(TYPE, settings, Training.class);
    }

    /** The seeds of repetition {@code seed}; every repetition draws the same MNIST subset, the first seed's. */
    private Setup setup(ExperimentContext context, int seed) {
        long dataSeed = context.random().split().nextLong();
        SplittableRandom random = context.random(seed);
        random.split(); // the part of the data seed, so that seed 0 draws what a single run draws
        Seeds mnist = Seeds.of(random.split());
        return new Setup(dataSeed, mnist, Seeds.of(random.split()));
    }

    private MnistInput data(ExperimentContext context, Setup setup) throws IOException {
        return MnistInput.load(context, settings.trainSamples(), setup.dataSeed());
    }

    private Dataset points() {
        TargetFunction f = settings.function();
        return FunctionSampler.grid(f.name(), f::apply, f.from(), f.to(), settings.functionPoints());
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.validate(context, settings.trainSamples(), "mnistBatchSize", settings.mnistBatchSize());
        MnistInput.checkDense(context, "mnistHiddenWidths", settings.mnistHiddenWidths());
    }

    /** The two trainings, {@value #MNIST} and {@value #FUNCTION}, for every seed: {@code mnist.seed-0}, .... */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (String name : List.of(MNIST, FUNCTION)) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                keys.add(key(name, seed));
            }
        }
        return keys;
    }

    static String key(String name, int seed) {
        return SeedKey.of(name, seed);
    }

    /** One training of one seed: the MNIST network or the function network, with its values at every iteration. */
    @Override
    public Training runTrial(String key, ExperimentContext context) throws IOException {
        int seed = seedKey(key).seed();
        Setup setup = setup(context, seed);
        if (key.startsWith(MNIST)) {
            MnistInput data = data(context, setup);
            context.progress().plan(settings.mnistEpochs());
            return trainMnist(context, data, setup.mnist(), seed);
        }
        context.progress().plan(settings.functionEpochs());
        return trainFunction(context, points(), setup.function(), seed);
    }

    /**
     * Writes the figure and the table of each training over the seeds that did not diverge, tests per training
     * whether the gradient norm falls, and writes the summary.
     */
    @Override
    public ExperimentResult reduce(TrialResults<Training> trials, ExperimentContext context) throws IOException {
        MnistInput data = data(context, setup(context, 0));
        TargetFunction f = settings.function();
        Dataset points = points();
        OutputWriter out = context.output();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> models = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (String name : List.of(MNIST, FUNCTION)) {
            List<Trace> traces = new ArrayList<>();
            double[] falls = new double[settings.seeds()];
            for (int seed = 0; seed < settings.seeds(); seed++) {
                falls[seed] = Double.NaN;
                Training t = trials.get(key(name, seed)).orElse(null);
                if (t == null) {
                    continue;
                }
                Trace trace = name.equals(MNIST) ? trace(t, mnistSpec(data), settings.mnistLearningRate())
                        : trace(t, functionSpec(), settings.functionLearningRate());
                traces.add(trace);
                falls[seed] = fall(t.gradientNorm());
                context.results().printf(Locale.ROOT, "%s %-8s seed %d, %,6d iterations: loss %s -> %s, gradient "
                                + "norm %s -> %s, log10 fall %.3f (%.1f s)%n", NAME, name, seed, t.loss().length,
                        Outputs.number(t.loss()[0]), Outputs.number(last(t.loss())),
                        Outputs.number(t.gradientNorm()[0]), Outputs.number(last(t.gradientNorm())), falls[seed],
                        t.wallSeconds());
                models.add(traceSummary(trace));
            }
            if (traces.isEmpty()) {
                continue;
            }
            writeTraces(out, name, traces);
            GradientNormFigures.write(out, traces, settings.smoothing());
            Trace first = traces.get(0);
            keyNumbers.put(name + " / final gradient norm", last(first.gradientNorm()));
            keyNumbers.put(name + " / final loss", last(first.loss()));
            Verdict v = verdict(name, falls);
            verdicts.add(v);
            context.results().println(NAME + " " + name + ": " + v);
        }
        context.results().flush();

        double total = context.elapsedSeconds();
        Map<String, Integer> sizes = new LinkedHashMap<>(data.source().sizes());
        sizes.put(FUNCTION, points.size());
        DataSource source = new DataSource(data.source().source() + "; and sampled: " + f.label() + " at "
                + points.size() + " evenly spaced points of [" + f.from() + ", " + f.to() + "]", sizes);
        Map<String, Object> summary = newSummary();
        summary.put("gradientNorm", "Euclidean norm of the gradient of the mini-batch loss with respect to all "
                + "parameters, at the parameters before each optimizer step");
        summary.put("models", models);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("provenance", context.provenance(source, total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /** The fraction of the iterations at either end over which {@link #fall} averages the gradient norm. */
    static final double END_FRACTION = 0.1;

    /**
     * How far the gradient norm fell during a training: {@code log10} of its mean over the first
     * {@value #END_FRACTION} of the iterations over its mean over the last (at least one iteration each); positive
     * when it fell, 0 when it stayed the same.
     */
    static double fall(double[] gradientNorm) {
        int n = gradientNorm.length;
        if (n < 2) {
            return Double.NaN;
        }
        int k = Math.max(1, (int) Math.round(END_FRACTION * n));
        k = Math.min(k, n / 2);
        double first = 0;
        double last = 0;
        for (int i = 0; i < k; i++) {
            first += gradientNorm[i];
            last += gradientNorm[n - 1 - i];
        }
        return Math.log10(first / last);
    }

    /** The claim that the gradient norm falls as training converges, tested over the seeds of one training. */
    private Verdict verdict(String name, double[] falls) {
        boolean mnist = name.equals(MNIST);
        double mean = Verdict.Summary.of(falls).mean();
        String seen = String.format(Locale.ROOT, "On average the gradient norm at the end is %.2f times the one at "
                + "the start.", Math.pow(10, -mean));
        String why = mean > 0 ? "" : mnist
                ? " With cross-entropy the gradient norm of a mini-batch grows from its small value at "
                + "initialization while the network learns the classes, and falls only once the training loss "
                + "approaches 0: " + settings.mnistEpochs() + " epochs on " + (settings.trainSamples() == 0
                ? "every training sample" : settings.trainSamples() + " training samples") + " did not get that "
                + "far. A training set small enough to be fitted (quick: " + Settings.TRAIN_SAMPLES_QUICK
                + " samples for " + Settings.MNIST_EPOCHS_QUICK + " epochs) or more epochs would show the fall."
                : " The function network did not converge in " + settings.functionEpochs() + " epochs; more "
                + "epochs or a larger learning rate would show the fall.";
        return Verdict.test("the gradient norm falls as training converges (" + (mnist ? "MNIST network"
                        : "function network") + ")", "the assignment, part 1-2 (observe the gradient norm)",
                "log10(mean gradient norm over the first 10% of iterations / over the last 10%)", falls,
                Verdict.Direction.ABOVE, 0, seen + why);
    }

    private ModelSpec mnistSpec(MnistInput data) {
        return ModelSpec.mlp(data.train().featureSize(),
                settings.mnistHiddenWidths().stream().mapToInt(Integer::intValue).toArray(), data.train().classes(),
                settings.activation(), Loss.SOFTMAX_CROSS_ENTROPY);
    }

    private ModelSpec functionSpec() {
        return ParameterBudget.mlp(1, 1, settings.functionHiddenLayers(), settings.functionParameterBudget(),
                settings.activation(), Loss.MEAN_SQUARED_ERROR);
    }

    /** A trial's values with the model and the optimizer that made them. */
    private Trace trace(Training t, ModelSpec spec, double learningRate) {
        OptimizerSpec optimizer = settings.optimizer().spec(learningRate);
        return new Trace(t.name(), t.seed(), t.title(), spec, optimizer, optimizerLabel(optimizer), t.batchSize(),
                t.stepsPerEpoch(), t.loss(), t.gradientNorm(), t.finalMetrics(), t.wallSeconds());
    }

    private Training trainMnist(ExperimentContext context, MnistInput data, Seeds seeds, int seed) {
        ModelSpec spec = mnistSpec(data);
        OptimizerSpec optimizer = settings.optimizer().spec(settings.mnistLearningRate());
        TrainingConfig config = TrainingConfig.of(settings.mnistEpochs(), settings.mnistBatchSize(), seeds.shuffle(),
                context.precision());
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(spec, context.precision(), seeds.init())) {
            TrainingHistory h = model.train(data.train(), optimizer, config,
                    List.of(context.progress().training("MNIST network", settings.mnistEpochs())));
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<Metric, Double> train = model.evaluate(data.train(), EnumSet.of(Metric.LOSS, Metric.ACCURACY));
            Map<Metric, Double> test = model.evaluate(data.test(), EnumSet.of(Metric.LOSS, Metric.ACCURACY));
            metrics.put("trainLoss", train.get(Metric.LOSS));
            metrics.put("trainAccuracy", train.get(Metric.ACCURACY));
            metrics.put("testLoss", test.get(Metric.LOSS));
            metrics.put("testAccuracy", test.get(Metric.ACCURACY));
            String title = String.format(Locale.ROOT, "%s on %s", architecture(spec), data.samples());
            return new Training(MNIST, seed, title, settings.mnistBatchSize(), config.stepsPerEpoch(data.train().size()),
                    h.stepLosses(), h.stepGradientNorms(), metrics, (System.nanoTime() - start) / 1e9);
        }
    }

    private Training trainFunction(ExperimentContext context, Dataset points, Seeds seeds, int seed) {
        ModelSpec spec = functionSpec();
        OptimizerSpec optimizer = settings.optimizer().spec(settings.functionLearningRate());
        TrainingConfig config = TrainingConfig.of(settings.functionEpochs(), settings.functionBatchSize(),
                seeds.shuffle(), context.precision());
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(spec, context.precision(), seeds.init())) {
            TrainingHistory h = model.train(points, optimizer, config,
                    List.of(context.progress().training("function network", settings.functionEpochs())));
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("mse", model.evaluate(points, EnumSet.of(Metric.MSE)).get(Metric.MSE));
            String title = String.format(Locale.ROOT, "%s fitting %s at %,d points", architecture(spec),
                    settings.function().label(), points.size());
            return new Training(FUNCTION, seed, title, settings.functionBatchSize(), config.stepsPerEpoch(points.size()),
                    h.stepLosses(), h.stepGradientNorms(), metrics, (System.nanoTime() - start) / 1e9);
        }
    }

    private void writeTraces(OutputWriter out, String name, List<Trace> traces) throws IOException {
        CsvTable table = CsvTable.of("seed", "iteration", "epoch", "loss", "gradient_norm", "loss_moving_average",
                "gradient_norm_moving_average");
        for (Trace t : traces) {
            double[] lossMean = movingAverage(t.loss(), settings.smoothing());
            double[] normMean = movingAverage(t.gradientNorm(), settings.smoothing());
            for (int i = 0; i < t.loss().length; i++) {
                table.add(t.seed(), i + 1, i / t.stepsPerEpoch() + 1, t.loss()[i], t.gradientNorm()[i], lossMean[i],
                        normMean[i]);
            }
        }
        out.writeCsv(name + ".csv", table);
    }

    private Map<String, Object> traceSummary(Trace t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("seed", t.seed());
        m.put("model", t.title());
        m.put("spec", t.spec().describe());
        m.put("parameters", t.spec().parameterCount());
        m.put("optimizer", t.optimizer().describe());
        m.put("batchSize", t.batchSize());
        m.put("iterations", t.loss().length);
        m.put("firstLoss", t.loss()[0]);
        m.put("finalLoss", last(t.loss()));
        m.put("firstGradientNorm", t.gradientNorm()[0]);
        m.put("finalGradientNorm", last(t.gradientNorm()));
        m.put("finalGradientNormMovingAverage", last(movingAverage(t.gradientNorm(), settings.smoothing())));
        m.put("gradientNormFallLog10", fall(t.gradientNorm()));
        m.putAll(t.finalMetrics());
        m.put("wallSeconds", t.wallSeconds());
        return m;
    }

    /**
     * The centred moving average: the mean of the values within {@code window / 2} iterations on either side
     * (fewer near the ends), so that it follows the raw values without lagging behind them.
     */
    static double[] movingAverage(double[] values, int window) {
        double[] prefix = new double[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            prefix[i + 1] = prefix[i] + values[i];
        }
        int half = window / 2;
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int from = Math.max(0, i - half);
            int to = Math.min(values.length, i + half + 1);
            out[i] = (prefix[to] - prefix[from]) / (to - from);
        }
        return out;
    }

    /** {@code 784-64-32-10 ReLU}. */
    static String architecture(ModelSpec spec) {
        String d = spec.describe();
        return d.substring(0, d.indexOf(',')).replace(" relu", " ReLU");
    }

    /** {@code Adam (learning rate 0.001)}. */
    private String optimizerLabel(OptimizerSpec spec) {
        return settings.optimizer().label() + " (learning rate " + spec.learningRate() + ")";
    }

    private static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }
}
