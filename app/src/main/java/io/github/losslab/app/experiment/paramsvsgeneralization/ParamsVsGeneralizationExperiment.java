package io.github.losslab.app.experiment.paramsvsgeneralization;

import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.training.MnistExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.MnistSettings;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.TrainingChecks;
import io.github.losslab.app.experiment.training.TrainingRun;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;

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
 * Number of parameters vs generalization (assignment part 1-3): dense networks of one shape (the same number of
 * hidden layers, all of one width) and growing width are trained alike on MNIST, and their final loss and accuracy
 * on the training and the test set are compared against their parameter count. The training loss falls towards
 * zero as the networks grow; the test loss falls far more slowly, and the gap between the two, what the networks
 * learned that does not carry over to new digits, widens.
 *
 * <p>Writes into {@code <out>/params-vs-generalization/}: {@code loss.png}/{@code .svg} (training and test loss
 * against the parameter count, both axes logarithmic), {@code accuracy.png}/{@code .svg} (training and test
 * accuracy against the parameter count, log x), {@code results.csv} (each model's width, parameter count and final
 * values: the data of the figures), {@code history.csv} (each model's mean mini-batch loss per epoch) and
 * {@code summary.json} (every model, the settings and the provenance).
 *
 * <p>Each width is one trial (key {@code width-16}), whose {@link WidthResult} is kept in {@code trials/}; the
 * tables, figures and summary are made from those results.
 */
public final class ParamsVsGeneralizationExperiment extends MnistExperiment<ParamsVsGeneralizationExperiment.Settings,
        ParamsVsGeneralizationExperiment.WidthResult> {

    /** The name the command line knows. */
    public static final String NAME = "params-vs-generalization";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "MNIST networks of one hidden layer and growing width: training and test loss and accuracy vs "
                    + "parameter count",
            Settings.class, Settings::of, ParamsVsGeneralizationExperiment::new).withExplanation("""
            Dense MNIST networks of one shape (one hidden layer) and growing width, from 2 to 512 units (to \
            1,024 in the full preset), are trained alike, and their final loss and accuracy on the training and the test set are plotted \
            against their parameter count, on a logarithmic axis.

            The training loss falls towards zero as the networks grow, while the test loss falls far more slowly: \
            the gap between training and test, what the networks learned that does not carry over to new digits, \
            widens with size. Yet the test accuracy keeps improving slightly with the largest networks: more \
            parameters than training samples do not by themselves make a network overfit.""");

    /** The assignment asks for at least this many models. */
    public static final int MIN_MODELS = 10;

    /**
     * The settings of a run.
     *
     * @param trainSamples training samples, a stratified subset of the training split; 0 for all of it
     * @param hiddenLayers hidden layers of every model
     * @param widths       the width of every hidden layer, one model each
     * @param activation   of the hidden layers
     * @param optimizer    {@code sgd} or {@code adam}
     * @param learningRate of the optimizer
     * @param epochs       passes over the training set, the same for every model
     * @param batchSize    samples per optimizer step
     */
    public record Settings(int trainSamples, int hiddenLayers, List<Integer> widths, Activation activation,
                           OptimizerKind optimizer, double learningRate, int epochs, int batchSize)
            implements MnistSettings {

        /** Twelve widths from 2 to 512, about evenly spaced on a log scale. */
        public static final List<Integer> WIDTHS_DEFAULT = List.of(2, 4, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512);

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("hiddenLayers", hiddenLayers, 1, Limits.LAYERS);
            widths = Check.distinct("widths", Check.allBetween("widths", Check.atMostElements("widths",
                    Check.atLeastElements("widths", widths, MIN_MODELS, "widths"), Limits.MODELS, "widths"), 1,
                    Limits.WIDTH));
            Check.denseParameters("widths", Collections.nCopies(hiddenLayers, Collections.max(widths)), 1, 1);
            TrainingChecks.classifierTraining(activation, optimizer, learningRate, epochs, batchSize);
        }

        /**
         * About a minute and a half on two CPU cores: 12 networks of one hidden layer, 2 to 512 units wide (1,600
         * to 407,000 parameters), each trained for 15 epochs of Adam on the bundled 8,000 training digits.
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, 1, WIDTHS_DEFAULT, Activation.RELU, OptimizerKind.ADAM, 0.001, 15,
                    64);
        }

        /** The assignment's scale: every training sample (60,000 for MNIST), 30 epochs, widths up to 1,024. */
        public static Settings full() {
            return new Settings(MnistInput.ALL, 1, List.of(2, 4, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512, 1024),
                    Activation.RELU, OptimizerKind.ADAM, 0.001, 30, 64);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, List<Integer> newWidths, int newEpochs,
                                     int newBatchSize) {
            return new Settings(newTrainSamples, hiddenLayers, newWidths, activation, optimizer, learningRate,
                    newEpochs, newBatchSize);
        }

        /** One model per width, for {@code inputs} features and {@code classes} classes, in order of width. */
        public List<ModelSpec> models(int inputs, int classes) {
            List<ModelSpec> specs = new ArrayList<>();
            for (int w : widths.stream().sorted().toList()) {
                int[] hidden = new int[hiddenLayers];
                Arrays.fill(hidden, w);
                specs.add(ModelSpec.mlp(inputs, hidden, classes, activation, Loss.SOFTMAX_CROSS_ENTROPY));
            }
            return specs;
        }
    }

    /**
     * What the trial of one width returns: the model's final loss and accuracy on both sets and its training, as
     * plain numbers.
     *
     * @param width         the width of every hidden layer
     * @param trainLoss     the final loss on the training set; NaN when the training diverged
     * @param trainAccuracy the final accuracy on the training set; NaN when the training diverged
     * @param testLoss      the final loss on the test set; NaN when the training diverged
     * @param testAccuracy  the final accuracy on the test set; NaN when the training diverged
     * @param batchLoss     the mean mini-batch loss of every epoch; empty when the training diverged
     * @param wallSeconds   the training and its evaluation
     * @param failure       why the training stopped, or null when it completed
     */
    public record WidthResult(int width, double trainLoss, double trainAccuracy, double testLoss,
                              double testAccuracy, double[] batchLoss, double wallSeconds, String failure) {
    }

    /** One width's result with its model, as the tables and figures read it. */
    record Fit(ModelSpec spec, WidthResult result) {

        boolean succeeded() {
            return result.failure() == null;
        }

        double trainLoss() {
            return result.trainLoss();
        }

        double trainAccuracy() {
            return result.trainAccuracy();
        }

        double testLoss() {
            return result.testLoss();
        }

        double testAccuracy() {
            return result.testAccuracy();
        }
    }

    /**
     * What every trial and the reduce step derive from the settings and the root seed, in the same order: the data,
     * then one split of the random numbers per model, in order of width.
     */
    private record Setup(MnistInput data, Map<Integer, ModelSpec> specs, Map<Integer, SplittableRandom> parts) {
    }

    public ParamsVsGeneralizationExperiment(Settings settings) {
        super(TYPE, settings, WidthResult.class);
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        Map<Integer, ModelSpec> specs = new LinkedHashMap<>();
        Map<Integer, SplittableRandom> parts = new LinkedHashMap<>();
        for (ModelSpec spec : settings.models(data.train().featureSize(), data.train().classes())) {
            specs.put(width(spec), spec);
            parts.put(width(spec), random.split());
        }
        return new Setup(data, specs, parts);
    }

    /**
     * Checks the training samples and the batch size against the data, as every MNIST experiment does, and the size
     * of the network for the data.
     */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        MnistInput.checkDense(context, "widths", Collections.nCopies(settings.hiddenLayers(),
                Collections.max(settings.widths())));
    }

    /** The trial key of a width: {@code width-16}. */
    public static String key(int width) {
        return "width-" + width;
    }

    /** One trial per width, in order of width. */
    @Override
    public List<String> trialKeys() {
        return settings.widths().stream().sorted().map(ParamsVsGeneralizationExperiment::key).toList();
    }

    /**
     * Trains the model of one width and evaluates it on both sets. A training that diverges is recorded with
     * {@link ExperimentContext#diverged} and returned with its failure, so that the tables still list it.
     */
    @Override
    public WidthResult runTrial(String key, ExperimentContext context) throws IOException {
        int width = settings.widths().stream().filter(w -> key(w).equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trial '" + key + "' in " + NAME
                        + "; its trials are " + trialKeys()));
        Setup setup = setup(context);
        ModelSpec spec = setup.specs().get(width);
        context.progress().plan(settings.epochs());
        TrainingRun fit = TrainingRun.train(context, setup.data(), spec,
                settings.optimizer().spec(settings.learningRate()), settings.epochs(), settings.batchSize(),
                setup.parts().get(width), "width " + width, TrainingRun.Evaluation.FINAL);
        return new WidthResult(width, fit.trainLoss(), fit.trainAccuracy(), fit.testLoss(), fit.testAccuracy(),
                fit.batchLoss(), fit.wallSeconds(), fit.failure());
    }

    /** Prints every width's result and writes the tables, the figures and the summary. */
    @Override
    public ExperimentResult reduce(TrialResults<WidthResult> trials, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        MnistInput data = setup.data();
        long distinct = setup.specs().values().stream().mapToInt(ModelSpec::parameterCount).distinct().count();
        List<Fit> fits = new ArrayList<>();
        for (WidthResult r : trials.values()) {
            Fit fit = new Fit(setup.specs().get(r.width()), r);
            fits.add(fit);
            ModelSpec spec = fit.spec();
            context.results().printf(Locale.ROOT, "%s width %4d %,9d parameters  %s%n", NAME, width(spec),
                    spec.parameterCount(), fit.succeeded()
                            ? String.format(Locale.ROOT, "train loss %s accuracy %s, test loss %s accuracy %s",
                            Outputs.number(fit.trainLoss()), Outputs.percent(fit.trainAccuracy()),
                            Outputs.number(fit.testLoss()), Outputs.percent(fit.testAccuracy()))
                            : "failed: " + r.failure());
            context.results().flush();
        }

        OutputWriter out = context.output();
        writeResults(out, fits);
        writeHistory(out, fits);
        ParamsVsGeneralizationFigures.write(out, fits, settings, data.train().size());
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (Fit f : fits) {
            keyNumbers.put(String.format(Locale.ROOT, "%,d parameters / test accuracy", f.spec().parameterCount()),
                    f.testAccuracy());
        }
        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("distinctParameterCounts", distinct);
        summary.put("models", fits.stream().map(ParamsVsGeneralizationExperiment::fitSummary).toList());
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /** The width of every hidden layer of a model of the sweep. */
    static int width(ModelSpec spec) {
        return spec.hiddenWidths()[0];
    }

    private static void writeResults(OutputWriter out, List<Fit> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "hidden_widths", "parameters", "train_loss", "train_accuracy",
                "test_loss", "test_accuracy", "status");
        for (Fit f : fits) {
            table.add(width(f.spec()), widths(f.spec()), f.spec().parameterCount(), f.trainLoss(), f.trainAccuracy(),
                    f.testLoss(), f.testAccuracy(), f.succeeded() ? "ok" : "diverged");
        }
        out.writeCsv("results.csv", table);
    }

    private static void writeHistory(OutputWriter out, List<Fit> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "parameters", "epoch", "mean_batch_loss");
        for (Fit f : fits) {
            double[] batchLoss = f.result().batchLoss();
            for (int e = 0; e < batchLoss.length; e++) {
                table.add(width(f.spec()), f.spec().parameterCount(), e + 1, batchLoss[e]);
            }
        }
        out.writeCsv("history.csv", table);
    }

    private static Map<String, Object> fitSummary(Fit f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width(f.spec()));
        m.put("spec", f.spec().describe());
        m.put("hiddenWidths", f.spec().hiddenWidths());
        m.put("parameters", f.spec().parameterCount());
        m.put("trainLoss", f.trainLoss());
        m.put("trainAccuracy", f.trainAccuracy());
        m.put("testLoss", f.testLoss());
        m.put("testAccuracy", f.testAccuracy());
        m.put("wallSeconds", f.result().wallSeconds());
        m.put("status", f.succeeded() ? "ok" : "diverged: " + f.result().failure());
        return m;
    }

    private static String widths(ModelSpec spec) {
        return String.join("-", Arrays.stream(spec.hiddenWidths()).mapToObj(Integer::toString).toList());
    }
}
