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
 */
public final class ParamsVsGeneralizationExperiment
        extends MnistExperiment<ParamsVsGeneralizationExperiment.Settings> {

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

    public ParamsVsGeneralizationExperiment(Settings settings) {
        super(TYPE, settings);
    }

    /** Checks the training data as every MNIST experiment does, and the size of the network for the data. */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        MnistInput.checkDense(context, "widths", Collections.nCopies(settings.hiddenLayers(), Collections.max(settings.widths())));
    }

    @Override
    public ExperimentResult run(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        List<ModelSpec> specs = settings.models(data.train().featureSize(), data.train().classes());
        long distinct = specs.stream().mapToInt(ModelSpec::parameterCount).distinct().count();
        context.progress().plan((long) specs.size() * settings.epochs());
        List<TrainingRun> fits = new ArrayList<>();
        for (ModelSpec spec : specs) {
            TrainingRun fit = train(context, data, spec, random.split());
            fits.add(fit);
            context.results().printf(Locale.ROOT, "%s width %4d %,9d parameters  %s%n", NAME, width(spec),
                    spec.parameterCount(), fit.succeeded()
                            ? String.format(Locale.ROOT, "train loss %s accuracy %s, test loss %s accuracy %s",
                            Outputs.number(fit.trainLoss()), Outputs.percent(fit.trainAccuracy()),
                            Outputs.number(fit.testLoss()), Outputs.percent(fit.testAccuracy()))
                            : "failed: " + fit.failure());
            context.results().flush();
        }

        OutputWriter out = context.output();
        writeResults(out, fits);
        writeHistory(out, fits);
        ParamsVsGeneralizationFigures.write(out, fits, settings, data.train().size());
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (TrainingRun f : fits) {
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

    private TrainingRun train(ExperimentContext context, MnistInput data, ModelSpec spec, SplittableRandom part) {
        return TrainingRun.train(context, data, spec, settings.optimizer().spec(settings.learningRate()),
                settings.epochs(), settings.batchSize(), part, "width " + width(spec), TrainingRun.Evaluation.FINAL);
    }

    /** The width of every hidden layer of a model of the sweep. */
    static int width(ModelSpec spec) {
        return spec.hiddenWidths()[0];
    }

    private static void writeResults(OutputWriter out, List<TrainingRun> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "hidden_widths", "parameters", "train_loss", "train_accuracy",
                "test_loss", "test_accuracy", "status");
        for (TrainingRun f : fits) {
            table.add(width(f.spec()), widths(f.spec()), f.spec().parameterCount(), f.trainLoss(), f.trainAccuracy(),
                    f.testLoss(), f.testAccuracy(), f.succeeded() ? "ok" : "diverged");
        }
        out.writeCsv("results.csv", table);
    }

    private static void writeHistory(OutputWriter out, List<TrainingRun> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "parameters", "epoch", "mean_batch_loss");
        for (TrainingRun f : fits) {
            for (int e = 0; e < f.batchLoss().length; e++) {
                table.add(width(f.spec()), f.spec().parameterCount(), e + 1, f.batchLoss()[e]);
            }
        }
        out.writeCsv("history.csv", table);
    }

    private static Map<String, Object> fitSummary(TrainingRun f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width(f.spec()));
        m.put("spec", f.spec().describe());
        m.put("hiddenWidths", f.spec().hiddenWidths());
        m.put("parameters", f.spec().parameterCount());
        m.put("trainLoss", f.trainLoss());
        m.put("trainAccuracy", f.trainAccuracy());
        m.put("testLoss", f.testLoss());
        m.put("testAccuracy", f.testAccuracy());
        m.put("wallSeconds", f.wallSeconds());
        m.put("status", f.succeeded() ? "ok" : "diverged: " + f.failure());
        return m;
    }

    private static String widths(ModelSpec spec) {
        return String.join("-", Arrays.stream(spec.hiddenWidths()).mapToObj(Integer::toString).toList());
    }
}
