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
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
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
 * What happens when the gradient is almost zero (assignment part 1-2): a small tanh network fitting a function of
 * one variable is trained from many random initialisations, each for a random number of epochs, and then driven to
 * a critical point by minimising the gradient norm ({@link CriticalPointSearch}, a Levenberg-Marquardt search on
 * {@code ||grad L||^2 / 2} in the exact eigenbasis of the Hessian). At each point the full Hessian is built from
 * exact Hessian-vector products and decomposed, and its minimal ratio (the fraction of positive eigenvalues, 1 at
 * a strict minimum) is set against the loss: Dauphin et al. ("Identifying and attacking the saddle point
 * problem", NeurIPS 2014) and Pennington and Bahri (ICML 2017) find that critical points of high loss are saddles
 * and those of low loss are close to minima. Everything runs in float64, where gradient norms of 1e-6 and below
 * are meaningful.
 *
 * <p>Writes into {@code <out>/minimal-ratio/}: {@code minimal-ratio.png}/{@code .svg} (loss against minimal ratio,
 * converged searches and the others apart), {@code critical-points.csv} (every run: the loss and gradient norm it
 * reached, whether the search converged, sign counts of the eigenvalues, minimal ratio),
 * {@code eigenvalues.png}/{@code .svg} with {@code eigenvalue-histogram.csv} (the eigenvalues of the converged run
 * of lowest loss, binned), {@code eigenvalues.csv} (every eigenvalue of every run) and {@code summary.json}.
 *
 * <p>One trial per run ({@code run-0}, {@code run-1}, ..., numbered as in the files): it trains, searches the
 * critical point and decomposes the Hessian there; the reduce step writes the files from the runs' numbers.
 */
public final class MinimalRatioExperiment extends TrialExperiment<MinimalRatioExperiment.Settings,
        MinimalRatioExperiment.Run> {

    /** The name the command line knows. */
    public static final String NAME = "minimal-ratio";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "critical points of a small tanh net: minimal ratio (fraction of positive Hessian eigenvalues) vs loss",
            Settings.class, Settings::of, MinimalRatioExperiment::new);

    private static final Logger LOG = LogManager.getLogger(MinimalRatioExperiment.class);

    /** Every model of this experiment is float64: gradient norms near 1e-6 are rounding noise in float32. */
    static final Precision PRECISION = Precision.FLOAT64;

    /**
     * The settings of a run.
     *
     * @param function       the function fitted; configuration files name a built-in one
     * @param points         evenly spaced training points, both ends of the interval included
     * @param hiddenWidths   widths of the hidden layers
     * @param activation     of the hidden layers (tanh: smooth, so the Hessian exists everywhere)
     * @param runs           initialisations, one critical point each
     * @param epochs         each run trains for a number of epochs drawn uniformly from 0 to this, so that
     *                       searches start from every stage of training
     * @param batchSize      points per Adam step, at most {@code points}
     * @param learningRate   of Adam
     * @param searchSteps    step limit of the critical-point search
     * @param tolerance      gradient norm below which a search has converged
     * @param histogramBins  bins of the eigenvalue histogram
     */
    public record Settings(TargetFunction function, int points, List<Integer> hiddenWidths, Activation activation,
                           int runs, int epochs, int batchSize, double learningRate, int searchSteps,
                           double tolerance, int histogramBins) {

        /** A 1-16-16-1 network: 321 parameters (the full preset; quick uses 1-8-8-1). */
        public static final List<Integer> HIDDEN_WIDTHS_DEFAULT = List.of(16, 16);
        public static final double LEARNING_RATE_DEFAULT = 0.01;
        /** The default of {@link CriticalPointSearch} in float64. */
        public static final double TOLERANCE_DEFAULT = CriticalPointSearch.DEFAULT_TOLERANCE;
        /** The runs of the assignment. */
        public static final int FULL_RUNS = 100;

        public Settings {
            if (function == null) {
                throw new InvalidSettingException("function", null, "a function");
            }
            Check.between("points", points, 2, Limits.POINTS);
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            Check.between("runs", runs, 1, Limits.RUNS);
            Check.between("epochs", epochs, 0, Limits.EPOCHS);
            Check.between("batchSize", batchSize, 1, points);
            Check.positive("learningRate", learningRate);
            Check.between("searchSteps", searchSteps, 0, Limits.STEPS);
            Check.positive("tolerance", tolerance);
            Check.between("histogramBins", histogramBins, 1, Limits.HISTOGRAM_BINS);
            long parameters = Limits.denseParameters(1, hiddenWidths, 1);
            if (parameters > FullHessian.DEFAULT_MAX_PARAMETERS) {
                throw new InvalidSettingException("hiddenWidths", hiddenWidths, "widths of at most "
                        + FullHessian.DEFAULT_MAX_PARAMETERS + " parameters (a full Hessian each run), not "
                        + parameters);
            }
        }

        /**
         * About a minute and a half on two CPU cores: 12 runs of a 1-8-8-1 net (97 parameters) on 100 points of
         * sin(x), each trained for up to 300 epochs of 20 and searched for at most 100 steps (about 6 s a run).
         */
        public static Settings quick() {
            return new Settings(TargetFunction.SIN, 100, List.of(8, 8), Activation.TANH, 12, 300, 20,
                    LEARNING_RATE_DEFAULT, 100, TOLERANCE_DEFAULT, 40);
        }

        /**
         * The assignment's 100 runs of the 1-16-16-1 net (321 parameters) on 100 points of sin(x), each trained for
         * up to 500 epochs and searched for at most 200 steps: 30 to 60 minutes on two CPU cores.
         */
        public static Settings full() {
            return new Settings(TargetFunction.SIN, 100, HIDDEN_WIDTHS_DEFAULT, Activation.TANH, FULL_RUNS, 500,
                    20, LEARNING_RATE_DEFAULT, 200, TOLERANCE_DEFAULT, 60);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withRuns(int value) {
            return new Settings(function, points, hiddenWidths, activation, value, epochs, batchSize, learningRate,
                    searchSteps, tolerance, histogramBins);
        }

        /** The network: one input, the hidden widths, one output, mean squared error. */
        public ModelSpec spec() {
            return spec(hiddenWidths, activation);
        }

        private static ModelSpec spec(List<Integer> widths, Activation activation) {
            return ModelSpec.mlp(1, widths.stream().mapToInt(Integer::intValue).toArray(), 1, activation,
                    Loss.MEAN_SQUARED_ERROR);
        }
    }

    /**
     * What one run produced, the result of its trial; NaN values and a failure message where training or the
     * search failed (a run that fails is a point of the experiment, not a failed trial).
     *
     * @param index        the run, from 0
     * @param trainEpochs  epochs trained before the search
     * @param trainedLoss  the loss after training
     * @param loss         the loss at the point the search reached
     * @param gradientNorm the gradient norm there
     * @param converged    whether the search reached the tolerance
     * @param stop         why the search stopped
     * @param searchSteps  steps the search took
     * @param minimalRatio the fraction of positive Hessian eigenvalues there
     * @param negative     eigenvalues below zero
     * @param nearZero     eigenvalues counted as zero
     * @param positive     eigenvalues above zero
     * @param eigenvalues  every eigenvalue of the Hessian there, ascending
     * @param wallSeconds  how long the run took
     * @param failure      why the run failed; null when it did not
     */
    public record Run(int index, int trainEpochs, double trainedLoss, double loss, double gradientNorm,
                      boolean converged, String stop, int searchSteps, double minimalRatio, int negative,
                      int nearZero, int positive, double[] eigenvalues, double wallSeconds, String failure) {

        boolean succeeded() {
            return failure == null;
        }

        double minEigenvalue() {
            return eigenvalues.length == 0 ? Double.NaN : eigenvalues[0];
        }

        double maxEigenvalue() {
            return eigenvalues.length == 0 ? Double.NaN : eigenvalues[eigenvalues.length - 1];
        }
    }

    /** The seeds of one run, in the order it draws them: initial weights, batch order, epochs of training. */
    private record RunSeeds(long init, long shuffle, int epochs) {
    }

    public MinimalRatioExperiment(Settings settings) {
        super(TYPE, settings, Run.class);
    }

    /** The trial key of a run: {@code run-0}. */
    public static String key(int index) {
        return "run-" + index;
    }

    /** One trial per run, {@code run-0} to {@code run-<runs - 1>}. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>(settings.runs());
        for (int i = 0; i < settings.runs(); i++) {
            keys.add(key(i));
        }
        return keys;
    }

    /** The seeds of every run, drawn from the root seed in the order the runs would draw them one after the other. */
    private List<RunSeeds> seeds(ExperimentContext context) {
        SplittableRandom random = context.random();
        List<RunSeeds> seeds = new ArrayList<>(settings.runs());
        for (int i = 0; i < settings.runs(); i++) {
            SplittableRandom part = random.split();
            long init = part.nextLong();
            long shuffle = part.nextLong();
            seeds.add(new RunSeeds(init, shuffle, part.nextInt(settings.epochs() + 1)));
        }
        return seeds;
    }

    private Dataset data() {
        TargetFunction f = settings.function();
        return FunctionSampler.grid(f.name(), f::apply, f.from(), f.to(), settings.points());
    }

    /** One run: trains from its own initialisation, searches a critical point and decomposes its Hessian. */
    @Override
    public Run runTrial(String key, ExperimentContext context) {
        int index = trialKeys().indexOf(key);
        if (index < 0) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        CriticalPointSearch search = CriticalPointSearch.builder().tolerance(settings.tolerance())
                .maxSteps(settings.searchSteps()).build();
        Run run = run(context, index, data(), settings.spec(), search, seeds(context).get(index));
        LOG.info("run {}/{}: {}", index + 1, settings.runs(), run.succeeded()
                ? String.format(Locale.ROOT, "loss %.4g, |grad| %.2e%s, minimal ratio %.4f (%.1f s)", run.loss(),
                run.gradientNorm(), run.converged() ? "" : " (not converged)", run.minimalRatio(),
                run.wallSeconds())
                : "failed: " + run.failure());
        return run;
    }

    /** Writes the tables, the figures and the summary of every run. */
    @Override
    public ExperimentResult reduce(TrialResults<Run> trials, ExperimentContext context) throws IOException {
        TargetFunction f = settings.function();
        ModelSpec spec = settings.spec();
        LOG.info("{}: {} parameters, {} runs on {} points of {}", spec.describe(), spec.parameterCount(),
                settings.runs(), settings.points(), f.label());
        List<Run> runs = trials.values();

        OutputWriter out = context.output();
        writeCriticalPoints(out, runs);
        writeEigenvalues(out, runs);
        Run shown = histogramRun(runs);
        MinimalRatioFigures.write(out, settings, spec, runs, shown);

        double total = context.elapsedSeconds();
        List<Run> ok = runs.stream().filter(Run::succeeded).toList();
        long converged = ok.stream().filter(Run::converged).count();
        double lowRatio = ok.stream().mapToDouble(Run::minimalRatio).min().orElse(Double.NaN);
        double highRatio = ok.stream().mapToDouble(Run::minimalRatio).max().orElse(Double.NaN);
        double[] norms = ok.stream().mapToDouble(Run::gradientNorm).sorted().toArray();
        double medianNorm = norms.length == 0 ? Double.NaN : norms[norms.length / 2];

        Map<String, Object> summary = newSummary();
        summary.put("spec", spec.describe());
        summary.put("parameters", spec.parameterCount());
        summary.put("precision", PRECISION.configName());
        summary.put("zeroTolerance", HessianSpectrum.DEFAULT_TOLERANCE);
        summary.put("zeroToleranceMeaning", "an eigenvalue counts as zero when |lambda| <= zeroTolerance * "
                + "max|lambda|; the minimal ratio is the fraction of eigenvalues above that");
        Map<String, Object> aggregate = new LinkedHashMap<>();
        aggregate.put("runs", runs.size());
        aggregate.put("failed", runs.size() - ok.size());
        aggregate.put("converged", converged);
        aggregate.put("convergedFraction", runs.isEmpty() ? Double.NaN : (double) converged / runs.size());
        aggregate.put("minimalRatioMin", lowRatio);
        aggregate.put("minimalRatioMax", highRatio);
        aggregate.put("medianGradientNorm", medianNorm);
        aggregate.put("histogramRun", shown == null ? null : shown.index());
        summary.put("result", aggregate);
        summary.put("runs", runs.stream().map(MinimalRatioExperiment::runSummary).toList());
        summary.put("provenance", float64(context.provenance(DataSource.of("sampled: " + f.label() + " at "
                + settings.points() + " evenly spaced points of [" + f.from() + ", " + f.to() + "]", "train",
                settings.points()), total)));
        out.writeJson("summary.json", summary);

        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("converged fraction", runs.isEmpty() ? Double.NaN : (double) converged / runs.size());
        keyNumbers.put("minimal ratio min", lowRatio);
        keyNumbers.put("minimal ratio max", highRatio);
        keyNumbers.put("median gradient norm", medianNorm);
        context.results().printf(Locale.ROOT, "%s %d runs, %d parameters: %d converged (|grad| < %.0e), minimal "
                        + "ratio %.3f to %.3f, median |grad| %.2e  (%.1f s)%n", NAME, runs.size(),
                spec.parameterCount(), converged, settings.tolerance(), lowRatio, highRatio, medianNorm, total);
        context.results().flush();
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    private Run run(ExperimentContext context, int index, Dataset data, ModelSpec spec, CriticalPointSearch search,
                    RunSeeds seeds) {
        long initSeed = seeds.init();
        long shuffleSeed = seeds.shuffle();
        int epochs = seeds.epochs();
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(spec, PRECISION, initSeed)) {
            HessianOperator hessian = HessianOperator.of(model, data);
            if (epochs > 0) {
                model.train(data, OptimizerSpec.adam(settings.learningRate()),
                        TrainingConfig.of(epochs, settings.batchSize(), shuffleSeed, PRECISION), List.of());
            }
            double trainedLoss = hessian.lossAndGradient().loss();
            CriticalPoint cp = search.search(hessian);
            HessianSpectrum spectrum = FullHessian.compute(hessian).spectrum();
            HessianSpectrum.SignCounts signs = spectrum.signCounts();
            return new Run(index, epochs, trainedLoss, cp.loss(), cp.gradientNorm(), cp.converged(),
                    cp.stop().name().toLowerCase(Locale.ROOT), cp.steps(), spectrum.minimalRatio(), signs.negative(),
                    signs.nearZero(), signs.positive(), spectrum.eigenvalues(), (System.nanoTime() - start) / 1e9,
                    null);
        } catch (TrainingDivergedException | ArithmeticException e) {
            LOG.warn("run {}: {}", index, e.getMessage());
            return new Run(index, epochs, Double.NaN, Double.NaN, Double.NaN, false, "failed", 0, Double.NaN, 0, 0,
                    0, new double[0], (System.nanoTime() - start) / 1e9, e.getMessage());
        }
    }

    /** The converged run of lowest loss, else the successful run of smallest gradient norm; null if none. */
    static Run histogramRun(List<Run> runs) {
        Run best = null;
        for (Run r : runs) {
            if (!r.succeeded()) {
                continue;
            }
            if (best == null || (r.converged() && !best.converged())
                    || (r.converged() == best.converged() && (r.converged() ? r.loss() < best.loss()
                    : r.gradientNorm() < best.gradientNorm()))) {
                best = r;
            }
        }
        return best;
    }

    private static void writeCriticalPoints(OutputWriter out, List<Run> runs) throws IOException {
        CsvTable table = CsvTable.of("run", "train_epochs", "trained_loss", "loss", "gradient_norm", "converged",
                "stop", "search_steps", "minimal_ratio", "negative", "near_zero", "positive", "min_eigenvalue",
                "max_eigenvalue", "wall_seconds", "status");
        for (Run r : runs) {
            table.add(r.index(), r.trainEpochs(), r.trainedLoss(), r.loss(), r.gradientNorm(), r.converged(),
                    r.stop(), r.searchSteps(), r.minimalRatio(), r.negative(), r.nearZero(), r.positive(),
                    r.minEigenvalue(), r.maxEigenvalue(), r.wallSeconds(), r.succeeded() ? "ok" : r.failure());
        }
        out.writeCsv("critical-points.csv", table);
    }

    private static void writeEigenvalues(OutputWriter out, List<Run> runs) throws IOException {
        CsvTable table = CsvTable.of("run", "index", "eigenvalue");
        for (Run r : runs) {
            for (int i = 0; i < r.eigenvalues().length; i++) {
                table.add(r.index(), i, r.eigenvalues()[i]);
            }
        }
        out.writeCsv("eigenvalues.csv", table);
    }

    private static Map<String, Object> runSummary(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.index());
        m.put("trainEpochs", r.trainEpochs());
        m.put("trainedLoss", r.trainedLoss());
        m.put("loss", r.loss());
        m.put("gradientNorm", r.gradientNorm());
        m.put("converged", r.converged());
        m.put("stop", r.stop());
        m.put("searchSteps", r.searchSteps());
        m.put("minimalRatio", r.minimalRatio());
        m.put("negative", r.negative());
        m.put("nearZero", r.nearZero());
        m.put("positive", r.positive());
        m.put("minEigenvalue", r.minEigenvalue());
        m.put("maxEigenvalue", r.maxEigenvalue());
        m.put("wallSeconds", r.wallSeconds());
        m.put("status", r.succeeded() ? "ok" : r.failure());
        return m;
    }

    /** The context's provenance with this experiment's own precision. */
    private static Provenance float64(Provenance p) {
        return new Provenance(p.seed(), p.backend(), PRECISION.configName(), p.deterministic(), p.java(), p.os(),
                p.losslab(), p.data(), p.startedAt(), p.wallSeconds());
    }

    /** Equal-width bins from the smallest to the largest value: {@code [edges, counts]}. */
    static double[][] histogram(double[] values, int bins) {
        double lo = Arrays.stream(values).min().orElse(0);
        double hi = Arrays.stream(values).max().orElse(0);
        if (hi <= lo) {
            hi = lo + 1;
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = lo + (hi - lo) * i / bins;
        }
        double[] counts = new double[bins];
        for (double v : values) {
            int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
            counts[Math.min(Math.max(b, 0), bins - 1)]++;
        }
        return new double[][] {edges, counts};
    }
}
