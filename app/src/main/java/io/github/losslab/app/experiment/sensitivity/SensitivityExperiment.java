package io.github.losslab.app.experiment.sensitivity;

import io.github.losslab.analysis.sensitivity.InputSensitivity;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.trial.SeedKey;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.flatness.BatchSizeSweep;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.SweepModels;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.experiment.flatness.Trend;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.experiment.flatness.TrainingTarget;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.ScatterChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Flatness vs generalization, part 2 (assignment part 1-3): classifiers of one spec that differ only in their batch
 * size, each trained with the same optimizer until the same training loss (or an epoch cap, reported when hit),
 * repeated over seeds, with their input sensitivity beside their training and test loss and accuracy. Two
 * sensitivities are reported, each under its own name: the Frobenius norm of the Jacobian of the softmax output with
 * respect to the input, {@code ||d softmax(f(x)) / dx||_F} (Novak, Bahri, Abolafia, Pennington and Sohl-Dickstein
 * 2018, "Sensitivity and Generalization in Neural Networks"), computed exactly from one input gradient per class;
 * and the norm of the gradient of the loss with respect to the input, {@code ||dL/dx||}, the course slides'
 * variant. Both are averaged over test samples.
 *
 * <p>The claim tested over the seeds (Novak et al. 2018): the Jacobian norm correlates with the generalization gap;
 * per seed, Spearman's rank correlation over the batch sizes of the Jacobian norm with the gap (test minus train
 * cross-entropy) is above 0.
 *
 * <p>Writes into {@code <out>/sensitivity/}: {@code sensitivity.png}/{@code .svg} (the sensitivities, the loss and
 * the accuracy against the batch size, mean ± sd over the seeds), {@code gap.png}/{@code .svg} (the Jacobian norm
 * against the generalization gap, one point per model), {@code training.png}/{@code .svg} (the training loss of
 * every epoch with the target), {@code sensitivity.csv} (one row per model) and {@code summary.json} (settings, every
 * model, the models that hit the epoch cap, the rank correlations per seed, the verdict, provenance).
 */
