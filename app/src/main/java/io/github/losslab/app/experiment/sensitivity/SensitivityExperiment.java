package io.github.losslab.app.experiment.sensitivity;

import io.github.losslab.analysis.sensitivity.InputSensitivity;
import io.github.losslab.api.data.Dataset;
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
 * Flatness vs generalization, part 2 (assignment part 1-3): classifiers of one spec that differ only in their batch
 * size, from 16 to 2048 samples per step, with their input sensitivity beside their training and test loss and
 * accuracy. Two sensitivities are reported, each under its own name: the Frobenius norm of the Jacobian of the
 * softmax output with respect to the input, {@code ||d softmax(f(x)) / dx||_F} (Novak, Bahri, Abolafia, Pennington
 * and Sohl-Dickstein 2018, "Sensitivity and Generalization in Neural Networks"), computed exactly from one input
 * gradient per class; and the norm of the gradient of the loss with respect to the input, {@code ||dL/dx||}, the
 * course slides' variant. Both are averaged over test samples.
 *
 * <p>Writes into {@code <out>/sensitivity/}: {@code loss.png}/{@code .svg} (train and test cross-entropy against
 * the batch size, the sensitivities on a second axis), {@code accuracy.png}/{@code .svg} (the same with accuracy),
 * {@code sensitivity.csv} (the data of both figures) and {@code summary.json} (settings, every model's metrics and
 * sensitivities, the rank correlation of each sensitivity with the batch size and of the Jacobian norm with the
 * generalization gap, provenance).
 */
