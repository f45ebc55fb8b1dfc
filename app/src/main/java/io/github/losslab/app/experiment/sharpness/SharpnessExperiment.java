package io.github.losslab.app.experiment.sharpness;

import io.github.losslab.analysis.sharpness.EpsilonSharpness;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.flatness.BatchSizeSweep;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.experiment.flatness.Trend;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sharpness vs batch size (the assignment's bonus): classifiers of one spec that differ only in their batch size
 * (the sweep of {@code sensitivity}), with their epsilon-sharpness as Keskar, Mudigere, Nocedal, Smelyanskiy and
 * Tang 2017 define it ("On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima", Metric 2.1
 * in the full space): {@code 100 (max_{y in C} L(theta + y) - L(theta)) / (1 + L(theta))} over the box
 * {@code |y_i| <= eps (|theta_i| + 1)}, maximised by projected gradient ascent from the centre and from random
 * corners, on training samples. The value found is a lower bound of the maximum, as the paper's is.
 *
 * <p>Writes into {@code <out>/sharpness/}: {@code loss.png}/{@code .svg} and {@code accuracy.png}/{@code .svg}
 * (train and test loss or accuracy against the batch size, the sharpness on a second axis), {@code sharpness.csv}
 * (their data) and {@code summary.json} (settings, every model's metrics and sharpness, the rank correlation of the
 * sharpness with the batch size, provenance).
 */
public final class SharpnessExperiment extends TrialExperiment<SharpnessExperiment.Settings, BatchSizeSweep.Point> {

    /** The name the command line knows. */
    public static final String NAME = "sharpness";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "sharp vs flat minima: ε-sharpness (Keskar et al.) of MNIST models trained with batch sizes 16 to 2048",
            Settings.class, Settings::of, SharpnessExperiment::new).withExplanation("""
            The batch-size sweep of the sensitivity experiment, with the ε-sharpness of Keskar et al. 2017 of each \
            model: the largest relative increase of the training loss within a small box around the parameters, \
            |yᵢ| ≤ ε(|θᵢ| + 1), found by gradient ascent from the centre and from random corners of the box; like \
            the paper's, the value found is a lower bound of the maximum.

            Read the figures from left to right: the solid lines are the training and test loss (or accuracy) on the \
            left axis, the dashed line the sharpness on the right axis. Keskar et al. found large-batch training to \
            end in sharper minima that generalize worse; models trained for a fixed number of epochs may not have \
            reached a minimum at large batch sizes, which the training loss shows.""");

    /** The name of the sharpness in the summary. */
    public static final String SHARPNESS = "sharpness";

    /**
     * The settings of a run.
     *
     * @param batchSizes       one model each, at least 2, in increasing order
     * @param hiddenWidths     widths of the ReLU hidden layers of every model
     * @param optimizer        the optimizer of every model
     * @param learningRate     its learning rate
     * @param epochs           passes over the training set, the same for every batch size
     * @param trainSamples     training samples (a stratified random subset); 0 for all
     * @param testSamples      test samples (a stratified random subset); 0 for all
     * @param epsilon          the radius of the box, relative to each parameter's magnitude plus one
     * @param ascentSteps      gradient-ascent steps of each start
     * @param restarts         random starts at corners of the box besides the start at the centre
     * @param sharpnessSamples training samples the loss is measured on
     */
    public record Settings(List<Integer> batchSizes, List<Integer> hiddenWidths, OptimizerKind optimizer,
                           double learningRate, int epochs, int trainSamples, int testSamples, double epsilon,
                           int ascentSteps, int restarts, int sharpnessSamples) {

        public Settings {
            batchSizes = BatchSizeSweep.checkBatchSizes(batchSizes);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            BatchSizeSweep.checkTraining(optimizer, learningRate, epochs, trainSamples, testSamples);
            Check.positive("epsilon", epsilon);
            Check.between("ascentSteps", ascentSteps, 1, Limits.STEPS);
            Check.between("restarts", restarts, 0, Limits.RUNS);
            Check.between("sharpnessSamples", sharpnessSamples, 1, Limits.SAMPLES);
        }

        /**
         * About a minute on two CPU cores: the batch sizes and training of {@code sensitivity}'s quick preset;
         * the paper's epsilon of 1e-3, 10 ascent steps from the centre and from one random corner, on 1,000
         * training samples.
         */
        public static Settings quick() {
            return new Settings(List.of(16, 32, 64, 128, 256, 512, 1024, 2048), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 1e-3, 8, MnistInput.ALL, MnistInput.ALL, EpsilonSharpness.EPSILON_DEFAULT,
                    10, 1, 1_000);
        }

        /** The assignment's scale: all the data, 20 epochs per model; 20 ascent steps from 3 starts on 2,000 samples. */
        public static Settings full() {
            return new Settings(List.of(16, 32, 64, 128, 256, 512, 1024, 2048), Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 1e-3, 20, MnistInput.ALL, MnistInput.ALL, EpsilonSharpness.EPSILON_DEFAULT,
                    EpsilonSharpness.STEPS_DEFAULT, EpsilonSharpness.RESTARTS_DEFAULT, 2_000);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }
    }

    public SharpnessExperiment(Settings settings) {
        super(TYPE, settings, BatchSizeSweep.Point.class);
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, Batch probe, ModelSpec spec, BatchSizeSweep sweep, long searchSeed) {
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                random.nextLong());
        Batch probe = MnistInput.cut(data.train(), settings.sharpnessSamples(), random.nextLong()).all();
        ModelSpec spec = Classifier.mlp(data, settings.hiddenWidths());
        BatchSizeSweep sweep = new BatchSizeSweep(spec, settings.optimizer().spec(settings.learningRate()),
                settings.epochs(), settings.batchSizes(), random.nextLong(), random.nextLong());
        return new Setup(data, probe, spec, sweep, random.nextLong());
    }

    @Override
    public List<String> trialKeys() {
        return settings.batchSizes().stream().map(BatchSizeSweep::key).toList();
    }

    /** One batch size: trains its model and measures its ε-sharpness. */
    @Override
    public BatchSizeSweep.Point runTrial(String key, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        return setup.sweep().point(context, setup.data(), key, (model, trained) -> {
            EpsilonSharpness s = EpsilonSharpness.measure(model, setup.probe(), settings.epsilon(),
                    settings.ascentSteps(), settings.restarts(), setup.searchSeed());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(SHARPNESS, s.sharpness());
            m.put("baseLoss", s.baseLoss());
            m.put("maxLoss", s.maxLoss());
            m.put("evaluations", (double) s.evaluations());
            return m;
        });
    }

    @Override
    public ExperimentResult reduce(TrialResults<BatchSizeSweep.Point> trials, ExperimentContext context)
            throws IOException {
        Setup setup = setup(context);
        MnistInput data = setup.data();
        Batch probe = setup.probe();
        ModelSpec spec = setup.spec();
        List<BatchSizeSweep.Point> points = trials.values();

        OutputWriter out = context.output();
        CsvTable table = CsvTable.of("batch_size", "steps", "train_loss", "train_accuracy", "test_loss",
                "test_accuracy", "sharpness_percent", "epsilon", "base_loss", "max_loss", "evaluations", "samples",
                "wall_seconds");
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> models = new ArrayList<>();
        for (BatchSizeSweep.Point p : points) {
            TrainedClassifier t = p.trained();
            table.add(t.batchSize(), t.steps(), t.trainLoss(), t.trainAccuracy(), t.testLoss(), t.testAccuracy(),
                    p.value(SHARPNESS), settings.epsilon(), p.value("baseLoss"), p.value("maxLoss"),
                    (int) p.value("evaluations"), probe.rows(), t.wallSeconds());
            Map<String, Object> m = t.toMap();
            m.put(SHARPNESS, p.value(SHARPNESS));
            m.put("sharpnessBaseLoss", p.value("baseLoss"));
            m.put("sharpnessMaxLoss", p.value("maxLoss"));
            m.put("sharpnessEvaluations", (int) p.value("evaluations"));
            models.add(m);
            keyNumbers.put(t.label() + " / test accuracy", t.testAccuracy());
            keyNumbers.put(t.label() + " / sharpness (%)", p.value(SHARPNESS));
            context.results().printf(Locale.ROOT, "%s batch %5d: train loss %.4f acc %.4f, test loss %.4f acc %.4f,"
                            + " ε-sharpness %.4g%%  (%.1f s)%n", NAME, t.batchSize(), t.trainLoss(), t.trainAccuracy(),
                    t.testLoss(), t.testAccuracy(), p.value(SHARPNESS), t.wallSeconds());
        }
        out.writeCsv("sharpness.csv", table);
        double[] batch = points.stream().mapToDouble(BatchSizeSweep.Point::batchSize).toArray();
        double[] sharpness = points.stream().mapToDouble(p -> p.value(SHARPNESS)).toArray();
        double[] gap = points.stream().mapToDouble(p -> p.trained().lossGap()).toArray();
        double trend = Trend.spearman(batch, sharpness);
        double gapTrend = Trend.spearman(gap, sharpness);
        keyNumbers.put("rank correlation of batch size and sharpness", trend);
        keyNumbers.put("rank correlation of generalization gap and sharpness", gapTrend);
        context.results().printf(Locale.ROOT, "%s rank correlation of the sharpness with the batch size %+.2f, with"
                + " the generalization gap (test - train loss) %+.2f%n", NAME, trend, gapTrend);
        context.results().flush();

        SweepFigures.write(out, "ε-sharpness vs batch size\n" + SweepFigures.setup(spec, settings.optimizer(),
                        settings.learningRate(), settings.epochs(), data), points, Map.of(SHARPNESS, "ε-sharpness"),
                "ε-sharpness (%), ε = " + settings.epsilon() + ", on " + probe.rows() + " training samples");

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("sharpnessSamples", probe.rows());
        summary.put("models", models);
        summary.put("rankCorrelationWithBatchSize", trend);
        summary.put("rankCorrelationWithGeneralizationGap", gapTrend);
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }
}
