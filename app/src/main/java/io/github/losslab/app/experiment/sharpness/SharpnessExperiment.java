package io.github.losslab.app.experiment.sharpness;

import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.LanczosEigensolver;
import io.github.losslab.analysis.sharpness.EpsilonSharpness;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.flatness.BatchSizeSweep;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.SweepModels;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.experiment.flatness.TrainingTarget;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.SeedKey;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.LineChart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sharp and flat minima (the assignment's bonus), after Keskar, Mudigere, Nocedal, Smelyanskiy and Tang 2017, "On
 * Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima": a small batch against a large one
 * (the paper's is 10% of the training set), each trained from the same initialization with the same optimizer until
 * the same training loss (or an epoch cap, reported when hit), repeated over seeds. Of each model:
 * <ul>
 *   <li>its epsilon-sharpness (the paper's Metric 2.1 in the full space),
 *   {@code 100 (max_{y in C} L(theta + y) - L(theta)) / (1 + L(theta))} over the box
 *   {@code |y_i| <= eps (|theta_i| + 1)}, for each of the settings' epsilons, maximised by projected gradient
 *   ascent from the centre and from random corners on training samples (a lower bound of the maximum, as the
 *   paper's is);</li>
 *   <li>the largest eigenvalue of the Hessian of the training loss on the same samples, by Lanczos, a second
 *   measure of sharpness that needs no box.</li>
 * </ul>
 * The claims tested over the seeds: the large batch ends in a sharper minimum, {@code log10(sharpness_large /
 * sharpness_small) > 0} for each epsilon and for the top eigenvalue; and it generalizes worse, the small batch's test
 * accuracy minus the large batch's {@code > 0} percentage points.
 *
 * <p>Writes into {@code <out>/sharpness/}: {@code sharpness.png}/{@code .svg} (sharpness, top eigenvalue, loss and
 * accuracy against the batch size, mean ± sd over the seeds), {@code training.png}/{@code .svg} (the training loss
 * of every epoch with the target), {@code sharpness.csv} (one row per trained model) and {@code summary.json}
 * (settings, every model, the models that hit the epoch cap, the verdicts, provenance).
 */
public final class SharpnessExperiment extends TrialExperiment<SharpnessExperiment.Settings, BatchSizeSweep.Point> {

    /** The name the command line knows. */
    public static final String NAME = "sharpness";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "sharp vs flat minima: ε-sharpness and top Hessian eigenvalue (Keskar et al.) of MNIST models trained"
                    + " with a small and a large batch to the same training loss",
            Settings.class, Settings::of, SharpnessExperiment::new).withExplanation("""
            Keskar et al. 2017 compare a small batch with a large one (10% of the training set), each trained to \
            near-zero training loss, and find that the large batch ends in a sharper minimum that generalizes \
            worse. Here both are trained from the same initialization with Adam until the training loss reaches \
            the same target (or an epoch cap, reported when hit), over several seeds. Sharpness is measured two \
            ways: the ε-sharpness of Keskar et al., the largest relative increase of the training loss within a \
            box |yᵢ| ≤ ε(|θᵢ| + 1) found by gradient ascent (a lower bound of the maximum, as the paper's), and \
            the largest eigenvalue of the Hessian of the training loss.

            The figure shows each quantity against the batch size, the mean over the seeds with a band of one \
            standard deviation; the training figure shows where each training stopped. The verdicts test, over \
            the seeds, whether log10(large/small) of each sharpness is above 0 and whether the small batch's test \
            accuracy is above the large batch's.""");

    /** The name of the largest Hessian eigenvalue among the measured values. */
    public static final String HESSIAN_TOP = "hessianTop";
    /** The group of the small batch's trials. */
    public static final String SMALL = "small";
    /** The group of the large batch's trials. */
    public static final String LARGE = "large";
    /** Relative Ritz residual of the top eigenvalue: its error is about the square, far below the seeds' spread. */
    static final double HESSIAN_TOLERANCE = 1e-3;

    /**
     * The settings of a run.
     *
     * @param smallBatch         the small batch size (Keskar et al.: 256 of 60,000; smaller here)
     * @param largeBatchFraction the large batch as a fraction of the training samples (the paper's 0.1)
     * @param hiddenWidths       widths of the ReLU hidden layers of every model
     * @param optimizer          the optimizer of every model
     * @param learningRate       its learning rate, the same for both batch sizes
     * @param targetTrainLoss    each training stops once its cross-entropy on the whole training set is at most this
     * @param maxEpochs          the epoch cap of each training, reported when hit
     * @param plateauEpochs      0, or the epochs without a 1% fall of the training loss after which a training
     *                           stops before the cap, reported as plateaued ({@link TrainingTarget})
     * @param trainSamples       training samples (a stratified random subset); 0 for all
     * @param testSamples        test samples (a stratified random subset); 0 for all
     * @param seeds              repetitions of the comparison, each with its own initialization and sample order
     * @param epsilons           the box radii of the ε-sharpness, relative to each parameter's magnitude plus one
     * @param ascentSteps        gradient-ascent steps of each start
     * @param restarts           random starts at corners of the box besides the start at the centre
     * @param sharpnessSamples   training samples the sharpness and the Hessian are measured on
     */
    public record Settings(int smallBatch, double largeBatchFraction, List<Integer> hiddenWidths,
                           OptimizerKind optimizer, double learningRate, double targetTrainLoss, int maxEpochs,
                           int plateauEpochs, int trainSamples, int testSamples, int seeds, List<Double> epsilons,
                           int ascentSteps, int restarts, int sharpnessSamples) {

        /** Keskar et al.'s large batch: 10% of the training set. */
        public static final double LARGE_BATCH_FRACTION_DEFAULT = 0.1;
        /** The paper's two box radii. */
        public static final List<Double> EPSILONS_DEFAULT = List.of(1e-3, 5e-4);
        /** A training loss near a minimum: over 99% training accuracy for both batch sizes. */
        public static final double TARGET_TRAIN_LOSS_DEFAULT = 0.02;

        public Settings {
            Check.between("smallBatch", smallBatch, 1, Limits.SAMPLES);
            Check.between("largeBatchFraction", largeBatchFraction, Double.MIN_VALUE, 1);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            BatchSizeSweep.checkTraining(optimizer, learningRate, targetTrainLoss, maxEpochs, plateauEpochs,
                    trainSamples, testSamples, seeds);
            epsilons = List.copyOf(Check.distinct("epsilons", Check.notEmpty("epsilons", epsilons)));
            for (double e : epsilons) {
                Check.positive("epsilons", e);
            }
            Check.between("ascentSteps", ascentSteps, 1, Limits.STEPS);
            Check.between("restarts", restarts, 0, Limits.RUNS);
            Check.between("sharpnessSamples", sharpnessSamples, 1, Limits.SAMPLES);
        }

        /**
         * About a minute and a half on two CPU cores: batch 64 against batch 800 (10% of the bundled 8,000
         * training samples), Adam at 0.001 until a training loss of 0.02 (at most 300 epochs), 3 seeds; ε of 1e-3
         * and 5e-4 with 10 ascent steps from the centre and one random corner, and the top Hessian eigenvalue, on
         * 1,000 training samples.
         */
        public static Settings quick() {
            return new Settings(64, LARGE_BATCH_FRACTION_DEFAULT, Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 1e-3, TARGET_TRAIN_LOSS_DEFAULT, 300, 0, MnistInput.ALL, MnistInput.ALL, 3,
                    EPSILONS_DEFAULT, 10, 1, 1_000);
        }

        /**
         * The assignment's scale: all the training data (6,000 per large batch on full MNIST), 5 seeds, at most
         * 1,000 epochs; 20 ascent steps from 3 starts on 2,000 samples.
         */
        public static Settings full() {
            return new Settings(64, LARGE_BATCH_FRACTION_DEFAULT, Classifier.HIDDEN_WIDTHS_DEFAULT,
                    OptimizerKind.ADAM, 1e-3, TARGET_TRAIN_LOSS_DEFAULT, 1_000, 0, MnistInput.ALL, MnistInput.ALL, 5,
                    EPSILONS_DEFAULT, EpsilonSharpness.STEPS_DEFAULT, EpsilonSharpness.RESTARTS_DEFAULT, 2_000);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** The large batch size for {@code trainingSamples} samples: the fraction of them, at least 1. */
        public int largeBatch(int trainingSamples) {
            return Math.max(1, (int) Math.round(largeBatchFraction * trainingSamples));
        }
    }

    public SharpnessExperiment(Settings settings) {
        super(TYPE, settings, BatchSizeSweep.Point.class);
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, Dataset probe, BatchSizeSweep sweep, long searchSeed, int largeBatch) {

        int batchSize(String group, Settings settings) {
            return switch (group) {
                case SMALL -> settings.smallBatch();
                case LARGE -> largeBatch;
                default -> throw new IllegalArgumentException("no batch '" + group + "'; the batches are " + SMALL
                        + " and " + LARGE);
            };
        }
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), settings.testSamples(),
                random.nextLong());
        Dataset probe = MnistInput.cut(data.train(), settings.sharpnessSamples(), random.nextLong());
        BatchSizeSweep sweep = BatchSizeSweep.mlp(data, settings.hiddenWidths(), settings.optimizer(),
                settings.learningRate(), new TrainingTarget(settings.targetTrainLoss(), settings.maxEpochs(),
                        settings.plateauEpochs()));
        return new Setup(data, probe, sweep, random.nextLong(), settings.largeBatch(data.train().size()));
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.Sizes sizes = MnistInput.checkSizes(context, settings.trainSamples(), settings.testSamples(),
                "smallBatch", List.of(settings.smallBatch()));
        sizes.train().samples("sharpnessSamples", settings.sharpnessSamples());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
        int large = settings.largeBatch(sizes.train().size());
        if (large < settings.smallBatch()) {
            throw new InvalidSettingException("largeBatchFraction", settings.largeBatchFraction(),
                    "a large batch (" + large + " of " + sizes.train().size() + " training samples) at least as large"
                            + " as smallBatch " + settings.smallBatch());
        }
    }

    @Override
    public List<String> trialKeys() {
        return BatchSizeSweep.keys(List.of(LARGE, SMALL), settings.seeds());
    }

    /** The name of the ε-sharpness at {@code epsilon} among the measured values: {@code sharpness@0.001}. */
    public static String sharpnessName(double epsilon) {
        return "sharpness@" + epsilon;
    }

    /** One batch at one seed: trains its model to the target and measures its sharpness. */
    @Override
    public BatchSizeSweep.Point runTrial(String key, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        SeedKey k = SeedKey.parse(key);
        Batch batch = setup.probe().all();
        return setup.sweep().point(context, setup.data(), k, setup.batchSize(k.point(), settings), (model, t) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            for (double eps : settings.epsilons()) {
                EpsilonSharpness s = EpsilonSharpness.measure(model, batch, eps, settings.ascentSteps(),
                        settings.restarts(), setup.searchSeed());
                m.put(sharpnessName(eps), s.sharpness());
                m.put("baseLoss", s.baseLoss());
            }
            HessianOperator op = HessianOperator.of(model, setup.probe(), setup.probe().size());
            m.put(HESSIAN_TOP, LanczosEigensolver.builder().top(1).tolerance(HESSIAN_TOLERANCE).build().solve(op)
                    .largest());
            return m;
        });
    }

    @Override
    public ExperimentResult reduce(TrialResults<BatchSizeSweep.Point> trials, ExperimentContext context)
            throws IOException {
        Setup setup = setup(context);
        ModelSpec spec = setup.sweep().spec();
        TrainingTarget target = setup.sweep().target();
        List<BatchSizeSweep.Point> points = trials.values();

        OutputWriter out = context.output();
        List<String> columns = new ArrayList<>(List.of("batch", "seed", "batch_size"));
        columns.addAll(SweepModels.TRAINING_COLUMNS);
        for (double eps : settings.epsilons()) {
            columns.add("sharpness_percent_eps_" + eps);
        }
        columns.addAll(List.of("hessian_top_eigenvalue", "samples", "wall_seconds"));
        CsvTable table = new CsvTable(columns);
        SweepModels models = new SweepModels(points, List.of(SMALL, LARGE), target, true, p -> {
            TrainedClassifier t = p.trained();
            List<Object> row = new ArrayList<>(List.of(p.group(), p.seed(), t.batchSize()));
            row.addAll(SweepModels.trainingRow(p));
            StringBuilder sharp = new StringBuilder();
            for (double eps : settings.epsilons()) {
                row.add(p.value(sharpnessName(eps)));
                sharp.append(String.format(Locale.ROOT, " ε-sharpness(%s) %.4g%%,", eps, p.value(sharpnessName(eps))));
            }
            row.addAll(List.of(p.value(HESSIAN_TOP), setup.probe().size(), t.wallSeconds()));
            table.add(row.toArray());
            context.results().printf(Locale.ROOT, "%s %s batch %4d seed %d: %d epochs%s, train loss %.4f acc %.4f,"
                            + " test loss %.4f acc %.4f,%s λ_max %.4g  (%.1f s)%n", NAME, p.group(),
                    t.batchSize(), p.seed(), t.epochs(), p.reachedTarget() ? "" : " (cap, target not reached)",
                    t.trainLoss(), t.trainAccuracy(), t.testLoss(), t.testAccuracy(), sharp, p.value(HESSIAN_TOP),
                    t.wallSeconds());
        });
        out.writeCsv("sharpness.csv", table);
        models.printCapped(context, NAME);

        List<Verdict> verdicts = verdicts(points, setup, models.capNote(", so their minimum is not reached"));
        for (Verdict v : verdicts) {
            context.results().println(v);
        }
        context.results().flush();
        double firstEpsilon = settings.epsilons().get(0);
        Map<String, Double> keyNumbers = models.keyNumbers(List.of(
                new SweepFigures.Quantity("test accuracy", p -> p.trained().testAccuracy()),
                new SweepFigures.Quantity("sharpness (%), ε = " + firstEpsilon,
                        p -> p.value(sharpnessName(firstEpsilon))),
                new SweepFigures.Quantity("top Hessian eigenvalue", p -> p.value(HESSIAN_TOP))));

        writeFigures(out, models.byGroup(), setup, target);

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("smallBatch", settings.smallBatch());
        summary.put("largeBatch", setup.largeBatch());
        summary.put("trainingTarget", target.describe());
        summary.put("sharpnessSamples", setup.probe().size());
        summary.put("models", models.models());
        summary.put("epochCapHit", models.capped());
        summary.put("plateaued", models.plateaued());
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("provenance", context.provenance(setup.data().source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The claims of Keskar et al. tested over the seeds: sharper minima, worse generalization; {@code cap} says
     * whether every training reached the target.
     */
    private List<Verdict> verdicts(List<BatchSizeSweep.Point> points, Setup setup, String cap) {
        int seeds = settings.seeds();
        int small = settings.smallBatch();
        int large = setup.largeBatch();
        String scale = "Keskar et al. report ε-sharpness of about 1 for small and about 200 for large batches on"
                + " their MNIST network, a ratio near 170 (log10 about 2.2), with 60,000 samples, batch 256 against"
                + " 6,000, a maximisation by L-BFGS-B and training to near 100% training accuracy; a ratio far below"
                + " theirs here comes from the smaller training set and large batch and the shorter ascent (" 
                + settings.ascentSteps() + " steps from " + (settings.restarts() + 1) + " starts on "
                + setup.probe().size() + " samples): the full preset on full MNIST (--data-dir), with more"
                + " ascentSteps and restarts, is closer to their setting.";
        List<Verdict> verdicts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (double eps : settings.epsilons()) {
            names.add(sharpnessName(eps));
        }
        names.add(HESSIAN_TOP);
        for (String name : names) {
            double[] s = BatchSizeSweep.perSeed(points, SMALL, seeds, p -> p.value(name));
            double[] l = BatchSizeSweep.perSeed(points, LARGE, seeds, p -> p.value(name));
            double[] ratio = new double[seeds];
            for (int i = 0; i < seeds; i++) {
                ratio[i] = Math.log10(l[i] / s[i]);
            }
            boolean hessian = name.equals(HESSIAN_TOP);
            String what = hessian ? "largest Hessian eigenvalue" : "ε-sharpness (ε = " + name.substring(
                    name.indexOf('@') + 1) + ")";
            double ms = Verdict.Summary.of(s).mean();
            double ml = Verdict.Summary.of(l).mean();
            String seen = String.format(Locale.ROOT, "The %s is %s at batch %d and %s at batch %d (mean over"
                    + " seeds%s), %s times as large at the large batch.", what, fmt(ms), small, fmt(ml), large,
                    hessian ? "" : ", percent", fmt(ml / ms));
            verdicts.add(Verdict.test("Larger batches end in sharper minima (" + what + ")", "Keskar et al. 2017",
                    "log10(" + what + " at batch " + large + " / at batch " + small + ")", ratio,
                    Verdict.Direction.ABOVE, 0, seen + " " + cap + (hessian ? "" : " " + scale)));
        }
        double[] sAcc = BatchSizeSweep.perSeed(points, SMALL, seeds, p -> p.trained().testAccuracy());
        double[] lAcc = BatchSizeSweep.perSeed(points, LARGE, seeds, p -> p.trained().testAccuracy());
        double[] diff = new double[seeds];
        for (int i = 0; i < seeds; i++) {
            diff[i] = 100 * (sAcc[i] - lAcc[i]);
        }
        String seen = String.format(Locale.ROOT, "Test accuracy %.2f%% at batch %d and %.2f%% at batch %d (mean over"
                + " seeds). Keskar et al. report a drop of 0.2 to 5 percentage points, about 0.2 on their MNIST"
                + " networks, so a few seeds on a small training set may not resolve it; more seeds (seeds) and"
                + " the full training set resolve a smaller difference.", 100 * Verdict.Summary.of(sAcc).mean(), small,
                100 * Verdict.Summary.of(lAcc).mean(), large);
        verdicts.add(Verdict.test("Large-batch minima generalize worse", "Keskar et al. 2017",
                "test accuracy at batch " + small + " minus at batch " + large + " (percentage points)", diff,
                Verdict.Direction.ABOVE, 0, seen + " " + cap));
        return verdicts;
    }

    private void writeFigures(OutputWriter out, List<List<BatchSizeSweep.Point>> byGroup, Setup setup,
                              TrainingTarget target) throws IOException {
        String subtitle = SweepFigures.setup(setup.sweep().spec(), settings.optimizer(), settings.learningRate(),
                target, setup.data(), settings.seeds());
        List<SweepFigures.Quantity> sharpness = new ArrayList<>();
        for (double eps : settings.epsilons()) {
            sharpness.add(new SweepFigures.Quantity("ε-sharpness, ε = " + eps, p -> p.value(sharpnessName(eps))));
        }
        List<LineChart> panels = new ArrayList<>(List.of(
                SweepFigures.panel("sharpness", "ε-sharpness (%)", byGroup, sharpness, true),
                SweepFigures.panel("top eigenvalue", "largest Hessian eigenvalue", byGroup,
                        List.of(new SweepFigures.Quantity("largest Hessian eigenvalue", p -> p.value(HESSIAN_TOP))),
                        true)));
        panels.addAll(SweepFigures.lossAndAccuracy(byGroup));
        SweepFigures.savePanels(out, "Sharpness of small- and large-batch minima\n" + subtitle, panels, "sharpness");
        SweepFigures.saveTraining(out, subtitle, byGroup, target);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