public final class SensitivityExperiment extends TrialExperiment<SensitivityExperiment.Settings,
        BatchSizeSweep.Point> {

    /** The name the command line knows. */
    public static final String NAME = "sensitivity";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "flatness vs generalization: input sensitivity ‖∂softmax/∂x‖_F of MNIST models trained with batch sizes"
                    + " 16 to 2048",
            Settings.class, Settings::of, SensitivityExperiment::new).withExplanation("""
            MNIST classifiers that differ only in their batch size, from 16 to 2048 samples per step, are trained \
            from the same initial parameters for the same number of epochs (a larger batch takes fewer steps). For \
            each, the sensitivity of its output to its input is measured on test samples in two ways: the \
            Frobenius norm of the Jacobian of the softmax output, ‖∂softmax/∂x‖_F (Novak et al. 2018), and the norm \
            of the gradient of the loss with respect to the input, ‖∂L/∂x‖ (the course slides).

            Read the figures from left to right: the solid lines are the training and test loss (or accuracy) on the \
            left axis, the dashed lines the sensitivities on the right axis. Novak et al. found that networks which \
            generalize worse are more sensitive to their input; the summary gives the rank correlation of the \
            Jacobian norm with the generalization gap and with the batch size.""");

    /** The name of the Jacobian norm in the summary and the CSV. */
    public static final String JACOBIAN_NORM = "jacobianNorm";
    /** The name of the loss-gradient norm in the summary and the CSV. */
    public static final String LOSS_GRADIENT_NORM = "lossGradientNorm";

    /**
     * The settings of a run.
     *
     * @param batchSizes         one model each, at least 2, in increasing order
     * @param hiddenWidths       widths of the ReLU hidden layers of every model
     * @param optimizer          the optimizer of every model
     * @param learningRate       its learning rate
     * @param epochs             passes over the training set, the same for every batch size
     * @param trainSamples       training samples (a stratified random subset); 0 for all
     * @param testSamples        test samples (a stratified random subset); 0 for all
     * @param sensitivitySamples test samples the sensitivities are averaged over
     */
    public record Settings(List<Integer> batchSizes, List<Integer> hiddenWidths, OptimizerKind optimizer,
                           double learningRate, int epochs, int trainSamples, int testSamples,
                           int sensitivitySamples) {

        /** Eight batch sizes spaced by factors of two. */
        public static final List<Integer> BATCH_SIZES_DEFAULT = List.of(16, 32, 64, 128, 256, 512, 1024, 2048);
        /** Adam's usual learning rate. */
        public static final double LEARNING_RATE_DEFAULT = 1e-3;

        public Settings {
            batchSizes = BatchSizeSweep.checkBatchSizes(batchSizes);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            BatchSizeSweep.checkTraining(optimizer, learningRate, epochs, trainSamples, testSamples);
            Check.between("sensitivitySamples", sensitivitySamples, 1, Limits.SAMPLES);
        }

        /**
         * About a minute on two CPU cores: the eight batch sizes, each trained for 8 epochs of the bundled 8,000
         * training samples; sensitivities over 500 test samples.
         */
        public static Settings quick() {
            return new Settings(BATCH_SIZES_DEFAULT, Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, 8, MnistInput.ALL, MnistInput.ALL, 500);
        }

        /** The assignment's scale: all the training data, 20 epochs per model; sensitivities over 2,000 samples. */
        public static Settings full() {
            return new Settings(BATCH_SIZES_DEFAULT, Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, 20, MnistInput.ALL, MnistInput.ALL, 2_000);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** These settings with other batch sizes. */
        public Settings withBatchSizes(List<Integer> value) {
            return new Settings(value, hiddenWidths, optimizer, learningRate, epochs, trainSamples, testSamples,
                    sensitivitySamples);
        }
    }

    public SensitivityExperiment(Settings settings) {
        super(TYPE, settings, BatchSizeSweep.Point.class);
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, Dataset probe, ModelSpec spec, BatchSizeSweep sweep) {
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                random.nextLong());
        Dataset probe = MnistInput.cut(data.test(), settings.sensitivitySamples(), random.nextLong());
        ModelSpec spec = Classifier.mlp(data, settings.hiddenWidths());
        BatchSizeSweep sweep = new BatchSizeSweep(spec, settings.optimizer().spec(settings.learningRate()),
                settings.epochs(), settings.batchSizes(), random.nextLong(), random.nextLong());
        return new Setup(data, probe, spec, sweep);
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.Sizes sizes = MnistInput.checkSizes(context, settings.trainSamples(), settings.testSamples(),
                "batchSizes", settings.batchSizes());
        sizes.test().samples("sensitivitySamples", settings.sensitivitySamples());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    @Override
    public List<String> trialKeys() {
        return settings.batchSizes().stream().map(BatchSizeSweep::key).toList();
    }

    /** One batch size: trains its model and measures its input sensitivity. */
    @Override
    public BatchSizeSweep.Point runTrial(String key, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        Dataset probe = setup.probe();
        return setup.sweep().point(context, setup.data(), key, (model, trained) -> {
            InputSensitivity s = InputSensitivity.of(model, probe, probe.size());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(JACOBIAN_NORM, s.jacobianNorm());
            m.put(JACOBIAN_NORM + "Std", s.jacobianNormStd());
            m.put(LOSS_GRADIENT_NORM, s.lossGradientNorm());
            m.put(LOSS_GRADIENT_NORM + "Std", s.lossGradientNormStd());
            return m;
        });
    }

    @Override
    public ExperimentResult reduce(TrialResults<BatchSizeSweep.Point> trials, ExperimentContext context)
            throws IOException {
        Setup setup = setup(context);
        MnistInput data = setup.data();
        Dataset probe = setup.probe();
        ModelSpec spec = setup.spec();
        List<BatchSizeSweep.Point> points = trials.values();

        OutputWriter out = context.output();
        CsvTable table = CsvTable.of("batch_size", "steps", "train_loss", "train_accuracy", "test_loss",
                "test_accuracy", "jacobian_norm", "jacobian_norm_std", "loss_gradient_norm", "loss_gradient_norm_std",
                "samples", "wall_seconds");
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> models = new ArrayList<>();
        for (BatchSizeSweep.Point p : points) {
            TrainedClassifier t = p.trained();
            table.add(t.batchSize(), t.steps(), t.trainLoss(), t.trainAccuracy(), t.testLoss(), t.testAccuracy(),
                    p.value(JACOBIAN_NORM), p.value(JACOBIAN_NORM + "Std"), p.value(LOSS_GRADIENT_NORM),
                    p.value(LOSS_GRADIENT_NORM + "Std"), probe.size(), t.wallSeconds());
            Map<String, Object> m = t.toMap();
            m.putAll(p.measured());
            models.add(m);
            keyNumbers.put(t.label() + " / test accuracy", t.testAccuracy());
            keyNumbers.put(t.label() + " / Jacobian norm", p.value(JACOBIAN_NORM));
            context.results().printf(Locale.ROOT, "%s batch %5d: train loss %.4f acc %.4f, test loss %.4f acc %.4f,"
                            + " ‖∂softmax/∂x‖_F %.4f, ‖∂L/∂x‖ %.4f  (%.1f s)%n", NAME, t.batchSize(), t.trainLoss(),
                    t.trainAccuracy(), t.testLoss(), t.testAccuracy(), p.value(JACOBIAN_NORM),
                    p.value(LOSS_GRADIENT_NORM), t.wallSeconds());
        }
        out.writeCsv("sensitivity.csv", table);
        double[] batch = points.stream().mapToDouble(BatchSizeSweep.Point::batchSize).toArray();
        double[] gap = points.stream().mapToDouble(p -> p.trained().lossGap()).toArray();
        double jacobianTrend = Trend.spearman(batch, values(points, JACOBIAN_NORM));
        double gradientTrend = Trend.spearman(batch, values(points, LOSS_GRADIENT_NORM));
        double jacobianGap = Trend.spearman(gap, values(points, JACOBIAN_NORM));
        keyNumbers.put("rank correlation of batch size and Jacobian norm", jacobianTrend);
        keyNumbers.put("rank correlation of batch size and loss-gradient norm", gradientTrend);
        keyNumbers.put("rank correlation of generalization gap and Jacobian norm", jacobianGap);
        context.results().printf(Locale.ROOT, "%s rank correlation with the batch size: ‖∂softmax/∂x‖_F %+.2f,"
                + " ‖∂L/∂x‖ %+.2f; of ‖∂softmax/∂x‖_F with the generalization gap (test - train loss) %+.2f%n",
                NAME, jacobianTrend, gradientTrend, jacobianGap);
        context.results().flush();

        Map<String, String> measured = new LinkedHashMap<>();
        measured.put(JACOBIAN_NORM, "‖∂softmax/∂x‖_F, Novak et al.");
        measured.put(LOSS_GRADIENT_NORM, "‖∂L/∂x‖, course slides");
        SweepFigures.write(out, "Input sensitivity vs batch size\n" + SweepFigures.setup(spec, settings.optimizer(),
                        settings.learningRate(), settings.epochs(), data), points, measured,
                "input sensitivity, mean over " + probe.size() + " test samples");

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("sensitivitySamples", probe.size());
        summary.put("models", models);
        Map<String, Object> trend = new LinkedHashMap<>();
        trend.put(JACOBIAN_NORM, jacobianTrend);
        trend.put(LOSS_GRADIENT_NORM, gradientTrend);
        summary.put("rankCorrelationWithBatchSize", trend);
        summary.put("rankCorrelationOfJacobianNormWithGeneralizationGap", jacobianGap);
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    private static double[] values(List<BatchSizeSweep.Point> points, String name) {
        return points.stream().mapToDouble(p -> p.value(name)).toArray();
    }
}
