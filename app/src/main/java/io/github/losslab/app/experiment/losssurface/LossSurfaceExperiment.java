package io.github.losslab.app.experiment.losssurface;

import io.github.losslab.analysis.landscape.FilterNormalizedDirections;
import io.github.losslab.analysis.landscape.InterpolationPath;
import io.github.losslab.analysis.landscape.LossSurface;
import io.github.losslab.analysis.trajectory.TrajectoryPca;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.flatness.SweepFigures;
import io.github.losslab.app.experiment.flatness.TrainedClassifier;
import io.github.losslab.app.experiment.training.TrainingChecks;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.ContourChart;
import io.github.losslab.plotting.Series;
import io.github.losslab.app.trial.SeedKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The error surface around a trained MNIST classifier (the assignment's bonus), as Li, Xu, Taylor, Studer and
 * Goldstein 2018 draw it ("Visualizing the Loss Landscape of Neural Nets"): the training loss on the plane
 * {@code theta* + a d1 + b d2} through the trained parameters {@code theta*}, on two planes.
 * <ul>
 *   <li>A random plane: two Gaussian directions, filter-normalized (each filter of a direction has the norm of
 *       that filter of the model; biases are not moved), so that distances are comparable across networks.</li>
 *   <li>The principal plane of the training trajectory: the first two principal components of the parameters
 *       after every epoch minus the final parameters, {@code theta_i - theta*} (Li et al., Section 7), with the
 *       trajectory projected on it and drawn over the contours. Random directions are nearly orthogonal to the
 *       trajectory in high dimensions, which is why the trajectory is drawn only on this plane.</li>
 * </ul>
 *
 * <p>Writes into {@code <out>/loss-surface/}: {@code random-plane.png}/{@code .svg} and
 * {@code pca-plane.png}/{@code .svg} (contours on a log colour scale, the trained model marked at the centre),
 * {@code random-plane.csv} and {@code pca-plane.csv} (the loss at every grid point), {@code trajectory.csv} (every
 * epoch's coordinates on the principal plane and its loss) and {@code summary.json} (settings, the model, the loss
 * at the centre of each plane, the explained variance of the two components, the verdict, provenance).
 *
 * <p>The training and its planes are repeated over seeds (initial weights, batch order, directions); the figures
 * show the first seed that did not diverge. The claim tested over the seeds, once per plane: the trained model sits
 * at a local minimum of the loss (Li et al. 2018, Figures 5 and 9): its statistic per seed is
 * {@code log10(lowest loss on the plane's border / loss at the centre)}, claimed above 0, so that every border point
 * is higher than the model. The principal plane is the stricter test: it holds the direction training moved in,
 * along which a model that has not reached a minimum still descends past its centre, while two random directions
 * are nearly orthogonal to it.
 */
public final class LossSurfaceExperiment extends TrialExperiment<LossSurfaceExperiment.Settings,
        LossSurfaceExperiment.Surface> {

    /** The name the command line knows. */
    public static final String NAME = "loss-surface";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "the error surface: loss contours of an MNIST model on a random filter-normalized plane and on the"
                    + " PCA plane of its trajectory",
            Settings.class, Settings::of, LossSurfaceExperiment::new).withExplanation("""
            An MNIST classifier is trained with SGD and its training loss is drawn on two planes through its final \
            parameters θ* (Li et al. 2018): a plane of two random directions, each rescaled filter by filter to the \
            norms of the model's own filters so that distances mean the same for every layer; and the plane of the \
            first two principal components of the training trajectory (the parameters after every epoch minus θ*), \
            with the trajectory projected onto it.

            Read the colours on the log scale of the colour bar and the labelled iso-lines: a wide basin around the \
            star is a flat minimum. On the principal plane the path shows where training went; random directions \
            are nearly orthogonal to it in so many dimensions, which is why it is drawn only there.

            The training is repeated over seeds; the figures show the first. The verdicts test, per plane, whether \
            the model sits at a local minimum: log10 of the lowest loss on the plane's border over the loss at the \
            centre, claimed above 0.""");

    private static final Logger LOG = LogManager.getLogger(LossSurfaceExperiment.class);

    /** Margin around the trajectory on the principal plane, as a fraction of its extent. */
    private static final double PCA_MARGIN = 0.25;

    /**
     * The settings of a run.
     *
     * @param hiddenWidths   widths of the ReLU hidden layers
     * @param optimizer      the optimizer
     * @param learningRate   its learning rate
     * @param batchSize      samples per step
     * @param epochs         passes over the training set; the trajectory has one point per epoch and the start
     * @param trainSamples   training samples (a stratified random subset); 0 for all
     * @param surfaceSamples training samples the loss surface is evaluated on
     * @param gridPoints     grid points along each axis of each plane
     * @param randomRange    the random plane spans {@code [-randomRange, randomRange]} on both axes
     * @param seeds          repetitions of the training and its planes, each with its own initial weights, batch
     *                       order and random directions
     */
    public record Settings(List<Integer> hiddenWidths, OptimizerKind optimizer, double learningRate, int batchSize,
                           int epochs, int trainSamples, int surfaceSamples, int gridPoints, double randomRange,
                           int seeds) {

        public Settings {
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            TrainingChecks.optimizer(optimizer, learningRate);
            Check.between("batchSize", batchSize, 1, Limits.SAMPLES);
            Check.between("epochs", epochs, 2, Limits.EPOCHS);
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("surfaceSamples", surfaceSamples, 1, Limits.SAMPLES);
            Check.between("gridPoints", gridPoints, 3, Limits.GRID_POINTS);
            Check.positive("randomRange", randomRange);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About 40 seconds on two CPU cores for 3 seeds: SGD with learning rate 0.1 in batches of 64 for 8 epochs
         * of 4,000 of the bundled training samples; two planes of 15 x 15 points evaluated on 500 training samples.
         */
        public static Settings quick() {
            return new Settings(Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.SGD, 0.1, 64, 8, 4_000,
                    500, 15, 1.0, 3);
        }

        /**
         * The assignment's scale: all the training data for 30 epochs; two planes of 41 x 41 points evaluated on
         * 2,000 training samples.
         */
        public static Settings full() {
            return new Settings(Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.SGD, 0.1, 64, 30, MnistInput.ALL,
                    2_000, 41, 1.0, 5);
        }

        /** These settings with another learning rate and number of epochs. */
        public Settings withTraining(double newLearningRate, int newEpochs) {
            return new Settings(hiddenWidths, optimizer, newLearningRate, batchSize, newEpochs, trainSamples,
                    surfaceSamples, gridPoints, randomRange, seeds);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }
    }

    /** The name of the trials: one training and the two planes around its model, per seed. */
    public static final String TRIAL = "surface";

    /**
     * The loss on a grid of one plane through the trained parameters.
     *
     * @param xs         the grid's coordinates along the first direction
     * @param ys         the grid's coordinates along the second direction
     * @param loss       the loss at {@code (xs[i], ys[j])} in {@code loss[j][i]}
     * @param centreLoss the loss at the trained parameters
     */
    public record Plane(double[] xs, double[] ys, double[][] loss, double centreLoss) {

        static Plane of(LossSurface surface) {
            return new Plane(surface.xs(), surface.ys(), surface.loss(), surface.centerLoss());
        }
    }

    /**
     * What the trial measured: the trained model, the loss on both planes around it, and the training trajectory
     * on the principal plane.
     *
     * @param trained                the training and the metrics of its final parameters
     * @param modelLoss              the trained model's loss on the surface samples
     * @param randomPlane            the loss on the random filter-normalized plane
     * @param pcaPlane               the loss on the principal plane of the trajectory
     * @param trajectory             the coordinates {@code [pc1, pc2]} on the principal plane of the start and of
     *                               every epoch
     * @param trajectoryLoss         the loss on the surface samples at the start and after every epoch
     * @param explainedVarianceRatio the fraction of the trajectory's variance each principal component explains
     */
    public record Surface(TrainedClassifier trained, double modelLoss, Plane randomPlane, Plane pcaPlane,
                          double[][] trajectory, double[] trajectoryLoss, double[] explainedVarianceRatio) {
    }

    public LossSurfaceExperiment(Settings settings) {
        super(TYPE, settings, Surface.class);
    }

    /** What the trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, Dataset surfaceData, ModelSpec spec, long initSeed, long shuffleSeed,
                         long direction1Seed, long direction2Seed) {
    }

    /**
     * The setup of repetition {@code seed}: every seed shares the data and surface samples of the first; its model,
     * batch order and directions are its own.
     */
    private Setup setup(ExperimentContext context, int seed) throws IOException {
        SplittableRandom first = context.random();
        MnistInput data = MnistInput.load(context, settings.trainSamples(), MnistInput.ALL, first.nextLong());
        Dataset surfaceData = MnistInput.cut(data.train(), settings.surfaceSamples(), first.nextLong());
        ModelSpec spec = Classifier.mlp(data, settings.hiddenWidths());
        SplittableRandom random = context.random(seed);
        random.nextLong(); // the data's draws, so that seed 0 draws what a single run draws
        random.nextLong();
        long initSeed = random.nextLong();
        long shuffleSeed = random.nextLong();
        long direction1Seed = random.nextLong();
        return new Setup(data, surfaceData, spec, initSeed, shuffleSeed, direction1Seed, random.nextLong());
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        MnistInput.SplitSize train = MnistInput.checkSizes(context, settings.trainSamples(), MnistInput.ALL).train();
        train.batchSize("batchSize", settings.batchSize());
        train.samples("surfaceSamples", settings.surfaceSamples());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    /** One training and the surface around its model per seed: {@code surface.seed-0}, .... */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (int seed = 0; seed < settings.seeds(); seed++) {
            keys.add(key(seed));
        }
        return keys;
    }

    static String key(int seed) {
        return SeedKey.of(TRIAL, seed);
    }

    /**
     * Trains the model, keeping its parameters after every epoch, and evaluates the loss on the random plane and
     * on the principal plane of that trajectory.
     */
    @Override
    public Surface runTrial(String key, ExperimentContext context) throws IOException {
        int seed = trialKeys().indexOf(key);
        if (seed < 0) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        Setup setup = setup(context, seed);
        ModelSpec spec = setup.spec();
        Dataset surfaceData = setup.surfaceData();
        TrainingConfig config = TrainingConfig.of(settings.epochs(), settings.batchSize(), setup.shuffleSeed(),
                context.precision());
        context.progress().plan(settings.epochs());
        try (Model model = context.backend().createModel(spec, context.precision(), setup.initSeed())) {
            List<double[]> snapshots = new ArrayList<>();
            snapshots.add(model.parameters());
            TrainingListener snapshot = new TrainingListener() {
                @Override
                public void onEpoch(Model m, int epoch, double meanLoss, TrainingHistory history) {
                    snapshots.add(m.parameters());
                }
            };
            TrainedClassifier trained = TrainedClassifier.train(context, model, setup.data(), "trained model",
                    settings.optimizer().spec(settings.learningRate()), config, List.of(snapshot));
            double[] theta = model.parameters();
            double modelLoss = model.evaluate(surfaceData, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);

            context.progress().model("random plane, " + settings.gridPoints() + " x " + settings.gridPoints());
            long start = System.nanoTime();
            double[] grid = InterpolationPath.linspace(-settings.randomRange(), settings.randomRange(),
                    settings.gridPoints());
            if (settings.gridPoints() % 2 == 1) {
                grid[settings.gridPoints() / 2] = 0;
            }
            double[] d1 = FilterNormalizedDirections.random(spec, theta, setup.direction1Seed());
            double[] d2 = FilterNormalizedDirections.random(spec, theta, setup.direction2Seed());
            LossSurface randomPlane = LossSurface.compute(model, theta, d1, d2, grid, grid, surfaceData);
            LOG.info("random plane: {} x {} losses in {} s", grid.length, grid.length,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));

            context.progress().model("principal plane, " + settings.gridPoints() + " x " + settings.gridPoints());
            start = System.nanoTime();
            List<double[]> differences = new ArrayList<>();
            for (double[] s : snapshots) {
                double[] d = new double[s.length];
                for (int k = 0; k < s.length; k++) {
                    d[k] = s[k] - theta[k];
                }
                differences.add(d);
            }
            TrajectoryPca pca = principalPlane(differences);
            double[] p1 = pca.component(0);
            double[] p2 = pca.component(1);
            List<double[]> coordinates = LossSurface.project(snapshots, theta, p1, p2);
            double[] xs = around(coordinates, 0, settings.gridPoints());
            double[] ys = around(coordinates, 1, settings.gridPoints());
            LossSurface pcaPlane = LossSurface.compute(model, theta, p1, p2, xs, ys, surfaceData);
            double[] snapshotLoss = new double[snapshots.size()];
            for (int e = 0; e < snapshots.size(); e++) {
                model.setParameters(snapshots.get(e));
                snapshotLoss[e] = model.evaluate(surfaceData, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            }
            model.setParameters(theta);
            LOG.info("principal plane: {} x {} losses in {} s", xs.length, ys.length,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            return new Surface(trained, modelLoss, Plane.of(randomPlane), Plane.of(pcaPlane),
                    coordinates.toArray(double[][]::new), snapshotLoss, pca.explainedVarianceRatio());
        }
    }

    @Override
    public ExperimentResult reduce(TrialResults<Surface> trials, ExperimentContext context) throws IOException {
        int shown = -1;
        double[] minimum = new double[settings.seeds()];
        double[] randomMinimum = new double[settings.seeds()];
        List<Map<String, Object>> perSeed = new ArrayList<>();
        for (int seed = 0; seed < settings.seeds(); seed++) {
            Surface s = trials.get(key(seed)).orElse(null);
            minimum[seed] = s == null ? Double.NaN : centreBelowBorder(s.pcaPlane());
            randomMinimum[seed] = s == null ? Double.NaN : centreBelowBorder(s.randomPlane());
            if (s == null) {
                continue;
            }
            shown = shown < 0 ? seed : shown;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("modelLoss", s.modelLoss());
            m.put("trainLoss", s.trained().trainLoss());
            m.put("testAccuracy", s.trained().testAccuracy());
            m.put("pcaCentreLoss", s.pcaPlane().centreLoss());
            m.put("pcaBorderMinLoss", borderMin(s.pcaPlane().loss()));
            m.put("pcaLog10BorderMinOverCentre", minimum[seed]);
            m.put("randomCentreLoss", s.randomPlane().centreLoss());
            m.put("randomBorderMinLoss", borderMin(s.randomPlane().loss()));
            m.put("randomLog10BorderMinOverCentre", centreBelowBorder(s.randomPlane()));
            perSeed.add(m);
            context.results().printf(Locale.ROOT, "%s seed %d: train loss %.4f; principal plane: centre %.4g, "
                            + "lowest on the border %.4g (log10 ratio %.3f); random plane: centre %.4g, lowest on "
                            + "the border %.4g%n", NAME, seed, s.trained().trainLoss(), s.pcaPlane().centreLoss(),
                    borderMin(s.pcaPlane().loss()), minimum[seed], s.randomPlane().centreLoss(),
                    borderMin(s.randomPlane().loss()));
        }
        if (shown < 0) {
            throw new IllegalStateException("the training of every seed's model (trials " + trialKeys() + ") "
                    + (trials.diverged().isEmpty() ? "has no result" : "diverged") + "; there is no surface to draw");
        }
        Surface surface = trials.get(key(shown)).orElseThrow();
        List<Verdict> verdicts = List.of(verdict(minimum, true), verdict(randomMinimum, false));
        verdicts.forEach(v -> context.results().println(NAME + ": " + v));
        Setup setup = setup(context, shown);
        MnistInput data = setup.data();
        Dataset surfaceData = setup.surfaceData();
        ModelSpec spec = setup.spec();
        TrainedClassifier trained = surface.trained();
        double modelLoss = surface.modelLoss();
        Plane randomPlane = surface.randomPlane();
        Plane pcaPlane = surface.pcaPlane();
        double[][] coordinates = surface.trajectory();
        double[] snapshotLoss = surface.trajectoryLoss();
        double[] explained = surface.explainedVarianceRatio();

        OutputWriter out = context.output();
        Map<String, Object> summary = newSummary();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        String setupLine = "MNIST " + Classifier.describe(spec) + ", " + settings.optimizer().label() + " lr "
                + settings.learningRate() + ", batch " + settings.batchSize() + ", " + settings.epochs()
                + " epochs of " + data.train().size() + " samples" + (settings.seeds() == 1 ? ""
                : ", seed " + shown + " of " + settings.seeds());
        String lossLabel = "training loss (cross-entropy, nats) on " + surfaceData.size() + " samples";
        writeSurface(out, "random-plane", randomPlane);
        writeSurface(out, "pca-plane", pcaPlane);
        CsvTable trajectory = CsvTable.of("epoch", "pc1", "pc2", "loss");
        for (int e = 0; e < coordinates.length; e++) {
            trajectory.add(e, coordinates[e][0], coordinates[e][1], snapshotLoss[e]);
        }
        out.writeCsv("trajectory.csv", trajectory);

        ContourChart randomChart = ContourChart.builder("Training loss around the trained model on a random"
                        + " filter-normalized plane\n" + setupLine)
                .xLabel("α, along random direction 1 (filter-normalized)")
                .yLabel("β, along random direction 2 (filter-normalized)")
                .valueLabel(lossLabel).logScale(true)
                .grid(randomPlane.xs(), randomPlane.ys(), randomPlane.loss())
                .centre(0, 0, "trained model")
                .build();
        SweepFigures.save(out, randomChart, "random-plane", 1100, 900);
        double[] px = Arrays.stream(coordinates).mapToDouble(c -> c[0]).toArray();
        double[] py = Arrays.stream(coordinates).mapToDouble(c -> c[1]).toArray();
        ContourChart pcaChart = ContourChart.builder("Training loss on the principal plane of the training"
                        + " trajectory\n" + setupLine)
                .xLabel(String.format(Locale.ROOT, "PC 1 of θ_epoch − θ* (%.1f%% of the trajectory's variance)",
                        100 * explained[0]))
                .yLabel(String.format(Locale.ROOT, "PC 2 (%.1f%% of variance)", 100 * explained[1]))
                .valueLabel(lossLabel).logScale(true)
                .grid(pcaPlane.xs(), pcaPlane.ys(), pcaPlane.loss())
                .path(Series.lineAndPoints("trajectory, start and every epoch (projected)", px, py))
                .centre(0, 0, "trained model θ*")
                .build();
        SweepFigures.save(out, pcaChart, "pca-plane", 1100, 900);

        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("model", trained.toMap());
        summary.put("surfaceSamples", surfaceData.size());
        summary.put("modelLoss", modelLoss);
        summary.put("randomPlane", planeSummary(randomPlane, "random-plane"));
        Map<String, Object> pcaSummary = planeSummary(pcaPlane, "pca-plane");
        pcaSummary.put("explainedVarianceRatio", explained);
        pcaSummary.put("trajectoryPoints", coordinates.length);
        pcaSummary.put("trajectoryData", "trajectory.csv");
        summary.put("pcaPlane", pcaSummary);
        summary.put("seeds", perSeed);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        keyNumbers.put("model loss on the surface samples", modelLoss);
        keyNumbers.put("random plane / largest loss", max(randomPlane.loss()));
        keyNumbers.put("principal plane / variance explained by PC 1 and 2", explained[0] + explained[1]);
        context.results().printf(Locale.ROOT, "%s model: train loss %.4f acc %.4f, test loss %.4f acc %.4f;"
                        + " loss on %d surface samples %.4f%n", NAME, trained.trainLoss(), trained.trainAccuracy(),
                trained.testLoss(), trained.testAccuracy(), surfaceData.size(), modelLoss);
        context.results().printf(Locale.ROOT, "%s random plane: loss %.4g to %.4g; principal plane: loss %.4g to"
                        + " %.4g, PC 1 and 2 explain %.1f%% and %.1f%% of the trajectory%n", NAME,
                min(randomPlane.loss()), max(randomPlane.loss()), min(pcaPlane.loss()), max(pcaPlane.loss()),
                100 * explained[0], 100 * explained[1]);
        context.results().flush();
        double total = context.elapsedSeconds();
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The claim that the trained model sits at a local minimum of one plane, tested over the seeds with the
     * statistic of {@link #centreBelowBorder}.
     */
    private Verdict verdict(double[] perSeed, boolean principal) {
        double mean = Verdict.Summary.of(perSeed).mean();
        String plane = principal ? "the principal plane of its trajectory" : "a random filter-normalized plane";
        String explanation = mean > 0 ? "On average every point of the border is above the model: it sits in a "
                + "basin of the plane." : principal ? "Some point of the border is below the model: the loss still "
                + "falls past it in the direction training moved in, so after " + settings.epochs() + " epochs the "
                + "model has not reached a minimum of the plane. Li et al. train to convergence (hundreds of "
                + "epochs, training loss near 0); many more epochs (full: 30, or more on a subset) are what would "
                + "let it settle." : "Some point of the border is below the model: it has not reached a minimum; "
                + "more epochs (full: 30) would be needed.";
        return Verdict.test("the trained model sits at a local minimum of the loss on " + plane,
                "Li et al. 2018, " + (principal ? "Figure 9" : "Figure 5"),
                "log10(lowest training loss on the border of " + (principal ? "the principal" : "the random")
                        + " plane / loss at the model)", perSeed, Verdict.Direction.ABOVE, 0, explanation);
    }

    /**
     * {@code log10} of the lowest loss on the border of a plane over the loss at its centre (the model): above 0
     * when every border point is higher than the model, the sign of a minimum that the plane encloses.
     */
    static double centreBelowBorder(Plane plane) {
        return Math.log10(borderMin(plane.loss()) / plane.centreLoss());
    }

    /** The lowest value on the border of a grid: its first and last rows and columns. */
    static double borderMin(double[][] v) {
        double m = Double.POSITIVE_INFINITY;
        int rows = v.length;
        for (int j = 0; j < rows; j++) {
            int cols = v[j].length;
            for (int i = 0; i < cols; i++) {
                if (j == 0 || j == rows - 1 || i == 0 || i == cols - 1) {
                    m = Math.min(m, v[j][i]);
                }
            }
        }
        return m;
    }

    /**
     * The two principal components of the trajectory around the trained model. A trajectory that moved along fewer
     * than two directions (a line, or weights that did not move) has no principal plane: that is an error that says
     * so, rather than a plane with a second axis of rounding noise.
     */
    static TrajectoryPca principalPlane(List<double[]> differences) {
        try {
            return TrajectoryPca.fit(differences, 2);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the training trajectory has no principal plane: " + e.getMessage()
                    + ". Train for more epochs, or with another learning rate, so that the weights move in two "
                    + "directions.", e);
        }
    }

    /**
     * {@code n} evenly spaced coordinates along one axis covering the projected trajectory (which includes the
     * centre, 0) with a margin on both sides.
     */
    static double[] around(List<double[]> coordinates, int axis, int n) {
        double lo = 0;
        double hi = 0;
        for (double[] c : coordinates) {
            lo = Math.min(lo, c[axis]);
            hi = Math.max(hi, c[axis]);
        }
        double span = hi - lo;
        if (!(span > 0)) {
            span = 1;
        }
        return InterpolationPath.linspace(lo - PCA_MARGIN * span, hi + PCA_MARGIN * span, n);
    }

    private static void writeSurface(OutputWriter out, String name, Plane surface) throws IOException {
        CsvTable table = CsvTable.of("x", "y", "loss");
        double[] xs = surface.xs();
        double[] ys = surface.ys();
        double[][] loss = surface.loss();
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                table.add(xs[i], ys[j], loss[j][i]);
            }
        }
        out.writeCsv(name + ".csv", table);
    }

    private static Map<String, Object> planeSummary(Plane surface, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("figure", name + ".png");
        m.put("data", name + ".csv");
        m.put("gridPoints", List.of(surface.xs().length, surface.ys().length));
        m.put("xRange", List.of(surface.xs()[0], surface.xs()[surface.xs().length - 1]));
        m.put("yRange", List.of(surface.ys()[0], surface.ys()[surface.ys().length - 1]));
        m.put("centreLoss", surface.centreLoss());
        m.put("minLoss", min(surface.loss()));
        m.put("maxLoss", max(surface.loss()));
        return m;
    }

    private static double min(double[][] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] row : v) {
            for (double x : row) {
                m = Math.min(m, x);
            }
        }
        return m;
    }

    private static double max(double[][] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] row : v) {
            for (double x : row) {
                m = Math.max(m, x);
            }
        }
        return m;
    }
}
