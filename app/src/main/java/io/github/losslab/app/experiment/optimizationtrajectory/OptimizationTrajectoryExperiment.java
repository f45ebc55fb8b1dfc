package io.github.losslab.app.experiment.optimizationtrajectory;

import io.github.losslab.analysis.trajectory.TrajectoryPca;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterLayout;
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
import io.github.losslab.app.experiment.training.EpochMetrics;
import io.github.losslab.app.experiment.training.MnistExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.MnistSettings;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.Trials;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The path of the optimizer through weight space (assignment part 1-2, visualize the optimization process): one
 * MNIST network is trained several times from different initial weights (one seed each), its weights are collected
 * at the start and every few epochs, and ONE principal component analysis ({@link TrajectoryPca}), fitted on the
 * snapshots of all runs together, projects them to two dimensions: once for the first layer's weights and biases,
 * once for all parameters of the model. A PCA fitted per run would put each run in its own coordinates, and the
 * trajectories could not be compared in one picture.
 *
 * <p>Writes into {@code <out>/optimization-trajectory/}: {@code first-layer.png}/{@code .svg} and
 * {@code whole-model.png}/{@code .svg} (one colour per run, each snapshot labelled with its training accuracy),
 * {@code trajectory.csv} (every snapshot's run, seed, epoch, loss and accuracy, and its coordinates in both
 * projections: the data of the figures) and {@code summary.json} (the model, the variance each component explains,
 * each run's final accuracies, the settings and the provenance).
 *
 * <p>One trial per run ({@code run-1}, {@code run-2}, ...): it trains the network and returns its snapshots, the
 * weights included; the reduce step fits the joint PCA on the snapshots of every run that did not diverge.
 */
public final class OptimizationTrajectoryExperiment extends MnistExperiment<
        OptimizationTrajectoryExperiment.Settings, OptimizationTrajectoryExperiment.Trajectory> {

    /** The name the command line knows. */
    public static final String NAME = "optimization-trajectory";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "the weights of 8 trainings of an MNIST network every 3 epochs, projected by one joint PCA to 2-D",
            Settings.class, Settings::of, OptimizationTrajectoryExperiment::new).withExplanation("""
            One MNIST network is trained 8 times, each time from other initial weights, and its weights are \
            collected at the start and every 3 epochs. One principal component analysis, fitted on the snapshots \
            of all runs together, projects them to two dimensions: once the first layer's parameters, once all of \
            them. (A PCA fitted per run would put every run in its own coordinates.)

            Each colour is one run, its points joined in the order of training and labelled with the training \
            accuracy in percent. The runs start near each other and leave in different directions: in a space of \
            tens of thousands of dimensions, trainings from different starts end in different minima that reach \
            the same accuracy.

            The verdict tests that over the runs: for each run, the distance of its final weights from the nearest \
            other run's final weights over the distance its weights moved from their start, claimed above 1 (the \
            runs end farther apart than each travelled: they did not converge to one place).""");

    /** The two projections: the first layer's parameters and all of them. */
    public static final List<String> PARTS = List.of("first-layer", "whole-model");

    private static final Logger LOG = LogManager.getLogger(OptimizationTrajectoryExperiment.class);

    /**
     * The settings of a run.
     *
     * @param trainSamples  training samples, a stratified subset of the training split; 0 for all of it
     * @param hiddenWidths  widths of the hidden dense layers of the network
     * @param activation    of the hidden layers
     * @param runs          trainings from different initial weights and batch orders
     * @param epochs        passes over the training set in each training
     * @param snapshotEvery epochs between two snapshots of the weights (the initial weights are one too)
     * @param optimizer     {@code sgd} or {@code adam}
     * @param learningRate  of the optimizer
     * @param batchSize     samples per optimizer step
     */
    public record Settings(int trainSamples, List<Integer> hiddenWidths, Activation activation, int runs,
                           int epochs, int snapshotEvery, OptimizerKind optimizer, double learningRate,
                           int batchSize) implements MnistSettings {

        public static final List<Integer> HIDDEN_WIDTHS_DEFAULT = List.of(64, 32);
        /** The assignment's eight trainings. */
        public static final int RUNS_DEFAULT = 8;
        /** The assignment's snapshot interval. */
        public static final int SNAPSHOT_EVERY_DEFAULT = 3;
        public static final double LEARNING_RATE_DEFAULT = 0.001;
        public static final int BATCH_SIZE_DEFAULT = 64;
        /** Snapshots a two-component PCA needs. */
        public static final int MIN_SNAPSHOTS = 3;

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            Check.between("runs", runs, 1, Limits.RUNS);
            Check.between("epochs", epochs, 1, Limits.EPOCHS);
            Check.between("snapshotEvery", snapshotEvery, 1, epochs);
            if (optimizer == null) {
                throw new InvalidSettingException("optimizer", null, "sgd or adam");
            }
            Check.positive("learningRate", learningRate);
            Check.between("batchSize", batchSize, 1, Limits.SAMPLES);
            if (runs * (epochs / snapshotEvery + 1) < MIN_SNAPSHOTS) {
                throw new InvalidSettingException("runs", runs, "enough runs and epochs for at least "
                        + MIN_SNAPSHOTS + " snapshots in all (a 2-D PCA needs 3)");
            }
        }

        /**
         * About 40 seconds on two CPU cores: 8 trainings of 784-64-32-10 on the bundled 8,000 training digits, 9
         * epochs of Adam each, weights collected at the start and every 3 epochs (32 snapshots).
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, HIDDEN_WIDTHS_DEFAULT, Activation.RELU, RUNS_DEFAULT, 9,
                    SNAPSHOT_EVERY_DEFAULT, OptimizerKind.ADAM, LEARNING_RATE_DEFAULT, BATCH_SIZE_DEFAULT);
        }

        /** The assignment's scale: every training sample (60,000 for MNIST), 8 trainings of 30 epochs. */
        public static Settings full() {
            return new Settings(MnistInput.ALL, HIDDEN_WIDTHS_DEFAULT, Activation.RELU, RUNS_DEFAULT, 30,
                    SNAPSHOT_EVERY_DEFAULT, OptimizerKind.ADAM, LEARNING_RATE_DEFAULT, BATCH_SIZE_DEFAULT);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withTraining(int newTrainSamples, int newRuns, int newEpochs, int newSnapshotEvery) {
            return new Settings(newTrainSamples, hiddenWidths, activation, newRuns, newEpochs, newSnapshotEvery,
                    optimizer, learningRate, batchSize);
        }

        public Settings withHiddenWidths(List<Integer> value) {
            return new Settings(trainSamples, value, activation, runs, epochs, snapshotEvery, optimizer,
                    learningRate, batchSize);
        }

        /** The network for {@code inputs} features and {@code classes} classes. */
        public ModelSpec model(int inputs, int classes) {
            return ModelSpec.mlp(inputs, hiddenWidths.stream().mapToInt(Integer::intValue).toArray(), classes,
                    activation, Loss.SOFTMAX_CROSS_ENTROPY);
        }
    }

    /**
     * The weights of one run at the end of one epoch (0: the initial weights), with its loss and accuracy.
     *
     * @param run           the run, from 1
     * @param seed          the seed of the run's initial weights
     * @param epoch         epochs trained when the snapshot was taken
     * @param parameters    every parameter of the model, flat, in the order of its layout
     * @param trainLoss     loss on the training set
     * @param trainAccuracy accuracy on the training set
     * @param testLoss      loss on the test set
     * @param testAccuracy  accuracy on the test set
     */
    public record Snapshot(int run, long seed, int epoch, double[] parameters, double trainLoss,
                           double trainAccuracy, double testLoss, double testAccuracy) {
    }

    /**
     * The result of one trial: one training's snapshots, in the order of its epochs, for the joint PCA of the
     * reduce step.
     *
     * @param run       the run, from 1
     * @param seed      the seed of its initial weights
     * @param snapshots its snapshots, the initial weights first
     */
    public record Trajectory(int run, long seed, List<Snapshot> snapshots) {

        public Trajectory {
            snapshots = List.copyOf(snapshots);
        }
    }

    /** The seeds of one run: its initial weights and its batch order. */
    private record RunSeeds(long init, long shuffle) {
    }

    /** What every trial and the reduce step derive from the settings and the root seed, in the same order. */
    private record Setup(MnistInput data, ModelSpec spec, List<RunSeeds> runs) {
    }

    /** The joint PCA of one part of the parameters and the coordinates of every snapshot, in snapshot order. */
    record Projection(String part, int parameters, TrajectoryPca pca, List<double[]> coordinates) {
    }

    /** Everything a run produced: the files, the snapshots and the two projections. */
    record Outcome(ExperimentResult result, ModelSpec spec, List<Snapshot> snapshots, List<Projection> projections) {
    }

    public OptimizationTrajectoryExperiment(Settings settings) {
        super(TYPE, settings, Trajectory.class);
    }

    /**
     * Checks that the data holds the training samples, that the batch size fits them and that the network fits
     * the data.
     */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
    }

    /** The trial key of a run: {@code run-3}. */
    public static String key(int run) {
        return "run-" + run;
    }

    /** One trial per run, {@code run-1} to {@code run-<runs>}. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>(settings.runs());
        for (int run = 1; run <= settings.runs(); run++) {
            keys.add(key(run));
        }
        return keys;
    }

    /**
     * The data, the network and the seeds of every run, drawn from the root seed in the order the runs would draw
     * them one after the other: first the data's subset, then one split per run.
     */
    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        ModelSpec spec = settings.model(data.train().featureSize(), data.train().classes());
        List<RunSeeds> runs = new ArrayList<>(settings.runs());
        for (int run = 1; run <= settings.runs(); run++) {
            SplittableRandom part = random.split();
            long init = part.nextLong();
            runs.add(new RunSeeds(init, part.nextLong()));
        }
        return new Setup(data, spec, runs);
    }

    /** One run: trains the network from its own initial weights and returns its snapshots. */
    @Override
    public Trajectory runTrial(String key, ExperimentContext context) throws IOException {
        int run = trialKeys().indexOf(key) + 1;
        if (run == 0) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        Setup setup = setup(context);
        RunSeeds seeds = setup.runs().get(run - 1);
        context.progress().plan(settings.epochs());
        return new Trajectory(run, seeds.init(), train(context, setup.data(), setup.spec(), run, seeds));
    }

    @Override
    public ExperimentResult reduce(TrialResults<Trajectory> trials, ExperimentContext context) throws IOException {
        return outcome(trials, context).result();
    }

    /** Runs the experiment and keeps the snapshots, for tests that check the projection. */
    Outcome execute(ExperimentContext context) throws IOException {
        return outcome(Trials.run(this, context), context);
    }

    /**
     * Projects the snapshots of every run that did not diverge with one joint PCA and writes the figures, the
     * table and the summary.
     *
     * @throws IllegalStateException when divergences left fewer snapshots than a 2-D PCA needs
     */
    private Outcome outcome(TrialResults<Trajectory> trials, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        MnistInput data = setup.data();
        ModelSpec spec = setup.spec();
        LOG.info("{}: {} parameters, {} in the first layer", spec.describe(), spec.parameterCount(),
                firstLayerSize(spec.layout()));
        List<Snapshot> snapshots = new ArrayList<>();
        Map<Integer, Double> seconds = new LinkedHashMap<>();
        for (TrialResults.Trial<Trajectory> t : trials.results()) {
            snapshots.addAll(t.value().snapshots());
            seconds.put(t.value().run(), t.wallSeconds());
        }
        if (snapshots.size() < Settings.MIN_SNAPSHOTS) {
            throw new IllegalStateException("the trainings of " + trials.diverged() + " diverged: the "
                    + snapshots.size() + " snapshots of the other runs are too few for a 2-D PCA (it needs "
                    + Settings.MIN_SNAPSHOTS + ")");
        }
        List<Projection> projections = List.of(project(PARTS.get(0), spec.layout(), snapshots, true),
                project(PARTS.get(1), spec.layout(), snapshots, false));

        OutputWriter out = context.output();
        writeTrajectory(out, snapshots, projections);
        OptimizationTrajectoryFigures.write(out, spec, data.samples(), snapshots, projections);
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (Projection p : projections) {
            double[] ratio = p.pca().explainedVarianceRatio();
            keyNumbers.put(p.part() + " / variance explained by 2 components", ratio[0] + ratio[1]);
            context.results().printf(Locale.ROOT, "%s %s: %,d parameters, PC 1 and 2 explain %s and %s of the "
                            + "variance of %d snapshots%n", NAME, p.part(), p.parameters(), Outputs.percent(ratio[0]),
                    Outputs.percent(ratio[1]), snapshots.size());
        }
        List<Snapshot> finals = finals(snapshots);
        for (Snapshot s : finals) {
            keyNumbers.put("run " + s.run() + " / test accuracy", s.testAccuracy());
        }
        context.results().printf(Locale.ROOT, "%s final test accuracy of the %d runs: %s%n", NAME, finals.size(),
                String.join(", ", finals.stream().map(s -> Outputs.percent(s.testAccuracy())).toList()));
        double[] separation = separation(snapshots);
        Verdict verdict = verdict(finals, separation);
        context.results().println(NAME + ": " + verdict);
        context.results().flush();

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("model", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("snapshots", snapshots.size());
        List<Map<String, Object>> pcas = new ArrayList<>();
        for (Projection p : projections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("part", p.part());
            m.put("parameters", p.parameters());
            m.put("fit", "one PCA on all " + snapshots.size() + " snapshots of all " + trials.results().size()
                    + " runs");
            m.put("explainedVarianceRatio", p.pca().explainedVarianceRatio());
            pcas.add(m);
        }
        summary.put("projections", pcas);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Snapshot s : finals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", s.run());
            m.put("seed", s.seed());
            m.put("epochs", s.epoch());
            m.put("finalTrainLoss", s.trainLoss());
            m.put("finalTrainAccuracy", s.trainAccuracy());
            m.put("testLoss", s.testLoss());
            m.put("testAccuracy", s.testAccuracy());
            m.put("wallSeconds", seconds.get(s.run()));
            m.put("separation", separation[runs.size()]);
            runs.add(m);
        }
        summary.put("runs", runs);
        summary.put("verdicts", List.of(verdict.toMap()));
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        ExperimentResult result = new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
        return new Outcome(result, spec, List.copyOf(snapshots), projections);
    }

    /**
     * The claim that trainings from different initializations end in different places while reaching a similar
     * training loss, tested over the runs with {@link #separation}.
     */
    private Verdict verdict(List<Snapshot> finals, double[] separation) {
        double[] loss = finals.stream().mapToDouble(Snapshot::trainLoss).toArray();
        Verdict.Summary l = Verdict.Summary.of(loss);
        String explanation = String.format(Locale.ROOT, "The final training losses are %.3g ± %.2g (mean ± sd over "
                + "%d runs).", l.mean(), l.sd(), l.n());
        return Verdict.test("trainings from different initializations end in different places, at a similar "
                        + "training loss", "the assignment, part 1-2 (visualize the optimization process)",
                "distance of a run's final weights from the nearest other run's / distance its weights moved",
                separation, Verdict.Direction.ABOVE, 1, explanation);
    }

    /**
     * For each run, in run order: the Euclidean distance of its final parameters from the nearest final parameters
     * of another run, divided by the distance between its own initial and final parameters (how far it travelled).
     * Above 1, the runs ended farther apart than each moved; 0 for runs that ended at one point. NaN for a run that
     * did not move, or when there is no other run.
     */
    static double[] separation(List<Snapshot> snapshots) {
        Map<Integer, Snapshot> first = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            first.putIfAbsent(s.run(), s);
        }
        List<Snapshot> finals = finals(snapshots);
        double[] out = new double[finals.size()];
        for (int i = 0; i < finals.size(); i++) {
            Snapshot f = finals.get(i);
            double nearest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < finals.size(); j++) {
                if (j != i) {
                    nearest = Math.min(nearest, distance(f.parameters(), finals.get(j).parameters()));
                }
            }
            double travelled = distance(first.get(f.run()).parameters(), f.parameters());
            out[i] = Double.isInfinite(nearest) || !(travelled > 0) ? Double.NaN : nearest / travelled;
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private List<Snapshot> train(ExperimentContext context, MnistInput data, ModelSpec spec, int run,
                                 RunSeeds seeds) {
        long seed = seeds.init();
        long shuffleSeed = seeds.shuffle();
        Map<String, Dataset> sets = new LinkedHashMap<>();
        sets.put("train", data.train());
        sets.put("test", data.test());
        EpochMetrics metrics = new EpochMetrics(sets, settings.snapshotEvery());
        List<double[]> weights = new ArrayList<>();
        TrainingListener collector = new TrainingListener() {
            @Override
            public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
                if (epoch % settings.snapshotEvery() == 0) {
                    weights.add(model.parameters());
                }
            }
        };
        try (Model model = context.backend().createModel(spec, context.precision(), seed)) {
            metrics.evaluate(model, 0);
            weights.add(model.parameters());
            model.train(data.train(), settings.optimizer().spec(settings.learningRate()),
                    TrainingConfig.of(settings.epochs(), settings.batchSize(), shuffleSeed, context.precision()),
                    List.of(metrics, collector, context.progress().training("run " + run, settings.epochs())));
        }
        LOG.info("run {}: train accuracy {}, test accuracy {}", run, Outputs.percent(metrics.lastAccuracy("train")),
                Outputs.percent(metrics.lastAccuracy("test")));
        int[] epochs = metrics.epochs();
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < epochs.length; i++) {
            out.add(new Snapshot(run, seed, epochs[i], weights.get(i), metrics.loss("train")[i],
                    metrics.accuracy("train")[i], metrics.loss("test")[i], metrics.accuracy("test")[i]));
        }
        return out;
    }

    /**
     * Fits one PCA on the part of every snapshot and projects every snapshot with it. Snapshots that moved along
     * fewer than two directions (weights that did not move, or moved along one line) cannot be drawn on a principal
     * plane: that is an error that says so, rather than a plane with a second axis of rounding noise.
     */
    static Projection project(String part, ParameterLayout layout, List<Snapshot> snapshots, boolean firstLayer) {
        List<double[]> vectors = new ArrayList<>(snapshots.size());
        for (Snapshot s : snapshots) {
            vectors.add(firstLayer ? firstLayer(layout, s.parameters()) : s.parameters());
        }
        TrajectoryPca pca;
        try {
            pca = TrajectoryPca.fit(vectors, 2);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the " + part + " parameters have no principal plane: " + e.getMessage()
                    + ". Train for more epochs, or with another learning rate, so that the weights move in two "
                    + "directions.", e);
        }
        return new Projection(part, vectors.get(0).length, pca, pca.projectAll(vectors));
    }

    /** The parameters of the first layer (its kernel, then its bias) out of the flat vector. */
    static double[] firstLayer(ParameterLayout layout, double[] parameters) {
        double[] out = new double[firstLayerSize(layout)];
        int at = 0;
        for (ParameterLayout.Segment s : layout.segments()) {
            if (s.layer() == 0) {
                System.arraycopy(parameters, s.offset(), out, at, s.size());
                at += s.size();
            }
        }
        return out;
    }

    private static int firstLayerSize(ParameterLayout layout) {
        return layout.segments().stream().filter(s -> s.layer() == 0).mapToInt(ParameterLayout.Segment::size).sum();
    }

    /** The last snapshot of every run. */
    private static List<Snapshot> finals(List<Snapshot> snapshots) {
        Map<Integer, Snapshot> last = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            last.put(s.run(), s);
        }
        return List.copyOf(last.values());
    }

    private static void writeTrajectory(OutputWriter out, List<Snapshot> snapshots, List<Projection> projections)
            throws IOException {
        List<String> columns = new ArrayList<>(List.of("run", "seed", "epoch", "train_loss", "train_accuracy",
                "test_loss", "test_accuracy"));
        for (Projection p : projections) {
            String prefix = p.part().replace('-', '_');
            columns.add(prefix + "_pc1");
            columns.add(prefix + "_pc2");
        }
        CsvTable table = new CsvTable(columns);
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            List<Object> row = new ArrayList<>(List.of(s.run(), s.seed(), s.epoch(), s.trainLoss(),
                    s.trainAccuracy(), s.testLoss(), s.testAccuracy()));
            for (Projection p : projections) {
                row.add(p.coordinates().get(i)[0]);
                row.add(p.coordinates().get(i)[1]);
            }
            table.add(row.toArray());
        }
        out.writeCsv("trajectory.csv", table);
    }
}
