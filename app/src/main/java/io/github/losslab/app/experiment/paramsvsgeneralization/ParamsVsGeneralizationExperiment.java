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
import io.github.losslab.app.experiment.flatness.Trend;
import io.github.losslab.app.experiment.training.MnistExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.MnistSettings;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.TrainingChecks;
import io.github.losslab.app.experiment.training.TrainingRun;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.SeedKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Number of parameters vs generalization (assignment part 1-3): dense networks of one shape (the same number of
 * hidden layers, all of one width) and growing width are trained alike on MNIST, and their final loss and accuracy
 * on the training and the test set are compared against their parameter count. The training loss falls towards
 * zero as the networks grow; the test loss falls too, more slowly, even past the width at which the training set is
 * fitted: in this range more parameters generalize better, not worse (Neyshabur et al. 2015, "In search of the
 * real inductive bias"; Neyshabur et al. 2017, "Exploring generalization in deep learning"; Novak et al. 2018,
 * "Sensitivity and generalization in neural networks").
 *
 * <p>Every width is trained with {@link Settings#seeds()} seeds (initial parameters, sample order and, for a
 * subset of the training split, the subset). The claim is tested with a {@link Verdict}: per seed, Spearman's rank
 * correlation of the parameter count and the final test loss across the widths, claimed below 0.
 *
 * <p>Writes into {@code <out>/params-vs-generalization/}: {@code loss.png}/{@code .svg} (training and test loss
 * against the parameter count, both axes logarithmic), {@code accuracy.png}/{@code .svg} (training and test
 * accuracy against the parameter count, log x), each the mean over the seeds with a band of ± one standard
 * deviation, {@code results.csv} (each model's width, seed, parameter count and final values: the data of the
 * figures), {@code history.csv} (each model's mean mini-batch loss per epoch) and {@code summary.json} (every
 * model, the verdict, the settings and the provenance).
 *
 * <p>Each width and seed is one trial (key {@code width-16.seed-2}), whose {@link WidthResult} is kept in
 * {@code trials/}; the tables, figures and summary are made from those results.
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
            1,024 in the full preset), are trained alike with several seeds, and their final loss and accuracy on \
            the training and the test set are plotted against their parameter count, on a logarithmic axis: the \
            mean over the seeds with a band of one standard deviation.

            The training loss falls towards zero as the networks grow, and the test loss falls too, more slowly: \
            the gap between training and test widens with size, yet the largest networks, with more parameters \
            than training samples, generalize best (Neyshabur et al. 2015, 2017; Novak et al. 2018). The verdict \
            tests it per seed: Spearman's rank correlation of parameter count and test loss, claimed below 0.""");

    /** The assignment asks for at least this many models. */
    public static final int MIN_MODELS = 10;
    /** The papers the claim comes from. */
    public static final String SOURCE = "Neyshabur et al. 2015, 2017; Novak et al. 2018";

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
     * @param seeds        repetitions of the sweep, each with its own initial parameters and sample order
     */
    public record Settings(int trainSamples, int hiddenLayers, List<Integer> widths, Activation activation,
                           OptimizerKind optimizer, double learningRate, int epochs, int batchSize, int seeds)
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
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About 40 seconds on two CPU cores: 12 networks of one hidden layer, 2 to 512 units wide (1,600 to 407,000
         * parameters), each trained for 8 epochs of Adam on the bundled 8,000 training digits, with three seeds.
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, 1, WIDTHS_DEFAULT, Activation.RELU, OptimizerKind.ADAM, 0.001, 8,
                    64, 3);
        }

        /**
         * The assignment's scale: every training sample (60,000 for MNIST), 30 epochs, widths up to 1,024, five
         * seeds.
         */
        public static Settings full() {
            return new Settings(MnistInput.ALL, 1, List.of(2, 4, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512, 1024),
                    Activation.RELU, OptimizerKind.ADAM, 0.001, 30, 64, 5);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, List<Integer> newWidths, int newEpochs,
                                     int newBatchSize) {
            return new Settings(newTrainSamples, hiddenLayers, newWidths, activation, optimizer, learningRate,
                    newEpochs, newBatchSize, seeds);
        }

        public Settings withSeeds(int newSeeds) {
            return new Settings(trainSamples, hiddenLayers, widths, activation, optimizer, learningRate, epochs,
                    batchSize, newSeeds);
        }

        public Settings withLearningRate(double newLearningRate) {
            return new Settings(trainSamples, hiddenLayers, widths, activation, optimizer, newLearningRate, epochs,
                    batchSize, seeds);
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
     * What the trial of one width and seed returns: the model's final loss and accuracy on both sets and its
     * training, as plain numbers.
     *
     * @param width         the width of every hidden layer
     * @param seed          the seed index
     * @param trainLoss     the final loss on the training set; NaN when the training diverged
     * @param trainAccuracy the final accuracy on the training set; NaN when the training diverged
     * @param testLoss      the final loss on the test set; NaN when the training diverged
     * @param testAccuracy  the final accuracy on the test set; NaN when the training diverged
     * @param batchLoss     the mean mini-batch loss of every epoch; empty when the training diverged
     * @param wallSeconds   the training and its evaluation
     * @param failure       why the training stopped, or null when it completed
     */
    public record WidthResult(int width, int seed, double trainLoss, double trainAccuracy, double testLoss,
                              double testAccuracy, double[] batchLoss, double wallSeconds, String failure) {
    }

    /** One width's results over the seeds with its model, as the tables and figures read them. */
    record Fit(ModelSpec spec, List<WidthResult> results) {

        boolean succeeded() {
            return results.stream().anyMatch(r -> r.failure() == null);
        }

        double[] values(ToDoubleFunction<WidthResult> value) {
            return results.stream().filter(r -> r.failure() == null).mapToDouble(value).toArray();
        }

        double mean(ToDoubleFunction<WidthResult> value) {
            return Arrays.stream(values(value)).average().orElse(Double.NaN);
        }
    }

    /**
     * What the trials of one seed and the reduce step derive from the seed's generator, in the same order: the
     * data, then one split of the random numbers per model, in order of width.
     */
    private record Setup(MnistInput data, Map<Integer, ModelSpec> specs, Map<Integer, SplittableRandom> parts) {
    }

    public ParamsVsGeneralizationExperiment(Settings settings) {
        super(TYPE, settings, WidthResult.class);
    }

    private Setup setup(ExperimentContext context, int seed) throws IOException {
        SplittableRandom random = context.random(seed);
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

    /** The trial key of a width and seed: {@code width-16.seed-2}. */
    public static String key(int width, int seed) {
        return SeedKey.of("width-" + width, seed);
    }

    /** One trial per width and seed, seeds inner, in order of width. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (int w : settings.widths().stream().sorted().toList()) {
            for (int s = 0; s < settings.seeds(); s++) {
                keys.add(key(w, s));
            }
        }
        return keys;
    }

    /**
     * Trains the model of one width with one seed and evaluates it on both sets. A training that diverges is
     * recorded with {@link ExperimentContext#diverged} and returned with its failure, so that the tables still list
     * it.
     */
    @Override
    public WidthResult runTrial(String key, ExperimentContext context) throws IOException {
        for (int width : settings.widths()) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                if (key(width, seed).equals(key)) {
                    return train(width, seed, context);
                }
            }
        }
        throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are " + trialKeys());
    }

    private WidthResult train(int width, int seed, ExperimentContext context) throws IOException {
        Setup setup = setup(context, seed);
        ModelSpec spec = setup.specs().get(width);
        context.progress().plan(settings.epochs());
        TrainingRun fit = TrainingRun.train(context, setup.data(), spec,
                settings.optimizer().spec(settings.learningRate()), settings.epochs(), settings.batchSize(),
                setup.parts().get(width), "width " + width + ", seed " + seed, TrainingRun.Evaluation.FINAL);
        return new WidthResult(width, seed, fit.trainLoss(), fit.trainAccuracy(), fit.testLoss(), fit.testAccuracy(),
                fit.batchLoss(), fit.wallSeconds(), fit.failure());
    }

    /** Prints every width's result and writes the tables, the figures, the verdict and the summary. */
    @Override
    public ExperimentResult reduce(TrialResults<WidthResult> trials, ExperimentContext context) throws IOException {
        Setup setup = setup(context, 0);
        MnistInput data = setup.data();
        long distinct = setup.specs().values().stream().mapToInt(ModelSpec::parameterCount).distinct().count();
        List<Fit> fits = new ArrayList<>();
        for (Map.Entry<Integer, ModelSpec> e : setup.specs().entrySet()) {
            List<WidthResult> results = trials.values().stream().filter(r -> r.width() == e.getKey())
                    .sorted(Comparator.comparingInt(WidthResult::seed)).toList();
            if (results.isEmpty()) {
                continue;
            }
            Fit fit = new Fit(e.getValue(), results);
            fits.add(fit);
            ModelSpec spec = fit.spec();
            context.results().printf(Locale.ROOT, "%s width %4d %,9d parameters  %s%n", NAME, width(spec),
                    spec.parameterCount(), fit.succeeded()
                            ? String.format(Locale.ROOT, "mean over %d seeds: train loss %s accuracy %s, test loss "
                                    + "%s accuracy %s", fit.values(WidthResult::testLoss).length,
                            Outputs.number(fit.mean(WidthResult::trainLoss)),
                            Outputs.percent(fit.mean(WidthResult::trainAccuracy)),
                            Outputs.number(fit.mean(WidthResult::testLoss)),
                            Outputs.percent(fit.mean(WidthResult::testAccuracy)))
                            : "failed: " + fit.results().get(0).failure());
        }
        Verdict verdict = verdict(trials);
        context.results().println(NAME + " " + verdict);
        context.results().flush();

        OutputWriter out = context.output();
        writeResults(out, fits);
        writeHistory(out, fits);
        ParamsVsGeneralizationFigures.write(out, fits, settings, data);
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (Fit f : fits) {
            keyNumbers.put(String.format(Locale.ROOT, "%,d parameters / test accuracy", f.spec().parameterCount()),
                    f.mean(WidthResult::testAccuracy));
        }
        keyNumbers.put("rank correlation of parameters and test loss", verdict.summary().mean());
        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("distinctParameterCounts", distinct);
        summary.put("seeds", settings.seeds());
        summary.put("models", fits.stream().map(ParamsVsGeneralizationExperiment::fitSummary).toList());
        summary.put("verdicts", List.of(verdict.toMap()));
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The claim tested per seed: Spearman's rank correlation of the parameter count and the final test loss across
     * the widths that trained, below 0. A seed with fewer than two such widths gives no value.
     */
    private Verdict verdict(TrialResults<WidthResult> trials) {
        double[] perSeed = new double[settings.seeds()];
        for (int s = 0; s < settings.seeds(); s++) {
            int seed = s;
            List<WidthResult> ok = trials.values().stream().filter(r -> r.seed() == seed && r.failure() == null
                    && Double.isFinite(r.testLoss())).sorted(Comparator.comparingInt(WidthResult::width)).toList();
            perSeed[s] = ok.size() < 2 ? Double.NaN : Trend.spearman(
                    ok.stream().mapToDouble(r -> r.width()).toArray(),
                    ok.stream().mapToDouble(WidthResult::testLoss).toArray());
        }
        int narrowest = Collections.min(settings.widths());
        int widest = Collections.max(settings.widths());
        return Verdict.test("the test loss falls as the number of parameters grows: wider networks generalize "
                        + "better in this range", SOURCE,
                "Spearman's rank correlation of parameter count (ranked as the width) and final test loss across the "
                        + settings.widths().size() + " widths (" + narrowest + " to " + widest + " units)", perSeed,
                Verdict.Direction.BELOW, 0,
                "Each width is trained for " + settings.epochs() + " epochs; the claim is about networks trained to "
                        + "a comparable point, so a sweep whose networks have not learned (too few steps, a "
                        + "learning rate too small) or whose widths barely differ shows no trend. With widths from "
                        + "a few units to hundreds and enough epochs to fit the training set, the test loss falls "
                        + "with width.");
    }

    /** The width of every hidden layer of a model of the sweep. */
    static int width(ModelSpec spec) {
        return spec.hiddenWidths()[0];
    }

    private static void writeResults(OutputWriter out, List<Fit> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "seed", "hidden_widths", "parameters", "train_loss", "train_accuracy",
                "test_loss", "test_accuracy", "status");
        for (Fit f : fits) {
            for (WidthResult r : f.results()) {
                table.add(width(f.spec()), r.seed(), widths(f.spec()), f.spec().parameterCount(), r.trainLoss(),
                        r.trainAccuracy(), r.testLoss(), r.testAccuracy(), r.failure() == null ? "ok" : "diverged");
            }
        }
        out.writeCsv("results.csv", table);
    }

    private static void writeHistory(OutputWriter out, List<Fit> fits) throws IOException {
        CsvTable table = CsvTable.of("width", "seed", "parameters", "epoch", "mean_batch_loss");
        for (Fit f : fits) {
            for (WidthResult r : f.results()) {
                double[] batchLoss = r.batchLoss();
                for (int e = 0; e < batchLoss.length; e++) {
                    table.add(width(f.spec()), r.seed(), f.spec().parameterCount(), e + 1, batchLoss[e]);
                }
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
        m.put("trainLoss", f.mean(WidthResult::trainLoss));
        m.put("trainAccuracy", f.mean(WidthResult::trainAccuracy));
        m.put("testLoss", f.mean(WidthResult::testLoss));
        m.put("testAccuracy", f.mean(WidthResult::testAccuracy));
        m.put("testLossPerSeed", f.results().stream().map(WidthResult::testLoss).toList());
        m.put("testAccuracyPerSeed", f.results().stream().map(WidthResult::testAccuracy).toList());
        m.put("wallSeconds", f.results().stream().mapToDouble(WidthResult::wallSeconds).sum());
        List<String> failures = f.results().stream().filter(r -> r.failure() != null)
                .map(r -> "seed " + r.seed() + " diverged: " + r.failure()).toList();
        m.put("status", failures.isEmpty() ? "ok" : String.join("; ", failures));
        return m;
    }

    private static String widths(ModelSpec spec) {
        return String.join("-", Arrays.stream(spec.hiddenWidths()).mapToObj(Integer::toString).toList());
    }
}