public final class SensitivityExperiment extends TrialExperiment<SensitivityExperiment.Settings,
        BatchSizeSweep.Point> {

    /** The name the command line knows. */
    public static final String NAME = "sensitivity";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "flatness vs generalization: input sensitivity ‖∂softmax/∂x‖_F of MNIST models trained with several"
                    + " batch sizes to the same training loss",
            Settings.class, Settings::of, SensitivityExperiment::new).withExplanation("""
            MNIST classifiers that differ only in their batch size are trained from the same initial parameters             with Adam until the same training loss (or an epoch cap, reported when hit), over several seeds. For             each, the sensitivity of its output to its input is measured on test samples in two ways: the             Frobenius norm of the Jacobian of the softmax output, ‖∂softmax/∂x‖_F (Novak et al. 2018), and the norm             of the gradient of the loss with respect to the input, ‖∂L/∂x‖ (the course slides).

            The first figure shows each quantity against the batch size, the mean over the seeds with a band of             one standard deviation; the second the Jacobian norm against the generalization gap (test minus train             loss) of every model. Novak et al. found that networks which generalize worse are more sensitive to             their input; the verdict tests, over the seeds, whether the rank correlation of the two over the batch             sizes is above 0.""");

    /** The name of the Jacobian norm in the summary and the CSV. */
    public static final String JACOBIAN_NORM = "jacobianNorm";
    /** The name of the loss-gradient norm in the summary and the CSV. */
    public static final String LOSS_GRADIENT_NORM = "lossGradientNorm";

    /**
     * The settings of a run.
     *
     * @param batchSizes         one model each per seed, at least 2, in increasing order
     * @param hiddenWidths       widths of the ReLU hidden layers of every model
     * @param optimizer          the optimizer of every model
     * @param learningRate       its learning rate, the same for every batch size
     * @param targetTrainLoss    each training stops once its cross-entropy on the whole training set is at most this
     * @param maxEpochs          the epoch cap of each training, reported when hit
     * @param plateauEpochs      0, or the epochs without a 1% fall of the training loss after which a training
     *                           stops before the cap, reported as plateaued ({@link TrainingTarget})
     * @param trainSamples       training samples (a stratified random subset); 0 for all
     * @param testSamples        test samples (a stratified random subset); 0 for all
     * @param seeds              repetitions of the sweep, each with its own initialization and sample order
     * @param sensitivitySamples test samples the sensitivities are averaged over
     */
    public record Settings(List<Integer> batchSizes, List<Integer> hiddenWidths, OptimizerKind optimizer,
                           double learningRate, double targetTrainLoss, int maxEpochs, int plateauEpochs,
                           int trainSamples, int testSamples, int seeds, int sensitivitySamples) {

        /** Five batch sizes spaced by factors of two, up to the largest that reaches the target in seconds. */
        public static final List<Integer> BATCH_SIZES_QUICK = List.of(32, 64, 128, 256, 512);
        /** Eight batch sizes spaced by factors of two. */
        public static final List<Integer> BATCH_SIZES_FULL = List.of(16, 32, 64, 128, 256, 512, 1024, 2048);
        /** Adam's usual learning rate. */
        public static final double LEARNING_RATE_DEFAULT = 1e-3;
        /** A training loss near a minimum: over 99% training accuracy at every batch size. */
        public static final double TARGET_TRAIN_LOSS_DEFAULT = 0.02;

        public Settings {
            batchSizes = BatchSizeSweep.checkBatchSizes(batchSizes);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            BatchSizeSweep.checkTraining(optimizer, learningRate, targetTrainLoss, maxEpochs, plateauEpochs,
                    trainSamples, testSamples, seeds);
            Check.between("sensitivitySamples", sensitivitySamples, 1, Limits.SAMPLES);
        }

        /**
         * About a minute on two CPU cores: batch sizes 32 to 512, each trained on the bundled 8,000 training samples
         * until a training loss of 0.02 (at most 200 epochs), 3 seeds; sensitivities over 500 test samples.
         */
        public static Settings quick() {
            return new Settings(BATCH_SIZES_QUICK, Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, TARGET_TRAIN_LOSS_DEFAULT, 200, 0, MnistInput.ALL, MnistInput.ALL, 3, 500);
        }

        /**
         * The assignment's scale: all the training data, batch sizes 16 to 2048, at most 1,000 epochs, 5 seeds;
         * sensitivities over 2,000 samples.
         */
        public static Settings full() {
            return new Settings(BATCH_SIZES_FULL, Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.ADAM,
                    LEARNING_RATE_DEFAULT, TARGET_TRAIN_LOSS_DEFAULT, 1_000, 0, MnistInput.ALL, MnistInput.ALL, 5,
                    2_000);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** These settings with other batch sizes. */
        public Settings withBatchSizes(List<Integer> value) {
            return new Settings(value, hiddenWidths, optimizer, learningRate, targetTrainLoss, maxEpochs,
                    plateauEpochs, trainSamples, testSamples, seeds, sensitivitySamples);
        }
    }

    public SensitivityExperiment(Settings settings) {
        super(TYPE, settings, BatchSizeSweep.Point.class);
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, Dataset probe, BatchSizeSweep sweep) {
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                random.nextLong());
        Dataset probe = MnistInput.cut(data.test(), settings.sensitivitySamples(), random.nextLong());
        BatchSizeSweep sweep = BatchSizeSweep.mlp(data, settings.hiddenWidths(), settings.optimizer(),
                settings.learningRate(), new TrainingTarget(settings.targetTrainLoss(), settings.maxEpochs(),
                        settings.plateauEpochs()));
        return new Setup(data, probe, sweep);
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.Sizes sizes = MnistInput.checkSizes(context, settings.trainSamples(), settings.testSamples(),
                "batchSizes", settings.batchSizes());
        sizes.test().samples("sensitivitySamples", settings.sensitivitySamples());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    private List<String> groups() {
        return settings.batchSizes().stream().map(BatchSizeSweep::group).toList();
    }

    @Override
    public List<String> trialKeys() {
        // the largest batch first: it takes the most epochs, and the engine starts trials in this order
        List<String> groups = new ArrayList<>(groups());
        java.util.Collections.reverse(groups);
        return BatchSizeSweep.keys(groups, settings.seeds());
    }

    /** One batch size at one seed: trains its model to the target and measures its input sensitivity. */
    @Override
    public BatchSizeSweep.Point runTrial(String key, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        Dataset probe = setup.probe();
        SeedKey k = SeedKey.parse(key);
        int batchSize = settings.batchSizes().get(groups().indexOf(k.point()));
        return setup.sweep().point(context, setup.data(), k, batchSize, (model, trained) -> {
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
        Dataset probe = setup.probe();
        ModelSpec spec = setup.sweep().spec();
        TrainingTarget target = setup.sweep().target();
        List<BatchSizeSweep.Point> points = trials.values();
        int seeds = settings.seeds();

        OutputWriter out = context.output();
        List<String> columns = new ArrayList<>(List.of("batch_size", "seed"));
        columns.addAll(SweepModels.TRAINING_COLUMNS);
        columns.addAll(List.of("jacobian_norm", "jacobian_norm_std", "loss_gradient_norm", "loss_gradient_norm_std",
                "samples", "wall_seconds"));
        CsvTable table = new CsvTable(columns);
        SweepModels models = new SweepModels(points, groups(), target, false, p -> {
            TrainedClassifier t = p.trained();
            List<Object> row = new ArrayList<>(List.of(t.batchSize(), p.seed()));
            row.addAll(SweepModels.trainingRow(p));
            row.addAll(List.of(p.value(JACOBIAN_NORM), p.value(JACOBIAN_NORM + "Std"), p.value(LOSS_GRADIENT_NORM),
                    p.value(LOSS_GRADIENT_NORM + "Std"), probe.size(), t.wallSeconds()));
            table.add(row.toArray());
            context.results().printf(Locale.ROOT, "%s batch %5d seed %d: %d epochs%s, train loss %.4f acc %.4f,"
                            + " test loss %.4f acc %.4f, ‖∂softmax/∂x‖_F %.4f, ‖∂L/∂x‖ %.4f  (%.1f s)%n", NAME,
                    t.batchSize(), p.seed(), t.epochs(), p.reachedTarget() ? "" : " (cap, target not reached)",
                    t.trainLoss(), t.trainAccuracy(), t.testLoss(), t.testAccuracy(), p.value(JACOBIAN_NORM),
                    p.value(LOSS_GRADIENT_NORM), t.wallSeconds());
        });
        out.writeCsv("sensitivity.csv", table);
        models.printCapped(context, NAME);
        Map<String, Double> keyNumbers = models.keyNumbers(List.of(
                new SweepFigures.Quantity("test accuracy", p -> p.trained().testAccuracy()),
                new SweepFigures.Quantity("Jacobian norm", p -> p.value(JACOBIAN_NORM))));

        double[] gapCorrelation = new double[seeds];
        double[] accuracyGapCorrelation = new double[seeds];
        double[] batchCorrelation = new double[seeds];
        double[] batch = settings.batchSizes().stream().mapToDouble(Integer::doubleValue).toArray();
        for (int s = 0; s < seeds; s++) {
            double[] jacobian = new double[batch.length];
            double[] gap = new double[batch.length];
            double[] accuracyGap = new double[batch.length];
            for (int i = 0; i < batch.length; i++) {
                jacobian[i] = BatchSizeSweep.perSeed(points, groups().get(i), seeds, p -> p.value(JACOBIAN_NORM))[s];
                gap[i] = BatchSizeSweep.perSeed(points, groups().get(i), seeds, BatchSizeSweep.Point::lossGap)[s];
                accuracyGap[i] = BatchSizeSweep.perSeed(points, groups().get(i), seeds,
                        BatchSizeSweep.Point::accuracyGap)[s];
            }
            gapCorrelation[s] = finiteSpearman(gap, jacobian);
            accuracyGapCorrelation[s] = finiteSpearman(accuracyGap, jacobian);
            batchCorrelation[s] = finiteSpearman(batch, jacobian);
        }
        String cap = models.capNote("");
        double[] testLoss = new double[batch.length];
        double[] testAccuracy = new double[batch.length];
        for (int i = 0; i < batch.length; i++) {
            testLoss[i] = Verdict.Summary.of(BatchSizeSweep.perSeed(points, groups().get(i), seeds,
                    p -> p.trained().testLoss())).mean();
            testAccuracy[i] = Verdict.Summary.of(BatchSizeSweep.perSeed(points, groups().get(i), seeds,
                    p -> p.trained().testAccuracy())).mean();
        }
        String seen = explain(gapCorrelation, accuracyGapCorrelation, batchCorrelation, settings.batchSizes(),
                testLoss, testAccuracy);
        Verdict verdict = Verdict.test("The input Jacobian norm correlates with the generalization gap",
                "Novak et al. 2018", "Spearman rank correlation over the batch sizes of ‖∂softmax/∂x‖_F with the"
                        + " generalization gap (test minus train loss)", gapCorrelation, Verdict.Direction.ABOVE, 0,
                seen + " " + cap);
        keyNumbers.put("rank correlation of generalization gap and Jacobian norm (mean over seeds)",
                Verdict.Summary.of(gapCorrelation).mean());
        context.results().println(verdict);
        context.results().flush();

        writeFigures(out, models.byGroup(), setup, target);

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("trainingTarget", target.describe());
        summary.put("sensitivitySamples", probe.size());
        summary.put("models", models.models());
        summary.put("epochCapHit", models.capped());
        summary.put("plateaued", models.plateaued());
        Map<String, Object> correlations = new LinkedHashMap<>();
        correlations.put("jacobianNormWithLossGap", list(gapCorrelation));
        correlations.put("jacobianNormWithAccuracyGap", list(accuracyGapCorrelation));
        correlations.put("jacobianNormWithBatchSize", list(batchCorrelation));
        summary.put("rankCorrelationsPerSeed", correlations);
        summary.put("verdicts", List.of(verdict.toMap()));
        summary.put("provenance", context.provenance(setup.data().source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    private void writeFigures(OutputWriter out, List<List<BatchSizeSweep.Point>> byGroup, Setup setup,
                              TrainingTarget target) throws IOException {
        String subtitle = SweepFigures.setup(setup.sweep().spec(), settings.optimizer(), settings.learningRate(),
                target, setup.data(), settings.seeds());
        String on = "mean over " + setup.probe().size() + " test samples";
        List<LineChart> panels = new ArrayList<>(List.of(
                SweepFigures.panel("Jacobian", "‖∂softmax/∂x‖_F", byGroup, List.of(new SweepFigures.Quantity(
                        "‖∂softmax/∂x‖_F, Novak et al.", p -> p.value(JACOBIAN_NORM))), false),
                SweepFigures.panel("loss gradient", "‖∂L/∂x‖", byGroup, List.of(new SweepFigures.Quantity(
                        "‖∂L/∂x‖, course slides", p -> p.value(LOSS_GRADIENT_NORM))), false)));
        panels.addAll(SweepFigures.lossAndAccuracy(byGroup));
        SweepFigures.savePanels(out, "Input sensitivity (" + on + ") vs batch size\n" + subtitle, panels, "sensitivity");

        ScatterChart.Builder gap = ScatterChart.builder("Input sensitivity vs generalization gap\n" + subtitle)
                .xLabel("generalization gap, test − train cross-entropy (nats)")
                .yLabel("‖∂softmax/∂x‖_F, " + on);
        for (List<BatchSizeSweep.Point> g : byGroup) {
            if (!g.isEmpty()) {
                gap.add(Series.points("batch " + g.get(0).batchSize(),
                        g.stream().mapToDouble(BatchSizeSweep.Point::lossGap).toArray(),
                        g.stream().mapToDouble(p -> p.value(JACOBIAN_NORM)).toArray()));
            }
        }
        SweepFigures.save(out, gap.build(), "gap");
        SweepFigures.saveTraining(out, subtitle, byGroup, target);
    }

    /** Spearman's rank correlation of the finite pairs; NaN for fewer than three. */
    private static double finiteSpearman(double[] x, double[] y) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                pairs.add(new double[] {x[i], y[i]});
            }
        }
        if (pairs.size() < 3) {
            return Double.NaN;
        }
        return Trend.spearman(pairs.stream().mapToDouble(p -> p[0]).toArray(),
                pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static List<Double> list(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /**
     * What the verdict's explanation says of the correlations per seed. When the loss gap runs against the Jacobian
     * norm (its interval below 0) while the accuracy gap runs with it, the cause is in the test loss: it is said
     * with the batch sizes' mean test loss and accuracy. Otherwise the coarseness of a rank correlation over a few
     * batch sizes is.
     *
     * @param testLoss     mean test loss over the seeds at each batch size, in the order of {@code batchSizes}
     * @param testAccuracy mean test accuracy over the seeds at each batch size, likewise
     */
    static String explain(double[] lossGapCorrelation, double[] accuracyGapCorrelation, double[] batchCorrelation,
                          List<Integer> batchSizes, double[] testLoss, double[] testAccuracy) {
        Verdict.Summary loss = Verdict.Summary.of(lossGapCorrelation);
        Verdict.Summary accuracy = Verdict.Summary.of(accuracyGapCorrelation);
        String seen = String.format(Locale.ROOT, "Per seed, the rank correlation of the Jacobian norm with the batch"
                + " size is %s on average and with the accuracy gap (train minus test accuracy) %s (above 0 in %d of"
                + " %d seeds).", fmt(Verdict.Summary.of(batchCorrelation).mean()), fmt(accuracy.mean()),
                Arrays.stream(accuracyGapCorrelation).filter(r -> r > 0).count(), accuracyGapCorrelation.length);
        if (loss.high() < 0 && accuracy.mean() > 0) {
            int lowest = 0;
            for (int i = 1; i < testLoss.length; i++) {
                lowest = testLoss[i] < testLoss[lowest] ? i : lowest;
            }
            return seen + String.format(Locale.ROOT, " The loss gap runs the other way because of the test loss:"
                    + " %.3g nats at batch %d against %.3g at batch %d, the lowest, while their test accuracies"
                    + " differ by %.2f points (%.2f%% and %.2f%%). The small batches take many more steps to the"
                    + " same training loss and grow more confident on the test images they get wrong, which raises"
                    + " the test loss without lowering the accuracy. Measured by the accuracy gap, the models with"
                    + " the larger Jacobian norm do generalize worse.", testLoss[0], batchSizes.get(0),
                    testLoss[lowest], batchSizes.get(lowest), 100 * Math.abs(testAccuracy[0] - testAccuracy[lowest]),
                    100 * testAccuracy[0], 100 * testAccuracy[lowest]);
        }
        return seen + String.format(Locale.ROOT, " Novak et al. compare thousands of models that differ in many"
                + " hyperparameters; %d batch sizes per seed give a coarse rank correlation, and more batch sizes"
                + " (batchSizes) or seeds narrow its interval.", batchSizes.size());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
