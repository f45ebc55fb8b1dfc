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
 * <p>Writes into {@code <out>/gradient-norm/}: {@code mnist.png}/{@code .svg} and {@code function.png}/{@code .svg}
 * (the loss above, the gradient norm below, over a shared iteration axis, each raw and as a moving average),
 * {@code mnist.csv} and {@code function.csv} (the values of every iteration: the data of the figures) and
 * {@code summary.json} (each model, its final loss and gradient norm, the settings and the provenance).
 *
 * <p>Two trials, one per training: {@value #MNIST} and {@value #FUNCTION}; the reduce step writes the files of
 * those that did not diverge.
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
            centred moving average. The loss falls steadily, but the gradient norm does not fall with it: it \
            often rises early in training and then stays of the same order, so a small gradient is no sign that \
            training has converged, nor a large one that it has not.""");

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
     */
    public record Settings(int trainSamples, List<Integer> mnistHiddenWidths, int mnistEpochs, int mnistBatchSize,
                           double mnistLearningRate, TargetFunction function, int functionPoints,
                           int functionParameterBudget, int functionHiddenLayers, int functionEpochs,
                           int functionBatchSize, double functionLearningRate, Activation activation,
                           OptimizerKind optimizer, int smoothing) {

        public static final List<Integer> MNIST_HIDDEN_WIDTHS_DEFAULT = List.of(64, 32);
        public static final double LEARNING_RATE_DEFAULT = 0.001;
        public static final int SMOOTHING_DEFAULT = 50;

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
        }

        /**
         * About a minute on two CPU cores: 784-64-32-10 for 10 epochs of batches of 64 on the bundled 8,000
         * training digits (1,250 iterations), and a 1,000-parameter network of 4 hidden layers fitting x³
         * at 2,000 points for 30 epochs of batches of 32 (1,890 iterations), both with Adam.
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, MNIST_HIDDEN_WIDTHS_DEFAULT, 10, 64, LEARNING_RATE_DEFAULT,
                    TargetFunction.CUBE, 2_000, 1_000, 4, 30, 32, LEARNING_RATE_DEFAULT, Activation.RELU,
                    OptimizerKind.ADAM, SMOOTHING_DEFAULT);
        }

        /** The assignment's scale: every MNIST training sample for 20 epochs, 40,000 points for 100 epochs. */
        public static Settings full() {
            return new Settings(MnistInput.ALL, MNIST_HIDDEN_WIDTHS_DEFAULT, 20, 64, LEARNING_RATE_DEFAULT,
                    TargetFunction.CUBE, 40_000, 1_000, 4, 100, 64, LEARNING_RATE_DEFAULT, Activation.RELU,
                    OptimizerKind.ADAM, 200);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withMnist(int newTrainSamples, List<Integer> hiddenWidths, int epochs, int batchSize) {
            return new Settings(newTrainSamples, hiddenWidths, epochs, batchSize, mnistLearningRate, function,
                    functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs,
                    functionBatchSize, functionLearningRate, activation, optimizer, smoothing);
        }

        public Settings withFunction(TargetFunction newFunction, int points, int epochs, int batchSize) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, mnistLearningRate,
                    newFunction, points, functionParameterBudget, functionHiddenLayers, epochs, batchSize,
                    functionLearningRate, activation, optimizer, smoothing);
        }

        public Settings withSmoothing(int value) {
            return new Settings(trainSamples, mnistHiddenWidths, mnistEpochs, mnistBatchSize, mnistLearningRate,
                    function, functionPoints, functionParameterBudget, functionHiddenLayers, functionEpochs,
                    functionBatchSize, functionLearningRate, activation, optimizer, value);
        }
    }

    /**
     * The result of one trial: one training's values per iteration and its final metrics.
     *
     * @param name          {@code mnist} or {@code function}, the trial's key
     * @param title         the model and its data, for the figure
     * @param batchSize     samples per iteration
     * @param stepsPerEpoch iterations per epoch
     * @param loss          the mini-batch loss of every iteration, before its step
     * @param gradientNorm  the norm of the mini-batch gradient of every iteration, before its step
     * @param finalMetrics  the trained model's metrics on its data, by name
     * @param wallSeconds   how long the training and its evaluation took
     */
    public record Training(String name, String title, int batchSize, int stepsPerEpoch, double[] loss,
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
    record Trace(String name, String title, ModelSpec spec, OptimizerSpec optimizer, String optimizerLabel,
                 int batchSize,
                 int stepsPerEpoch, double[] loss, double[] gradientNorm, Map<String, Double> finalMetrics,
                 double wallSeconds) {
    }

    public GradientNormExperiment(Settings settings) {
        super(TYPE, settings, Training.class);
    }

    private Setup setup(ExperimentContext context) {
        SplittableRandom random = context.random();
        long dataSeed = random.split().nextLong();
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

    /** The two trainings, {@value #MNIST} and {@value #FUNCTION}. */
    @Override
    public List<String> trialKeys() {
        return List.of(MNIST, FUNCTION);
    }

    /** One training: the MNIST network or the function network, with its values at every iteration. */
    @Override
    public Training runTrial(String key, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        return switch (key) {
            case MNIST -> {
                MnistInput data = data(context, setup);
                context.progress().plan(settings.mnistEpochs());
                yield trainMnist(context, data, setup.mnist());
            }
            case FUNCTION -> {
                context.progress().plan(settings.functionEpochs());
                yield trainFunction(context, points(), setup.function());
            }
            default -> throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        };
    }

    /** Writes the figure and the table of every training that did not diverge, and the summary of them. */
    @Override
    public ExperimentResult reduce(TrialResults<Training> trials, ExperimentContext context) throws IOException {
        MnistInput data = data(context, setup(context));
        TargetFunction f = settings.function();
        Dataset points = points();
        List<Trace> traces = new ArrayList<>();
        for (Training t : trials.values()) {
            traces.add(t.name().equals(MNIST) ? trace(t, mnistSpec(data), settings.mnistLearningRate())
                    : trace(t, functionSpec(), settings.functionLearningRate()));
        }

        OutputWriter out = context.output();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> models = new ArrayList<>();
        for (Trace t : traces) {
            writeTrace(out, t);
            GradientNormFigures.write(out, t, settings.smoothing());
            keyNumbers.put(t.name() + " / final gradient norm", last(t.gradientNorm()));
            keyNumbers.put(t.name() + " / final loss", last(t.loss()));
            context.results().printf(Locale.ROOT, "%s %-8s %,6d iterations: loss %s -> %s, gradient norm %s -> %s "
                            + "(%.1f s)%n", NAME, t.name(), t.loss().length, Outputs.number(t.loss()[0]),
                    Outputs.number(last(t.loss())), Outputs.number(t.gradientNorm()[0]),
                    Outputs.number(last(t.gradientNorm())), t.wallSeconds());
            models.add(traceSummary(t));
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
        summary.put("provenance", context.provenance(source, total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
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
        return new Trace(t.name(), t.title(), spec, optimizer, optimizerLabel(optimizer), t.batchSize(),
                t.stepsPerEpoch(), t.loss(), t.gradientNorm(), t.finalMetrics(), t.wallSeconds());
    }

    private Training trainMnist(ExperimentContext context, MnistInput data, Seeds seeds) {
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
            String title = String.format(Locale.ROOT, "%s on %,d MNIST digits", architecture(spec),
                    data.train().size());
            return new Training(MNIST, title, settings.mnistBatchSize(), config.stepsPerEpoch(data.train().size()),
                    h.stepLosses(), h.stepGradientNorms(), metrics, (System.nanoTime() - start) / 1e9);
        }
    }

    private Training trainFunction(ExperimentContext context, Dataset points, Seeds seeds) {
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
            return new Training(FUNCTION, title, settings.functionBatchSize(), config.stepsPerEpoch(points.size()),
                    h.stepLosses(), h.stepGradientNorms(), metrics, (System.nanoTime() - start) / 1e9);
        }
    }

    private void writeTrace(OutputWriter out, Trace t) throws IOException {
        double[] lossMean = movingAverage(t.loss(), settings.smoothing());
        double[] normMean = movingAverage(t.gradientNorm(), settings.smoothing());
        CsvTable table = CsvTable.of("iteration", "epoch", "loss", "gradient_norm", "loss_moving_average",
                "gradient_norm_moving_average");
        for (int i = 0; i < t.loss().length; i++) {
            table.add(i + 1, i / t.stepsPerEpoch() + 1, t.loss()[i], t.gradientNorm()[i], lossMean[i], normMean[i]);
        }
        out.writeCsv(t.name() + ".csv", table);
    }

    private Map<String, Object> traceSummary(Trace t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
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
