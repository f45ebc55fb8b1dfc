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
import io.github.losslab.app.config.InvalidSettingException;
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
 * Goldstein 2018 draw it ("Visualizing the Loss Landscape of Neural Nets"): the training objective (the
 * cross-entropy plus the L2 penalty {@code λ/2 ||θ||²} of the weight decay it was trained with) on the plane
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
 *
 * <p>The weight decay is what gives the objective a minimum to sit in. Without it the cross-entropy of a training
 * set the network fits keeps falling as the weights grow along the direction training moved in, so that however
 * long it trains the principal plane shows a slope past the model (measured at quick without weight decay: log10
 * ratio -0.07 after 8 epochs on 4,000 digits, -0.29 after 30 on 1,000, -0.40 after 50 on 1,000). Li et al. train
 * with and without weight decay (Figure 9); with it their trajectories end in the basin.
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
            An MNIST classifier is trained with SGD and weight decay, and its training objective (the \
            cross-entropy plus the weight decay's L2 penalty) is drawn on two planes through its final \
            parameters θ* (Li et al. 2018): a plane of two random directions, each rescaled filter by filter to the \
            norms of the model's own filters so that distances mean the same for every layer; and the plane of the \
            first two principal components of the training trajectory (the parameters after every epoch minus θ*), \
            with the trajectory projected onto it.

            Read the colours on the log scale of the colour bar and the labelled iso-lines: a wide basin around the \
            star is a flat minimum. On the principal plane the path shows where training went; random directions \
            are nearly orthogonal to it in so many dimensions, which is why it is drawn only there.

            The training is repeated over seeds; the figures show the first. The verdicts test, per plane, whether \
            the model sits at a local minimum: log10 of the lowest loss on the plane's border over the loss at the \
            centre, claimed above 0. Without weight decay there is no minimum to sit in along the direction \
            training moved: the cross-entropy of a fitted training set keeps falling as the weights grow.""");

    private static final Logger LOG = LogManager.getLogger(LossSurfaceExperiment.class);

    /** Margin around the trajectory on the principal plane, as a fraction of its extent. */
    private static final double PCA_MARGIN = 0.25;

    /**
     * The settings of a run.
     *
     * @param hiddenWidths   widths of the ReLU hidden layers
     * @param optimizer      the optimizer
     * @param learningRate   its learning rate
     * @param weightDecay    the coefficient λ of the L2 penalty {@code λ/2 ||θ||²} added to the cross-entropy, as
     *                       Li et al. 2018 train with (Figure 9, 5e-4), or 0 for none: without it the
     *                       cross-entropy of a fitted training set has no minimum at finite weights (it keeps falling
     *                       as the weights grow along the direction training moved in). SGD only, applied every
     *                       few steps
     * @param batchSize      samples per step
     * @param epochs         passes over the training set; the trajectory has one point per epoch and the start
     * @param decayEpochs    the last of those epochs, run at a tenth of the learning rate (and of the weight
     *                       decay's step), as Li et al. 2018 decay theirs: SGD's noise at the full rate leaves the
     *                       last iterate off the minimum by more than the principal plane's border rises (full
     *                       preset without it: log10 ratio 0.001 ± 0.005 over 5 seeds, two seeds below 0); 0 for
     *                       none
     * @param trainSamples   training samples (a stratified random subset); 0 for all
     * @param surfaceSamples training samples the loss surface is evaluated on
     * @param gridPoints     grid points along each axis of each plane
     * @param randomRange    the random plane spans {@code [-randomRange, randomRange]} on both axes
     * @param seeds          repetitions of the training and its planes, each with its own initial weights, batch
     *                       order and random directions
     */
    public record Settings(List<Integer> hiddenWidths, OptimizerKind optimizer, double learningRate,
                           double weightDecay, int batchSize, int epochs, int decayEpochs, int trainSamples,
                           int surfaceSamples, int gridPoints, double randomRange, int seeds) {

        /**
         * The L2 coefficient of both presets, larger than Li et al.'s 5e-4 so that at a learning rate of 0.1 the
         * training settles within the quick preset's 1,280 steps (the weight decay's time scale is
         * {@code 1 / (learning rate × λ)} = 500 steps).
         */
        public static final double WEIGHT_DECAY_DEFAULT = 0.02;
        /** Training samples at the quick preset. */
        public static final int TRAIN_SAMPLES_QUICK = 1_000;
        /** Epochs at the quick preset: 1,280 steps, over which the weight decay alone shrinks θ by e^-2.6. */
        public static final int EPOCHS_QUICK = 80;
        /** The learning rate of the last {@code decayEpochs} epochs is the first epochs' divided by this. */
        public static final int DECAY_DIVISOR = 10;

        /** The learning rate of the last {@code decayEpochs} epochs. */
        public double decayedLearningRate() {
            return learningRate / DECAY_DIVISOR;
        }

        public Settings {
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            TrainingChecks.optimizer(optimizer, learningRate);
            if (!(weightDecay >= 0) || weightDecay * learningRate >= 1) {
                throw new InvalidSettingException("weightDecay", weightDecay, "a number >= 0 whose product with "
                        + "the learning rate is below 1 (each step shrinks the weights by that factor)");
            }
            if (weightDecay > 0 && optimizer != OptimizerKind.SGD) {
                throw new InvalidSettingException("weightDecay", weightDecay, "0 with optimizer "
                        + optimizer.configName() + " (the decay shrinks the parameters apart from the optimizer's "
                        + "steps, which equals an L2 penalty only for plain SGD; use optimizer sgd)");
            }
            Check.between("batchSize", batchSize, 1, Limits.SAMPLES);
            Check.between("epochs", epochs, 2, Limits.EPOCHS);
            Check.between("decayEpochs", decayEpochs, 0, epochs - 1);
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("surfaceSamples", surfaceSamples, 1, Limits.SAMPLES);
            Check.between("gridPoints", gridPoints, 3, Limits.GRID_POINTS);
            Check.positive("randomRange", randomRange);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About 14 seconds on two CPU cores for 3 seeds: SGD with learning rate 0.1 and weight decay 0.02 in
         * batches of 64 for 80 epochs of 1,000 of the bundled training samples, long enough to settle in a minimum
         * of the objective; two planes of 15 x 15 points evaluated on 500 training samples.
         */
        public static Settings quick() {
            return new Settings(Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.SGD, 0.1, WEIGHT_DECAY_DEFAULT, 64,
                    EPOCHS_QUICK, 10, TRAIN_SAMPLES_QUICK, 500, 15, 1.0, 3);
        }

        /**
         * The assignment's scale: all the training data for 30 epochs, the last 6 at a tenth of the learning rate
         * (5,600 steps of 60,000 samples, the decayed weight decay's time scale), with the same weight decay; two
         * planes of 41 x 41 points evaluated on 2,000 training samples.
         */
        public static Settings full() {
            return new Settings(Classifier.HIDDEN_WIDTHS_DEFAULT, OptimizerKind.SGD, 0.1, WEIGHT_DECAY_DEFAULT, 64,
                    30, 6, MnistInput.ALL, 2_000, 41, 1.0, 5);
        }

        /** These settings with another learning rate and number of epochs, none of them decayed. */
        public Settings withTraining(double newLearningRate, int newEpochs) {
            return new Settings(hiddenWidths, optimizer, newLearningRate, weightDecay, batchSize, newEpochs, 0,
                    trainSamples, surfaceSamples, gridPoints, randomRange, seeds);
        }

        /** These settings with the last {@code epochs} epochs at a tenth of the learning rate. */
        public Settings withDecayEpochs(int epochs) {
            return new Settings(hiddenWidths, optimizer, learningRate, weightDecay, batchSize, this.epochs, epochs,
                    trainSamples, surfaceSamples, gridPoints, randomRange, seeds);
        }

        /** These settings with another weight decay. */
        public Settings withWeightDecay(double value) {
            return new Settings(hiddenWidths, optimizer, learningRate, value, batchSize, epochs, decayEpochs,
                    trainSamples, surfaceSamples, gridPoints, randomRange, seeds);
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
            int decayed = settings.decayEpochs();
            TrainedClassifier trained = train(context, model, setup, settings.epochs() - decayed,
                    settings.learningRate(), setup.shuffleSeed(), snapshot);
            if (decayed > 0) {
                trained = train(context, model, setup, decayed, settings.decayedLearningRate(),
                        setup.shuffleSeed() + 1, snapshot).after(trained);
            }
            double[] theta = model.parameters();
            double modelLoss = model.evaluate(surfaceData, EnumSet.of(Metric.LOSS)).get(Metric.LOSS)
                    + penalty(theta, null, null, 0, 0);

            context.progress().model("random plane, " + settings.gridPoints() + " x " + settings.gridPoints());
            long start = System.nanoTime();
            double[] grid = InterpolationPath.linspace(-settings.randomRange(), settings.randomRange(),
                    settings.gridPoints());
            if (settings.gridPoints() % 2 == 1) {
                grid[settings.gridPoints() / 2] = 0;
            }
            double[] d1 = FilterNormalizedDirections.random(spec, theta, setup.direction1Seed());
            double[] d2 = FilterNormalizedDirections.random(spec, theta, setup.direction2Seed());
            Plane randomPlane = penalized(LossSurface.compute(model, theta, d1, d2, grid, grid, surfaceData), theta,
                    d1, d2);
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
            Plane pcaPlane = penalized(LossSurface.compute(model, theta, p1, p2, xs, ys, surfaceData), theta, p1, p2);
            double[] snapshotLoss = new double[snapshots.size()];
            for (int e = 0; e < snapshots.size(); e++) {
                model.setParameters(snapshots.get(e));
                snapshotLoss[e] = model.evaluate(surfaceData, EnumSet.of(Metric.LOSS)).get(Metric.LOSS)
                        + penalty(snapshots.get(e), null, null, 0, 0);
            }
            model.setParameters(theta);
            LOG.info("principal plane: {} x {} losses in {} s", xs.length, ys.length,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            return new Surface(trained, modelLoss, randomPlane, pcaPlane,
                    coordinates.toArray(double[][]::new), snapshotLoss, pca.explainedVarianceRatio());
        }
    }

    /** Trains {@code model} for {@code epochs} epochs at {@code learningRate}, with the weight decay's step. */
    private TrainedClassifier train(ExperimentContext context, Model model, Setup setup, int epochs,
                                    double learningRate, long shuffleSeed, TrainingListener snapshot) {
        TrainingConfig config = TrainingConfig.of(epochs, settings.batchSize(), shuffleSeed, context.precision());
        List<TrainingListener> listeners = settings.weightDecay() > 0
                ? List.of(weightDecay(learningRate * settings.weightDecay()), snapshot)
                : List.of(snapshot);
        return TrainedClassifier.train(context, model, setup.data(), "trained model",
                settings.optimizer().spec(learningRate), config, listeners);
    }

    /**
     * Weight decay in its decoupled form (the step of the penalty {@code λ/2 ||θ||²}, {@code θ <- (1 - lr λ) θ},
     * taken apart from the step of the cross-entropy), applied for {@code k} steps at once every {@code k} steps,
     * {@code θ <- (1 - lr λ)^k θ}, and for the steps left over at the end of every epoch, so that each snapshot of
     * the trajectory has had all its decay. {@code k} is the largest number of steps whose shrink stays within
     * {@link #DECAY_PER_APPLICATION} (5 steps at a learning rate of 0.1 and λ = 0.02): then the fixed points are
     * those of SGD on the penalized objective, where the gradient of the cross-entropy is {@code -λ θ}, while the
     * backend hands the parameters back and forth only every {@code k} steps. Applying it once per epoch instead,
     * as this experiment once did, shrank θ by e^-1.9 at every epoch of the 938 steps of 60,000 samples, so that
     * the final model sat far from the minimum of the objective (full preset: some border point of the principal
     * plane 1% below the model).
     */
    private static TrainingListener weightDecay(double shrinkPerStep) {
        int every = decaySteps(shrinkPerStep);
        return new TrainingListener() {
            private long pending;

            @Override
            public void onStep(Model m, int epoch, long step, double loss, double gradientNorm) {
                if (++pending == every) {
                    apply(m);
                }
            }

            @Override
            public void onEpoch(Model m, int epoch, double meanLoss, TrainingHistory history) {
                apply(m);
            }

            @Override
            public boolean readsModelEveryStep() {
                return true; // the parameters it reads must be those of the last step
            }

            private void apply(Model m) {
                if (pending == 0) {
                    return;
                }
                double factor = Math.pow(1 - shrinkPerStep, pending);
                double[] theta = m.parameters();
                for (int k = 0; k < theta.length; k++) {
                    theta[k] *= factor;
                }
                m.setParameters(theta);
                pending = 0;
            }
        };
    }

    /** The most that one application of the weight decay shrinks the parameters by: 1%. */
    static final double DECAY_PER_APPLICATION = 0.01;

    /** Steps per application of the weight decay: the most whose shrink {@code 1 - (1 - s)^k} stays within 1%. */
    static int decaySteps(double shrinkPerStep) {
        return Math.max(1, (int) Math.floor(Math.log(1 - DECAY_PER_APPLICATION) / Math.log(1 - shrinkPerStep)));
    }

    /**
     * The L2 penalty {@code λ/2 ||θ + a d1 + b d2||²} of the settings' weight decay λ at a point of a plane, so
     * that the surfaces show the objective training minimised; 0 without weight decay.
     */
    private double penalty(double[] theta, double[] d1, double[] d2, double a, double b) {
        return penalty(settings.weightDecay(), theta, d1, d2, a, b);
    }

    /** {@code lambda/2 ||theta + a d1 + b d2||²}; a null direction is not moved along. */
    static double penalty(double lambda, double[] theta, double[] d1, double[] d2, double a, double b) {
        if (lambda == 0) {
            return 0;
        }
        double sum = 0;
        for (int k = 0; k < theta.length; k++) {
            double p = theta[k] + (d1 == null ? 0 : a * d1[k]) + (d2 == null ? 0 : b * d2[k]);
            sum += p * p;
        }
        return lambda / 2 * sum;
    }

    /** A surface of the cross-entropy as the plane of the objective: the cross-entropy plus the L2 penalty. */
    private Plane penalized(LossSurface surface, double[] theta, double[] d1, double[] d2) {
        double[] xs = surface.xs();
        double[] ys = surface.ys();
        double[][] loss = new double[ys.length][];
        for (int j = 0; j < ys.length; j++) {
            loss[j] = surface.loss()[j].clone();
            for (int i = 0; i < xs.length; i++) {
                loss[j][i] += penalty(theta, d1, d2, xs[i], ys[j]);
            }
        }
        return new Plane(xs, ys, loss, surface.centerLoss() + penalty(theta, null, null, 0, 0));
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
        String setupLine = data.dataset().title() + " " + Classifier.describe(spec) + ", "
                + settings.optimizer().label() + " lr " + settings.learningRate()
                + (settings.decayEpochs() > 0 ? " (last " + settings.decayEpochs() + " epochs "
                + settings.decayedLearningRate() + ")" : "")
                + (settings.weightDecay() > 0 ? " weight decay " + settings.weightDecay() : "") + ", batch "
                + settings.batchSize() + ", " + settings.epochs() + " epochs of " + data.train().size() + " samples"
                + (settings.seeds() == 1 ? "" : ", seed " + shown + " of " + settings.seeds());
        String lossLabel = objective(true) + " on " + surfaceData.size() + " samples";
        writeSurface(out, "random-plane", randomPlane);
        writeSurface(out, "pca-plane", pcaPlane);
        CsvTable trajectory = CsvTable.of("epoch", "pc1", "pc2", "loss");
        for (int e = 0; e < coordinates.length; e++) {
            trajectory.add(e, coordinates[e][0], coordinates[e][1], snapshotLoss[e]);
        }
        out.writeCsv("trajectory.csv", trajectory);

        ContourChart randomChart = ContourChart.builder("Training " + objective(false) + " around the trained model on a random"
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
        ContourChart pcaChart = ContourChart.builder("Training " + objective(false) + " on the principal plane of the training"
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
        summary.put("surface", "the " + objective(true) + " on the surface samples: modelLoss, the planes, the "
                + "trajectory's loss and the verdicts use it");
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
                        + " %s on %d surface samples %.4f%n", NAME, trained.trainLoss(), trained.trainAccuracy(),
                trained.testLoss(), trained.testAccuracy(), objective(false), surfaceData.size(), modelLoss);
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
     * What the surfaces show: {@code loss} without weight decay, {@code objective} with it; {@code detailed} adds
     * what it is made of, for the colour bar.
     */
    private String objective(boolean detailed) {
        if (settings.weightDecay() == 0) {
            return detailed ? "training loss (cross-entropy, nats)" : "loss";
        }
        return detailed ? "training objective (cross-entropy + " + settings.weightDecay() + "/2 ‖θ‖², nats)"
                : "objective";
    }

    /**
     * The claim that the trained model sits at a local minimum of one plane, tested over the seeds with the
     * statistic of {@link #centreBelowBorder}.
     */
    private Verdict verdict(double[] perSeed, boolean principal) {
        double mean = Verdict.Summary.of(perSeed).mean();
        String plane = principal ? "the principal plane of its trajectory" : "a random filter-normalized plane";
        String explanation = mean > 0 ? "On average every point of the border is above the model: it sits in a "
                + "basin of the plane." : principal ? "Some point of the border is below the model: the "
                + objective(false) + " still falls past it in the direction training moved in, so after "
                + settings.epochs() + " epochs the model has not reached a minimum of the plane. "
                + (settings.weightDecay() == 0 ? "Without weight decay the cross-entropy of a fitted training set "
                + "has no minimum along that direction (it keeps falling as the weights grow); weight decay "
                + "(quick: " + Settings.WEIGHT_DECAY_DEFAULT + ") gives it one."
                : "More epochs (quick: " + Settings.EPOCHS_QUICK + " on " + Settings.TRAIN_SAMPLES_QUICK
                + " samples) or a larger weight decay would let it settle.")
                : "Some point of the border is below the model: it has not reached a minimum; more epochs would "
                + "be needed.";
        String what = settings.weightDecay() == 0 ? "training loss" : "training objective";
        return Verdict.test("the trained model sits at a local minimum of the " + what + " on " + plane,
                "Li et al. 2018, " + (principal ? "Figure 9" : "Figure 5"),
                "log10(lowest " + what + " on the border of " + (principal ? "the principal" : "the random")
                        + " plane / " + what + " at the model)", perSeed, Verdict.Direction.ABOVE, 0,
                explanation);
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
