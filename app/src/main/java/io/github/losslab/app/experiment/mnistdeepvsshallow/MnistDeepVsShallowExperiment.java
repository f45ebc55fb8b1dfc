package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterBudget;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
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
import io.github.losslab.app.experiment.training.TrainingRun;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deep vs shallow on MNIST (assignment part 1-1, train on an actual task): a family of dense ReLU networks with 1,
 * 2 and 4 hidden layers sized to one parameter budget (within 1%), and a family of convolutional networks with 1
 * and 3 convolutional layers sized to another (within 2%, {@link CnnBudget}), all trained with the same optimizer,
 * batches and epochs. After every epoch the loss and accuracy on the whole training and test sets are evaluated.
 *
 * <p>Writes into {@code <out>/mnist-deep-vs-shallow/}: per family ({@code dense}, {@code cnn}) a figure of the
 * training loss per epoch ({@code <family>-loss.png}/{@code .svg}) and one of the training accuracy per epoch
 * ({@code <family>-accuracy.png}/{@code .svg}); {@code history.csv} with every model's training and test loss and
 * accuracy per epoch (the data of the figures); and {@code summary.json} with each model's architecture, parameter
 * count, final training and test loss and accuracy, the budgets with the spread of the counts, the settings and
 * the provenance.
 */
public final class MnistDeepVsShallowExperiment extends MnistExperiment<MnistDeepVsShallowExperiment.Settings> {

