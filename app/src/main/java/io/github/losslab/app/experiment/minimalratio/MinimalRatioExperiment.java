package io.github.losslab.app.experiment.minimalratio;

import io.github.losslab.analysis.critical.CriticalPoint;
import io.github.losslab.analysis.critical.CriticalPointSearch;
import io.github.losslab.analysis.hessian.FullHessian;
import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.HessianSpectrum;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.Provenance;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;
import io.github.losslab.app.experiment.flatness.Trend;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What happens when the gradient is almost zero (assignment part 1-2): are the critical points of a network's loss
 * minima or saddle points, and how does that depend on their loss? A tanh network too small to interpolate its
 * data (so that its minima are not degenerate) is trained from random initialisations; at several stages of each
 * training (at initialisation, after a few epochs, after many) a copy of its parameters is driven to a critical
 * point by minimising the gradient norm ({@link CriticalPointSearch}, Levenberg-Marquardt on
 * {@code ||grad L||^2 / 2} in the exact eigenbasis of the Hessian), and the full Hessian there is decomposed. Each
 * critical point gets its loss, its {@link Inertia} (the index, the number of negative eigenvalues) and two minimal
 * ratios: the assignment's (positive eigenvalues over all) and a robust one (positive over positive plus negative,
 * leaving out eigenvalues within a relative tolerance of zero).
 *
 * <p><b>Claim.</b> Critical points of lower loss have a higher minimal ratio: in high dimensions, critical points far
 * above the global minimum are saddles, and the fraction of negative eigenvalues falls as the loss falls (Bray and
 * Dean, "Statistics of critical points of Gaussian fields on large-dimensional spaces", PRL 2007; Dauphin et al.,
 * "Identifying and attacking the saddle point problem in high-dimensional non-convex optimization", NeurIPS 2014,
 * Fig. 1 and 4). <b>Statistic:</b> per seed, Spearman's rank correlation between the loss and the robust minimal
 * ratio over that seed's converged critical points (0 when the ratio or the loss does not vary: no sign of the
 * trend); the claim holds when it is below {@link #CORRELATION_THRESHOLD} over the seeds.
 *
 * <p>Writes into {@code <out>/minimal-ratio/}: {@code minimal-ratio.png}/{@code .svg} (both minimal ratios against
 * the loss, coloured by index), {@code rank-correlation.png}/{@code .svg} (the statistic of each seed with its
 * mean and 95% interval), {@code eigenvalues.png}/{@code .svg} (the spectra of the lowest minimum and of the saddle
 * of highest index), {@code critical-points.csv} (every search), {@code eigenvalues.csv} (every eigenvalue of every
 * search) and {@code summary.json} (with the verdict).
 *
 * <p>One trial per training ({@code seed-0.run-0}, {@code seed-0.run-1}, ..., {@code seed-1.run-0}, ...): it
 * trains, searches from each stage and decomposes the Hessian at each critical point found; the reduce step writes
 * the files from the trials' numbers. Everything runs in float64, where gradient norms of 1e-6 and below are
 * meaningful.
 */
public final class MinimalRatioExperiment extends TrialExperiment<MinimalRatioExperiment.Settings,
        MinimalRatioExperiment.Run> {

    /** The name the command line knows. */
    public static final String NAME = "minimal-ratio";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "critical points of a small tanh net from several stages of training: minimal ratio and index vs loss",
            Settings.class, Settings::of, MinimalRatioExperiment::new);

    /**
     * The claim holds for a seed whose rank correlation between loss and robust minimal ratio is below this: a
     * clearly negative trend, not just a negative sign (a seed without any trend gives 0).
     */
    public static final double CORRELATION_THRESHOLD = -0.2;

    static final String CLAIM = "critical points of lower loss have a higher minimal ratio (fewer negative "
            + "Hessian eigenvalues): saddles at high loss, minima at low loss";
    static final String SOURCE = "Bray and Dean 2007; Dauphin et al. 2014";
    static final String STATISTIC = "Spearman rank correlation of loss and robust minimal ratio over a seed's "
            + "critical points";

    private static final Logger LOG = LogManager.getLogger(MinimalRatioExperiment.class);

    /** Every model of this experiment is float64: gradient norms near 1e-6 are rounding noise in float32. */
    static final Precision PRECISION = Precision.FLOAT64;

    /**
     * The settings of a run.
     *
     * @param function       the function fitted; configuration files name a built-in one
     * @param points         evenly spaced training points, both ends of the interval included
     * @param hiddenWidths   widths of the hidden layers: few, so that the network cannot interpolate the points
     *                       and its minima are not degenerate
     * @param activation     of the hidden layers (tanh: smooth, so the Hessian exists everywhere)
     * @param seeds          repetitions of the whole experiment, each with its own initialisations; the verdict's
     *                       statistic is measured once per seed
     * @param runs           trainings per seed
     * @param stages         epochs of training before each search, ascending (0: from the initialisation); each
     *                       training gives one critical point per stage
     * @param batchSize      points per Adam step, at most {@code points}
     * @param learningRate   of Adam
     * @param searchSteps    step limit of each critical-point search
     * @param tolerance      gradient norm below which a search has converged to a critical point
     * @param zeroTolerance  an eigenvalue counts as zero when {@code |lambda| <= zeroTolerance * max|lambda|}
     */
    public record Settings(TargetFunction function, int points, List<Integer> hiddenWidths, Activation activation,
                           int seeds, int runs, List<Integer> stages, int batchSize, double learningRate,
                           int searchSteps, double tolerance, double zeroTolerance) {

        /** A 1-4-1 network: 13 parameters, too few to interpolate 100 points of sin(x). */
        public static final List<Integer> HIDDEN_WIDTHS_DEFAULT = List.of(4);
        public static final double LEARNING_RATE_DEFAULT = 0.01;
        /** The default of {@link CriticalPointSearch} in float64. */
        public static final double TOLERANCE_DEFAULT = CriticalPointSearch.DEFAULT_TOLERANCE;
        /** Relative zero tolerance of the eigenvalues: the float64 default of {@link HessianSpectrum}. */
        public static final double ZERO_TOLERANCE_DEFAULT = HessianSpectrum.DEFAULT_TOLERANCE;
        /** Searches from initialisation, after a few epochs, part-way and after convergence. */
        public static final List<Integer> STAGES_DEFAULT = List.of(0, 20, 200, 2000);

        public Settings {
            if (function == null) {
                throw new InvalidSettingException("function", null, "a function");
            }
            Check.between("points", points, 2, Limits.POINTS);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            Check.between("seeds", seeds, 1, Limits.RUNS);
            Check.between("runs", runs, 1, Limits.RUNS);
            stages = Check.allBetween("stages", stages, 0, Limits.EPOCHS);
            for (int i = 1; i < stages.size(); i++) {
                if (stages.get(i) <= stages.get(i - 1)) {
                    throw new InvalidSettingException("stages", stages, "epochs in strictly ascending order");
                }
            }
            if ((long) seeds * runs * stages.size() > Limits.RUNS * 10L) {
                throw new InvalidSettingException("runs", runs, "at most " + Limits.RUNS * 10 + " critical points "
                        + "in all (seeds * runs * stages), not " + (long) seeds * runs * stages.size());
            }
            Check.between("batchSize", batchSize, 1, points);
            Check.positive("learningRate", learningRate);
            Check.between("searchSteps", searchSteps, 0, Limits.STEPS);
            Check.positive("tolerance", tolerance);
            if (!(zeroTolerance >= 0 && zeroTolerance < 1)) {
                throw new InvalidSettingException("zeroTolerance", zeroTolerance, "a relative tolerance in [0, 1)");
            }
            long parameters = Limits.denseParameters(1, hiddenWidths, 1);
            if (parameters > FullHessian.DEFAULT_MAX_PARAMETERS) {
                throw new InvalidSettingException("hiddenWidths", hiddenWidths, "widths of at most "
                        + FullHessian.DEFAULT_MAX_PARAMETERS + " parameters (a full Hessian each search), not "
                        + parameters);
            }
        }

        /**
         * About a minute and a half on two CPU cores: 3 seeds of 3 trainings of a 1-4-1 net on 100 points of
         * sin(x), searched from 4 stages: 36 critical points.
         */
        public static Settings quick() {
            return new Settings(TargetFunction.SIN, 100, HIDDEN_WIDTHS_DEFAULT, Activation.TANH, 3, 5,
                    STAGES_DEFAULT, 100, LEARNING_RATE_DEFAULT, 120, TOLERANCE_DEFAULT, ZERO_TOLERANCE_DEFAULT);
        }

        /** The assignment's 100 critical points: 5 seeds of 5 trainings searched from 4 stages. */
        public static Settings full() {
            return new Settings(TargetFunction.SIN, 100, HIDDEN_WIDTHS_DEFAULT, Activation.TANH, 5, 5,
                    STAGES_DEFAULT, 100, LEARNING_RATE_DEFAULT, 200, TOLERANCE_DEFAULT, ZERO_TOLERANCE_DEFAULT);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** The critical points searched: seeds times runs times stages. */
        public int criticalPoints() {
            return seeds * runs * stages.size();
        }

        /** The network: one input, the hidden widths, one output, mean squared error. */
        public ModelSpec spec() {
            return ModelSpec.mlp(1, hiddenWidths.stream().mapToInt(Integer::intValue).toArray(), 1, activation,
                    Loss.MEAN_SQUARED_ERROR);
        }
    }

    /**
     * One critical-point search and the Hessian where it ended; NaN values and a failure message where training
     * or the search failed.
     *
     * @param stage        the stage, from 0
     * @param epochs       epochs trained before the search
     * @param trainedLoss  the loss where the search started
     * @param loss         the loss where it ended
     * @param gradientNorm the gradient norm there
     * @param converged    whether the search reached the tolerance: a critical point
     * @param stop         why the search stopped
     * @param searchSteps  steps the search took
     * @param negative     eigenvalues below {@code -zeroTolerance * max|lambda|}: the index
     * @param zero         eigenvalues within it
     * @param positive     eigenvalues above it
     * @param eigenvalues  every eigenvalue of the Hessian there, ascending
     * @param failure      why it failed; null when it did not
     */
    public record Point(int stage, int epochs, double trainedLoss, double loss, double gradientNorm,
                        boolean converged, String stop, int searchSteps, int negative, int zero, int positive,
                        double[] eigenvalues, String failure) {

        boolean succeeded() {
            return failure == null;
        }

        /** A critical point: succeeded and converged. */
        boolean critical() {
            return succeeded() && converged;
        }

        /** The counts of the eigenvalues (the tolerance they were counted with is the experiment's). */
        Inertia inertia() {
            return new Inertia(negative, zero, positive, Double.NaN, Double.NaN);
        }

        /** The assignment's minimal ratio: positive eigenvalues over all. */
        double minimalRatio() {
            return succeeded() ? inertia().minimalRatio() : Double.NaN;
        }

        /** Positive eigenvalues over positive and negative ones. */
        double robustRatio() {
            return succeeded() ? inertia().robustRatio() : Double.NaN;
        }

        double minEigenvalue() {
            return eigenvalues.length == 0 ? Double.NaN : eigenvalues[0];
        }

        double maxEigenvalue() {
            return eigenvalues.length == 0 ? Double.NaN : eigenvalues[eigenvalues.length - 1];
        }
    }

    /**
     * What one training produced, the result of its trial: one point per stage (fewer where training failed).
     *
     * @param seed        the seed, from 0
     * @param run         the training within its seed, from 0
     * @param points      the searches, one per stage reached
     * @param wallSeconds how long the trial took
     * @param failure     why training stopped early; null when it did not
     */
    public record Run(int seed, int run, List<Point> points, double wallSeconds, String failure) {
        public Run {
            points = List.copyOf(points);
        }
    }

    /** A point with the training it comes from. */
    record Found(int seed, int run, Point point) {
    }

    /** The seeds of one training, in the order it draws them: initial weights, batch order. */
    private record RunSeeds(long init, long shuffle) {
    }

    public MinimalRatioExperiment(Settings settings) {
        super(TYPE, settings, Run.class);
    }

    /** The trial key of a training: {@code seed-0.run-3}. */
    public static String key(int seed, int run) {
        return "seed-" + seed + ".run-" + run;
    }

    /** One trial per training, seed by seed. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>(settings.seeds() * settings.runs());
        for (int s = 0; s < settings.seeds(); s++) {
            for (int r = 0; r < settings.runs(); r++) {
                keys.add(key(s, r));
            }
        }
        return keys;
    }

    /** The seeds of training {@code run} of seed {@code seed}: the seed's stream split once per training. */
    private RunSeeds seeds(ExperimentContext context, int seed, int run) {
        SplittableRandom random = context.random(seed);
        SplittableRandom part = null;
        for (int r = 0; r <= run; r++) {
            part = random.split();
        }
        return new RunSeeds(part.nextLong(), part.nextLong());
    }

    private Dataset data() {
        TargetFunction f = settings.function();
        return FunctionSampler.grid(f.name(), f::apply, f.from(), f.to(), settings.points());
    }

    /** One training: searches a critical point from each stage and decomposes the Hessian there. */
    @Override
    public Run runTrial(String key, ExperimentContext context) {
        int index = trialKeys().indexOf(key);
        if (index < 0) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        int seed = index / settings.runs();
        int run = index % settings.runs();
        Run result = run(context, seed, run, data(), seeds(context, seed, run));
        for (Point p : result.points()) {
            LOG.info("{} stage {} ({} epochs): {}", key, p.stage(), p.epochs(), p.succeeded()
                    ? String.format(Locale.ROOT, "loss %.4g, |grad| %.2e%s, index %d, ratios %.3f / %.3f",
                    p.loss(), p.gradientNorm(), p.converged() ? "" : " (not converged)", p.negative(),
                    p.minimalRatio(), p.robustRatio())
                    : "failed: " + p.failure());
        }
        return result;
    }

    private Run run(ExperimentContext context, int seed, int run, Dataset data, RunSeeds seeds) {
        long start = System.nanoTime();
        CriticalPointSearch search = CriticalPointSearch.builder().tolerance(settings.tolerance())
                .maxSteps(settings.searchSteps()).build();
        List<Point> points = new ArrayList<>();
        String failure = null;
        try (Model model = context.backend().createModel(settings.spec(), PRECISION, seeds.init())) {
            HessianOperator hessian = HessianOperator.of(model, data);
            int trained = 0;
            for (int stage = 0; stage < settings.stages().size(); stage++) {
                int epochs = settings.stages().get(stage);
                try {
                    if (epochs > trained) {
                        model.train(data, OptimizerSpec.adam(settings.learningRate()),
                                TrainingConfig.of(epochs - trained, settings.batchSize(), seeds.shuffle() + stage,
                                        PRECISION), List.of());
                        trained = epochs;
                    }
                } catch (TrainingDivergedException e) {
                    failure = "training diverged before stage " + stage + ": " + e.getMessage();
                    LOG.warn("{}: {}", key(seed, run), failure);
                    break;
                }
                points.add(search(model, hessian, search, stage, epochs));
            }
        }
        return new Run(seed, run, points, (System.nanoTime() - start) / 1e9, failure);
    }

    /** Searches from the model's parameters and puts them back afterwards, so that training goes on from there. */
    private Point search(Model model, HessianOperator hessian, CriticalPointSearch search, int stage, int epochs) {
        double[] trainedParameters = model.parameters();
        try {
            double trainedLoss = hessian.lossAndGradient().loss();
            CriticalPoint cp = search.search(hessian);
            HessianSpectrum spectrum = FullHessian.compute(hessian).spectrum();
            Inertia inertia = Inertia.of(spectrum, settings.zeroTolerance());
            return new Point(stage, epochs, trainedLoss, cp.loss(), cp.gradientNorm(), cp.converged(),
                    cp.stop().name().toLowerCase(Locale.ROOT), cp.steps(), inertia.negative(), inertia.zero(),
                    inertia.positive(), spectrum.eigenvalues(), null);
        } catch (ArithmeticException e) {
            return new Point(stage, epochs, Double.NaN, Double.NaN, Double.NaN, false, "failed", 0, 0, 0, 0,
                    new double[0], e.getMessage());
        } finally {
            model.setParameters(trainedParameters);
        }
    }

    /** Writes the tables, the figures and the summary with the verdict. */
    @Override
    public ExperimentResult reduce(TrialResults<Run> trials, ExperimentContext context) throws IOException {
        TargetFunction f = settings.function();
        ModelSpec spec = settings.spec();
        List<Run> runs = trials.values();
        List<Found> found = found(runs);
        List<Found> critical = found.stream().filter(x -> x.point().critical()).toList();
        double[] perSeed = perSeedCorrelations(runs, settings.seeds());
        Verdict verdict = verdict(perSeed, critical, settings);

        OutputWriter out = context.output();
        writeCriticalPoints(out, found);
        writeEigenvalues(out, found);
        MinimalRatioFigures.write(out, settings, spec, found, perSeed, verdict);

        double total = context.elapsedSeconds();
        long saddles = critical.stream().filter(x -> x.point().negative() > 0).count();
        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("precision", PRECISION.configName());
        summary.put("zeroTolerance", settings.zeroTolerance());
        summary.put("zeroToleranceMeaning", "an eigenvalue counts as zero when |lambda| <= zeroTolerance * "
                + "max|lambda|; minimalRatio = positive / all eigenvalues (the assignment's), robustRatio = "
                + "positive / (positive + negative), index = negative");
        Map<String, Object> aggregate = new LinkedHashMap<>();
        aggregate.put("searches", found.size());
        aggregate.put("failed", found.stream().filter(x -> !x.point().succeeded()).count());
        aggregate.put("criticalPoints", critical.size());
        aggregate.put("saddles", saddles);
        aggregate.put("minima", critical.size() - saddles);
        aggregate.put("lossMin", stat(critical, Point::loss, true));
        aggregate.put("lossMax", stat(critical, Point::loss, false));
        aggregate.put("minimalRatioMin", stat(critical, Point::minimalRatio, true));
        aggregate.put("minimalRatioMax", stat(critical, Point::minimalRatio, false));
        aggregate.put("robustRatioMin", stat(critical, Point::robustRatio, true));
        aggregate.put("robustRatioMax", stat(critical, Point::robustRatio, false));
        aggregate.put("rankCorrelationPerSeed", Arrays.stream(perSeed).boxed().toList());
        summary.put("result", aggregate);
        summary.put("stages", stageSummaries(critical, settings.stages()));
        summary.put("spectraShown", MinimalRatioFigures.shownSpectra(found).stream()
                .map(x -> Map.of("seed", x.seed(), "run", x.run(), "stage", x.point().stage())).toList());
        summary.put("verdicts", List.of(verdict.toMap()));
        summary.put("points", found.stream().map(MinimalRatioExperiment::pointSummary).toList());
        summary.put("provenance", float64(context.provenance(DataSource.of("sampled: " + f.label() + " at "
                + settings.points() + " evenly spaced points of [" + f.from() + ", " + f.to() + "]", "train",
                settings.points()), total)));
        out.writeJson("summary.json", summary);

        Verdict.Summary s = verdict.summary();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("critical points", (double) critical.size());
        keyNumbers.put("saddle points", (double) saddles);
        keyNumbers.put("rank correlation loss vs robust ratio", s.mean());
        keyNumbers.put("minimal ratio min", stat(critical, Point::minimalRatio, true));
        keyNumbers.put("minimal ratio max", stat(critical, Point::minimalRatio, false));
        context.results().printf(Locale.ROOT, "%s %d searches, %d parameters: %d critical points (|grad| < %.0e), "
                        + "%d saddles, loss %.3g to %.3g, robust minimal ratio %.3f to %.3f  (%.1f s)%n", NAME,
                found.size(), spec.parameterCount(), critical.size(), settings.tolerance(), saddles,
                stat(critical, Point::loss, true), stat(critical, Point::loss, false),
                stat(critical, Point::robustRatio, true), stat(critical, Point::robustRatio, false), total);
        context.results().println(verdict);
        context.results().flush();
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /** Every search of every training, in trial order. */
    static List<Found> found(List<Run> runs) {
        List<Found> all = new ArrayList<>();
        for (Run r : runs) {
            for (Point p : r.points()) {
                all.add(new Found(r.seed(), r.run(), p));
            }
        }
        return all;
    }

    /**
     * The statistic of one seed: Spearman's rank correlation between the loss and the robust minimal ratio over its
     * critical points (ties share their rank). 0 when the loss or the ratio is the same at every point (no sign
     * that one moves with the other); NaN for fewer than three critical points.
     */
    static double rankCorrelation(List<Point> points) {
        List<Point> critical = points.stream().filter(Point::critical).filter(p -> !Double.isNaN(p.robustRatio()))
                .toList();
        if (critical.size() < 3) {
            return Double.NaN;
        }
        double[] loss = critical.stream().mapToDouble(Point::loss).toArray();
        double[] ratio = critical.stream().mapToDouble(Point::robustRatio).toArray();
        double rho = Trend.spearman(loss, ratio);
        return Double.isNaN(rho) ? 0 : rho;
    }

    /** The statistic of every seed, in seed order. */
    static double[] perSeedCorrelations(List<Run> runs, int seeds) {
        double[] values = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            int seed = s;
            values[s] = rankCorrelation(runs.stream().filter(r -> r.seed() == seed)
                    .flatMap(r -> r.points().stream()).toList());
        }
        return values;
    }

    /**
     * The verdict on the claim from the per-seed statistic, with an explanation from the critical points: how many
     * are saddles, where their losses lie against the minima's, and what would show the effect where it is absent.
     */
    static Verdict verdict(double[] perSeed, List<Found> critical, Settings settings) {
        List<Point> saddles = critical.stream().map(Found::point).filter(p -> p.negative() > 0).toList();
        List<Point> minima = critical.stream().map(Found::point).filter(p -> p.negative() == 0).toList();
        StringBuilder why = new StringBuilder();
        why.append(String.format(Locale.ROOT, "Of %d critical points, %d are saddles (index >= 1",
                critical.size(), saddles.size()));
        if (!saddles.isEmpty()) {
            why.append(String.format(Locale.ROOT, ", median loss %.3g, median robust ratio %.3f",
                    median(saddles, Point::loss), median(saddles, Point::robustRatio)));
        }
        why.append(String.format(Locale.ROOT, ") and %d minima", minima.size()));
        if (!minima.isEmpty()) {
            why.append(String.format(Locale.ROOT, " (median loss %.3g, loss %.3g to %.3g)",
                    median(minima, Point::loss), minima.stream().mapToDouble(Point::loss).min().orElse(Double.NaN),
                    minima.stream().mapToDouble(Point::loss).max().orElse(Double.NaN)));
        }
        why.append('.');
        if (saddles.isEmpty()) {
            why.append(" Without saddles the robust ratio is 1 everywhere and cannot fall with the loss: the "
                    + "searches started too close to minima; include stage 0 (the initialisation) or early stages"
                    + " in 'stages'.");
        } else if (minima.isEmpty()) {
            why.append(" Without minima there is nothing to compare the saddles with: train longer before the "
                    + "last stage (a larger last entry of 'stages').");
        } else if (median(saddles, Point::loss) <= median(minima, Point::loss)) {
            why.append(" The saddles do not lie above the minima in loss: a network this size (")
                    .append(settings.spec().parameterCount()).append(" parameters) has minima of high loss; "
                    + "more training runs per seed or a wider network spread the minima down.");
        }
        return Verdict.test(CLAIM, SOURCE, STATISTIC, perSeed, Verdict.Direction.BELOW, CORRELATION_THRESHOLD,
                why.toString());
    }

    /** Per stage: critical points, saddles, median loss and median robust ratio. */
    private static List<Map<String, Object>> stageSummaries(List<Found> critical, List<Integer> stages) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            int stage = s;
            List<Point> at = critical.stream().map(Found::point).filter(p -> p.stage() == stage).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", s);
            m.put("epochs", stages.get(s));
            m.put("criticalPoints", at.size());
            m.put("saddles", at.stream().filter(p -> p.negative() > 0).count());
            m.put("medianLoss", median(at, Point::loss));
            m.put("medianRobustRatio", median(at, Point::robustRatio));
            m.put("medianMinimalRatio", median(at, Point::minimalRatio));
            list.add(m);
        }
        return list;
    }

    static double median(List<Point> points, java.util.function.ToDoubleFunction<Point> f) {
        double[] v = points.stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    private static double stat(List<Found> points, java.util.function.ToDoubleFunction<Point> f, boolean min) {
        var values = points.stream().map(Found::point).mapToDouble(f).filter(Double::isFinite);
        return (min ? values.min() : values.max()).orElse(Double.NaN);
    }

    private static void writeCriticalPoints(OutputWriter out, List<Found> found) throws IOException {
        CsvTable table = CsvTable.of("seed", "run", "stage", "epochs", "trained_loss", "loss", "gradient_norm",
                "converged", "stop", "search_steps", "index", "near_zero", "positive", "minimal_ratio",
                "robust_ratio", "min_eigenvalue", "max_eigenvalue", "status");
        for (Found x : found) {
            Point p = x.point();
            table.add(x.seed(), x.run(), p.stage(), p.epochs(), p.trainedLoss(), p.loss(), p.gradientNorm(),
                    p.converged(), p.stop(), p.searchSteps(), p.negative(), p.zero(), p.positive(), p.minimalRatio(),
                    p.robustRatio(), p.minEigenvalue(), p.maxEigenvalue(), p.succeeded() ? "ok" : p.failure());
        }
        out.writeCsv("critical-points.csv", table);
    }

    private static void writeEigenvalues(OutputWriter out, List<Found> found) throws IOException {
        CsvTable table = CsvTable.of("seed", "run", "stage", "index", "eigenvalue");
        for (Found x : found) {
            double[] e = x.point().eigenvalues();
            for (int i = 0; i < e.length; i++) {
                table.add(x.seed(), x.run(), x.point().stage(), i, e[i]);
            }
        }
        out.writeCsv("eigenvalues.csv", table);
    }

    private static Map<String, Object> pointSummary(Found x) {
        Point p = x.point();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", x.seed());
        m.put("run", x.run());
        m.put("stage", p.stage());
        m.put("epochs", p.epochs());
        m.put("trainedLoss", p.trainedLoss());
        m.put("loss", p.loss());
        m.put("gradientNorm", p.gradientNorm());
        m.put("converged", p.converged());
        m.put("stop", p.stop());
        m.put("searchSteps", p.searchSteps());
        m.put("index", p.negative());
        m.put("nearZero", p.zero());
        m.put("positive", p.positive());
        m.put("minimalRatio", p.minimalRatio());
        m.put("robustRatio", p.robustRatio());
        m.put("minEigenvalue", p.minEigenvalue());
        m.put("maxEigenvalue", p.maxEigenvalue());
        m.put("status", p.succeeded() ? "ok" : p.failure());
        return m;
    }

    /** The context's provenance with this experiment's own precision. */
    private static Provenance float64(Provenance p) {
        return new Provenance(p.seed(), p.backend(), PRECISION.configName(), p.deterministic(), p.java(), p.os(),
                p.losslab(), p.data(), p.startedAt(), p.wallSeconds());
    }
}