    /** The name the command line knows. */
    public static final String NAME = "mnist-deep-vs-shallow";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "deep vs shallow on MNIST: dense nets of 1, 2 and 4 hidden layers on one budget, CNNs of 1 and 3 "
                    + "conv layers on another",
            Settings.class, Settings::of, MnistDeepVsShallowExperiment::new).withExplanation("""
            Two families of networks are trained on MNIST with the same optimizer, batches and epochs: dense ReLU \
            networks with 1, 2 and 4 hidden layers sized to one parameter budget (within 1%), and convolutional \
            networks with 1 and 3 convolutional layers sized to another (within 2%). The parameter counts are \
            printed and kept in the summary, so that no model wins by being bigger.

            For each family one figure shows the training loss and one the training accuracy after every epoch, \
            evaluated on the whole training set; the test accuracy of each model is in the table. On the same \
            budget the deeper CNN, which reuses its filters across the image and builds features of features, \
            usually learns faster and generalizes better than the shallow one; among dense networks of this size \
            the differences are small.""");

    /** Largest relative spread of the dense models' parameter counts. */
    public static final double DENSE_TOLERANCE = 0.01;
    /** Largest relative spread of the CNNs' parameter counts. */
    public static final double CNN_TOLERANCE = 0.02;

    private static final String DENSE = "dense";
    private static final String CNN = "cnn";

    /**
     * The settings of a run.
     *
     * @param trainSamples         training samples, a stratified subset of the training split; 0 for all of it
     * @param denseParameterBudget the parameter count of every dense model (within 1%)
     * @param denseHiddenLayers    the depths of the dense models, one model each
     * @param cnnParameterBudget   the parameter count of every CNN (within 2%)
     * @param cnnConvLayers        the numbers of convolutional layers of the CNNs, one model each
     * @param activation           of the hidden and convolutional layers
     * @param optimizer            {@code sgd} or {@code adam}
     * @param learningRate         of the optimizer
     * @param epochs               passes over the training set
     * @param batchSize            samples per optimizer step
     */
    public record Settings(int trainSamples, int denseParameterBudget, List<Integer> denseHiddenLayers,
                           int cnnParameterBudget, List<Integer> cnnConvLayers, Activation activation,
                           OptimizerKind optimizer, double learningRate, int epochs, int batchSize)
            implements MnistSettings {

        /** 784-64-10: the shallow dense model has exactly this many parameters. */
        public static final int DENSE_PARAMETER_BUDGET_DEFAULT = 50_890;
        public static final List<Integer> DENSE_HIDDEN_LAYERS_DEFAULT = List.of(1, 2, 4);
        public static final int CNN_PARAMETER_BUDGET_DEFAULT = 10_000;
        public static final List<Integer> CNN_CONV_LAYERS_DEFAULT = List.of(1, 3);
        public static final double LEARNING_RATE_DEFAULT = 0.001;
        public static final int BATCH_SIZE_DEFAULT = 64;

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("denseParameterBudget", denseParameterBudget, 1, Limits.PARAMETERS);
            denseHiddenLayers = Check.distinct("denseHiddenLayers",
                    Check.allBetween("denseHiddenLayers", denseHiddenLayers, 1, Limits.LAYERS));
            Check.between("cnnParameterBudget", cnnParameterBudget, 1, Limits.PARAMETERS);
            cnnConvLayers = Check.distinct("cnnConvLayers", Check.allBetween("cnnConvLayers", cnnConvLayers, 1,
                    Limits.CONV_LAYERS));
            TrainingChecks.classifierTraining(activation, optimizer, learningRate, epochs, batchSize);
        }

        /**
         * About two minutes on two CPU cores: the bundled 8,000 training digits, 10 epochs of Adam on batches of
         * 64 for three dense models of 50,890 parameters and two CNNs of 10,000.
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, DENSE_PARAMETER_BUDGET_DEFAULT, DENSE_HIDDEN_LAYERS_DEFAULT,
                    CNN_PARAMETER_BUDGET_DEFAULT, CNN_CONV_LAYERS_DEFAULT, Activation.RELU, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, 10, BATCH_SIZE_DEFAULT);
        }

        /** The assignment's scale: every training sample of the data directory (60,000 for MNIST), 20 epochs. */
        public static Settings full() {
            return new Settings(MnistInput.ALL, DENSE_PARAMETER_BUDGET_DEFAULT, DENSE_HIDDEN_LAYERS_DEFAULT,
                    CNN_PARAMETER_BUDGET_DEFAULT, CNN_CONV_LAYERS_DEFAULT, Activation.RELU, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, 20, BATCH_SIZE_DEFAULT);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, int newEpochs, int newBatchSize) {
            return new Settings(newTrainSamples, denseParameterBudget, denseHiddenLayers, cnnParameterBudget,
                    cnnConvLayers, activation, optimizer, learningRate, newEpochs, newBatchSize);
        }

        public Settings withBudgets(int dense, int cnn) {
            return new Settings(trainSamples, dense, denseHiddenLayers, cnn, cnnConvLayers, activation, optimizer,
                    learningRate, epochs, batchSize);
        }

        /** The dense models for inputs of {@code inputs} features and {@code classes} classes, shallow first. */
        public List<ModelSpec> denseModels(int inputs, int classes) {
            List<ModelSpec> specs = new ArrayList<>();
            for (int depth : denseHiddenLayers) {
                specs.add(ParameterBudget.mlp(inputs, classes, depth, denseParameterBudget, activation,
                        Loss.SOFTMAX_CROSS_ENTROPY));
            }
            return specs;
        }

        /** The CNNs for images of {@code inputShape} and {@code classes} classes, shallow first. */
        public List<ModelSpec> cnnModels(int[] inputShape, int classes) {
            List<ModelSpec> specs = new ArrayList<>();
            for (int depth : cnnConvLayers) {
                specs.add(CnnBudget.cnn(inputShape, classes, depth, cnnParameterBudget, activation));
            }
            return specs;
        }
    }

    /** One model's training, in its family. */
    record Run(String family, String label, int depth, TrainingRun training) {

        ModelSpec spec() {
            return training.spec();
        }

        EpochMetrics metrics() {
            return training.metrics();
        }
    }

    public MnistDeepVsShallowExperiment(Settings settings) {
        super(TYPE, settings);
    }

    /**
     * Checks the training data as every MNIST experiment does, then sizes the models to the data's shape without
     * training them: a budget too small for the deepest model, a depth whose smallest CNN exceeds
     * {@link Limits#PARAMETERS}, or counts that cannot get within the tolerance are refused before the run.
     */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        Dataset train = context.mnist().train();
        checkModels(train.featureShape(), train.classes());
    }

    /**
     * Sizes both families for images of {@code shape} and {@code classes} classes.
     *
     * @throws InvalidSettingException naming the budget or the depths that cannot be built
     */
    void checkModels(int[] shape, int classes) {
        int inputs = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int deepDense = Collections.max(settings.denseHiddenLayers());
        long denseMinimum = Limits.minimumDenseParameters(inputs, deepDense, classes);
        if (settings.denseParameterBudget() < denseMinimum) {
            throw new InvalidSettingException("denseParameterBudget", settings.denseParameterBudget(),
                    "an integer >= " + denseMinimum + " (the smallest dense network of " + deepDense + " hidden "
                            + "layers for " + inputs + " inputs and " + classes + " classes), or fewer "
                            + "dense-hidden-layers");
        }
        checkSpread("denseParameterBudget", settings.denseParameterBudget(),
                settings.denseModels(inputs, classes), DENSE_TOLERANCE);

        String images = String.join("×", Arrays.stream(shape).mapToObj(Integer::toString).toList()) + " images";
        int deepCnn = Collections.max(settings.cnnConvLayers());
        long cnnMinimum = CnnBudget.minimumParameters(shape, classes, deepCnn);
        if (cnnMinimum > Limits.PARAMETERS) {
            throw new InvalidSettingException("cnnConvLayers", settings.cnnConvLayers(), "depths whose smallest "
                    + "CNN has at most " + Limits.PARAMETERS + " parameters: filters double from layer to layer, and "
                    + "the smallest CNN of " + deepCnn + " convolutional layers on " + images + " has " + cnnMinimum);
        }
        if (settings.cnnParameterBudget() < cnnMinimum) {
            throw new InvalidSettingException("cnnParameterBudget", settings.cnnParameterBudget(),
                    "an integer >= " + cnnMinimum + " (the smallest CNN of " + deepCnn + " convolutional layers on "
                            + images + "), or fewer cnn-conv-layers");
        }
        List<ModelSpec> cnns;
        try {
            cnns = settings.cnnModels(shape, classes);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("cnnConvLayers", settings.cnnConvLayers(), "depths of a CNN that can "
                    + "be built for " + images + ": " + e.getMessage());
        }
        checkSpread("cnnParameterBudget", settings.cnnParameterBudget(), cnns, CNN_TOLERANCE);
    }

    /** Refuses a budget at which the counts of a family differ by more than its tolerance. */
    private static void checkSpread(String setting, int budget, List<ModelSpec> specs, double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        double spread = Outputs.spread(counts);
        if (spread > tolerance) {
            throw new InvalidSettingException(setting, budget, "a budget at which the models' parameter counts "
                    + "differ by at most " + Outputs.percent(tolerance) + "; at this one they are "
                    + Arrays.toString(counts) + " (" + Outputs.percent(spread) + " apart): choose a larger one");
        }
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        int classes = data.train().classes();
        List<ModelSpec> dense = settings.denseModels(data.train().featureSize(), classes);
        List<ModelSpec> cnns = settings.cnnModels(data.train().featureShape(), classes);
        checkBudget(context, DENSE, dense, settings.denseParameterBudget(), DENSE_TOLERANCE);
        checkBudget(context, CNN, cnns, settings.cnnParameterBudget(), CNN_TOLERANCE);

        context.progress().plan((long) (dense.size() + cnns.size()) * settings.epochs());
        List<Run> runs = new ArrayList<>();
        for (ModelSpec spec : dense) {
            runs.add(train(context, data, DENSE, spec, random.split()));
        }
        for (ModelSpec spec : cnns) {
            runs.add(train(context, data, CNN, spec, random.split()));
        }

        OutputWriter out = context.output();
        writeHistory(out, runs);
        MnistDeepVsShallowFigures.write(out, runs, data.train().size());
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (Run r : runs) {
            keyNumbers.put(r.family() + " / " + r.label() + " / test accuracy", r.training().testAccuracy());
            TrainingRun t = r.training();
            context.results().printf(Locale.ROOT, "%s %-5s %-20s %,7d parameters  %s%n", NAME, r.family(),
                    r.label(), r.spec().parameterCount(), t.succeeded()
                            ? String.format(Locale.ROOT, "train accuracy %s, test accuracy %s (%.1f s)",
                            Outputs.percent(t.trainAccuracy()), Outputs.percent(t.testAccuracy()), t.wallSeconds())
                            : "failed: " + t.failure());
        }
        context.results().flush();
        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        Map<String, Object> budgets = new LinkedHashMap<>();
        budgets.put(DENSE, budget(dense, settings.denseParameterBudget(), DENSE_TOLERANCE));
        budgets.put(CNN, budget(cnns, settings.cnnParameterBudget(), CNN_TOLERANCE));
        summary.put("budgets", budgets);
        summary.put("models", runs.stream().map(this::modelSummary).toList());
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    private void checkBudget(ExperimentContext context, String family, List<ModelSpec> specs, int budget,
                             double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        double spread = Outputs.spread(counts);
        for (ModelSpec spec : specs) {
            String line = String.format(Locale.ROOT, "%s %-5s %-20s %,7d parameters  %s", NAME, family,
                    label(family, spec), spec.parameterCount(), spec.describe());
            context.results().println(line);
        }
        context.results().printf(Locale.ROOT, "%s %-5s budget %,d: counts %s differ by %s (at most %s allowed)%n",
                NAME, family, budget, Arrays.toString(counts), Outputs.percent(spread), Outputs.percent(tolerance));
        context.results().flush();
        if (spread > tolerance) {
            throw new IllegalStateException("the " + family + " models' parameter counts " + Arrays.toString(counts)
                    + " differ by " + Outputs.percent(spread) + ", more than " + Outputs.percent(tolerance)
                    + ": choose a larger " + family + " parameter budget");
        }
    }

    private Run train(ExperimentContext context, MnistInput data, String family, ModelSpec spec,
                      SplittableRandom part) {
        String label = label(family, spec);
        TrainingRun training = TrainingRun.train(context, data, spec,
                settings.optimizer().spec(settings.learningRate()), settings.epochs(), settings.batchSize(), part,
                family + ": " + label, TrainingRun.Evaluation.EVERY_EPOCH);
        return new Run(family, label, depth(family, spec), training);
    }

    /** {@code 2 hidden layers} or {@code 3 conv layers}. */
    static String label(String family, ModelSpec spec) {
        int depth = depth(family, spec);
        return depth + (DENSE.equals(family) ? " hidden layer" : " conv layer") + (depth == 1 ? "" : "s");
    }

    private static int depth(String family, ModelSpec spec) {
        return DENSE.equals(family) ? spec.hiddenWidths().length : CnnBudget.filters(spec).length;
    }

    /** The widths of a dense model's hidden layers or a CNN's filters, for example {@code 8-16-37}. */
    static String widths(Run r) {
        int[] w = DENSE.equals(r.family()) ? r.spec().hiddenWidths() : CnnBudget.filters(r.spec());
        return String.join("-", Arrays.stream(w).mapToObj(Integer::toString).toList());
    }

    private static void writeHistory(OutputWriter out, List<Run> runs) throws IOException {
        CsvTable table = CsvTable.of("family", "model", "widths", "parameters", "epoch", "train_loss",
                "train_accuracy", "test_loss", "test_accuracy", "mean_batch_loss");
        for (Run r : runs) {
            EpochMetrics m = r.metrics();
            int[] epochs = m.epochs();
            double[] trainLoss = m.loss("train");
            double[] trainAccuracy = m.accuracy("train");
            double[] testLoss = m.loss("test");
            double[] testAccuracy = m.accuracy("test");
            for (int i = 0; i < epochs.length; i++) {
                int e = epochs[i];
                double[] epochLoss = r.training().batchLoss();
                double batchLoss = e >= 1 && e <= epochLoss.length ? epochLoss[e - 1] : Double.NaN;
                table.add(r.family(), r.label(), widths(r), r.spec().parameterCount(), e, trainLoss[i],
                        trainAccuracy[i], testLoss[i], testAccuracy[i], batchLoss);
            }
        }
        out.writeCsv("history.csv", table);
    }

    private Map<String, Object> modelSummary(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", r.family());
        m.put("model", r.label());
        m.put("spec", r.spec().describe());
        m.put(DENSE.equals(r.family()) ? "hiddenLayers" : "convLayers", r.depth());
        m.put(DENSE.equals(r.family()) ? "hiddenWidths" : "filters",
                DENSE.equals(r.family()) ? r.spec().hiddenWidths() : CnnBudget.filters(r.spec()));
        m.put("parameters", r.spec().parameterCount());
        TrainingRun t = r.training();
        m.put("epochs", t.batchLoss().length);
        m.put("finalTrainLoss", t.trainLoss());
        m.put("finalTrainAccuracy", t.trainAccuracy());
        m.put("testLoss", t.testLoss());
        m.put("testAccuracy", t.testAccuracy());
        m.put("wallSeconds", t.wallSeconds());
        m.put("status", t.succeeded() ? "ok" : "diverged: " + t.failure());
        return m;
    }

    private static Map<String, Object> budget(List<ModelSpec> specs, int budget, double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("budget", budget);
        b.put("parameters", counts);
        b.put("spread", Outputs.spread(counts));
        b.put("tolerance", tolerance);
        return b;
    }
}
