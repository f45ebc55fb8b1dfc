package io.github.losslab.app.experiment.hessianspectrum;

import io.github.losslab.analysis.hessian.BlockHessian;
import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.LanczosEigensolver;
import io.github.losslab.analysis.hessian.LanczosResult;
import io.github.losslab.analysis.hessian.ParameterBlock;
import io.github.losslab.analysis.hessian.SpectralDensity;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.flatness.Classifier;
import io.github.losslab.app.experiment.training.MnistExperiment;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.MnistSettings;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.SeedKey;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;

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
 * The eigenvalue spectrum of an MNIST network's Hessian at initialization and after training (Sagun, Bottou and
 * LeCun, "Eigenvalues of the Hessian in deep learning: singularity and beyond", 2017; Sagun, Evci, Güney, Dauphin
 * and Bottou, "Empirical analysis of the Hessian of over-parametrized neural networks", 2018; Papyan, "Measurements
 * of three-level hierarchical structure in the outliers in the spectrum of deepnet Hessians", ICML 2019; Ghorbani,
 * Krishnan and Xiao, "An investigation into neural net optimization via Hessian eigenvalue density", ICML 2019).
 * For each seed, one ReLU MLP is measured before and after training on the same training samples: the top
 * eigenvalues of the Hessian of its training loss (Lanczos), and the eigenvalue density (stochastic Lanczos
 * quadrature) of the whole Hessian and of each layer's diagonal block ({@link BlockHessian}).
 *
 * <p>The claim tested over the seeds: after training the spectrum is a bulk near zero and a few outliers, about as
 * many as there are classes ({@code C - 1} or {@code C}). Its statistic per seed ({@link #gap}) compares the gaps
 * between consecutive top eigenvalues: {@code log10} of the largest ratio {@code lambda_k / lambda_{k+1}} with
 * {@code k} in {@code [C - 2, C + 1]} over the largest ratio at any other {@code k} among the top ones, above 0
 * when the widest gap of the top of the spectrum separates about {@code C} outliers from the rest. The same
 * statistic at initialization is reported beside it: there the top eigenvalues decay smoothly.
 *
 * <p>Writes into {@code <out>/hessian-spectrum/}: {@code density.png}/{@code .svg} (the densities of the whole
 * Hessian and of each layer's block at initialization and after training on a log density axis, mean over the seeds
 * with a band of one standard deviation, the outliers found by Lanczos marked), {@code top-eigenvalues.png}/
 * {@code .svg} (the top eigenvalues against their index), {@code density.csv}, {@code eigenvalues.csv} and
 * {@code summary.json} (per seed: the top eigenvalues, the outlier count and the statistic at both stages, each
 * block's trace; the verdict; settings; provenance). One trial per seed: {@code mnist.seed-0}, ....
 */
public final class HessianSpectrumExperiment extends MnistExperiment<HessianSpectrumExperiment.Settings,
        HessianSpectrumExperiment.Spectra> {

    /** The name the command line knows. */
    public static final String NAME = "hessian-spectrum";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "the Hessian's eigenvalue density and top eigenvalues of an MNIST MLP at initialization and after "
                    + "training, whole and per layer (Sagun et al.; Papyan; Ghorbani et al.)",
            Settings.class, Settings::of, HessianSpectrumExperiment::new).withExplanation("""
            Sagun et al. (2017, 2018), Papyan (2019) and Ghorbani et al. (2019) found that the Hessian of a \
            trained classifier's loss has a bulk of eigenvalues near zero and a few large outliers, about as many \
            as there are classes. Here an MNIST MLP is measured before and after training, over several seeds: \
            its top eigenvalues by Lanczos, and the eigenvalue density by stochastic Lanczos quadrature, of the \
            whole Hessian and of each layer's diagonal block (its kernel and bias).

            The density figure shows each density on a log axis (mean over the seeds, band of one standard \
            deviation), with the outliers after training marked; the second figure shows the top eigenvalues \
            against their index, where the outliers end in a gap. The verdict tests, over the seeds, whether the \
            widest gap between consecutive top eigenvalues after training lies between the C-2nd and the C+1st \
            (C classes): log10 of that gap's ratio over the widest other one, claimed above 0.""");

    /** The trials' point name. */
    static final String POINT = "mnist";
    /** Relative Ritz residual of the top eigenvalues: enough to place the gaps, which are ratios of 1.1 and more. */
    static final double LANCZOS_TOLERANCE = 1e-3;
    /** Points of each drawn density. */
    static final int DENSITY_POINTS = 1000;

    /**
     * The settings of a run.
     *
     * @param hiddenWidths   widths of the ReLU hidden layers
     * @param trainSamples   training samples (a stratified random subset); 0 for all
     * @param epochs         passes over the training samples
     * @param batchSize      samples per optimizer step
     * @param optimizer      the optimizer
     * @param learningRate   its learning rate
     * @param hessianSamples training samples the Hessian of the mean loss is taken over
     * @param topEigenvalues how many of the largest eigenvalues Lanczos finds (at least the classes + 3)
     * @param densityProbes  random probes of each density
     * @param densitySteps   Lanczos steps per probe (Ghorbani et al. use 90)
     * @param seeds          repetitions, each with its own initialization, sample order and probes
     */
    public record Settings(List<Integer> hiddenWidths, int trainSamples, int epochs, int batchSize,
                           OptimizerKind optimizer, double learningRate, int hessianSamples, int topEigenvalues,
                           int densityProbes, int densitySteps, int seeds) implements MnistSettings {

        public static final int TOP_EIGENVALUES_DEFAULT = 20;

        public Settings {
            hiddenWidths = Check.hiddenWidths("hiddenWidths", hiddenWidths);
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("epochs", epochs, 1, Limits.EPOCHS);
            Check.between("batchSize", batchSize, 1, Limits.SAMPLES);
            if (optimizer == null) {
                throw new InvalidSettingException("optimizer", null, "sgd or adam");
            }
            Check.positive("learningRate", learningRate);
            Check.between("hessianSamples", hessianSamples, 1, Limits.SAMPLES);
            Check.between("topEigenvalues", topEigenvalues, 3, Limits.STEPS);
            Check.between("densityProbes", densityProbes, 1, Limits.RUNS);
            Check.between("densitySteps", densitySteps, 2, Limits.STEPS);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About half a minute on two CPU cores, two trials at once: a 784-32-10 MLP (25,450 parameters) trained
         * with Adam for 20 epochs on 2,000 digits, its Hessian on 500 of them: the top 20 eigenvalues, densities of
         * 3 probes of 60 steps; 3 seeds.
         */
        public static Settings quick() {
            return new Settings(List.of(32), 2_000, 20, 64, OptimizerKind.ADAM, 1e-3, 500, TOP_EIGENVALUES_DEFAULT,
                    3, 60, 3);
        }

        /**
         * The 784-128-10 MLP (101,770 parameters) for 30 epochs on all training digits, its Hessian on 2,000: the
         * top 20 eigenvalues, densities of 5 probes of 90 steps (Ghorbani et al.'s); 5 seeds.
         */
        public static Settings full() {
            return new Settings(Classifier.HIDDEN_WIDTHS_DEFAULT, MnistInput.ALL, 30, 64, OptimizerKind.ADAM, 1e-3,
                    2_000, TOP_EIGENVALUES_DEFAULT, 5, 90, 5);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** These settings with another network, training set, training length and Hessian sample. */
        public Settings withSize(List<Integer> widths, int newTrainSamples, int newEpochs, int newHessianSamples) {
            return new Settings(widths, newTrainSamples, newEpochs, batchSize, optimizer, learningRate,
                    newHessianSamples, topEigenvalues, densityProbes, densitySteps, seeds);
        }

        /** These settings with other Lanczos and density sizes. */
        public Settings withSpectra(int top, int probes, int steps) {
            return new Settings(hiddenWidths, trainSamples, epochs, batchSize, optimizer, learningRate,
                    hessianSamples, top, probes, steps, seeds);
        }

        public Settings withLearningRate(double value) {
            return new Settings(hiddenWidths, trainSamples, epochs, batchSize, optimizer, value, hessianSamples,
                    topEigenvalues, densityProbes, densitySteps, seeds);
        }

        public Settings withSeeds(int value) {
            return new Settings(hiddenWidths, trainSamples, epochs, batchSize, optimizer, learningRate,
                    hessianSamples, topEigenvalues, densityProbes, densitySteps, value);
        }
    }

    /**
     * One density as its quadrature: per probe, the Ritz values (nodes) and their weights.
     *
     * @param block      the parameter block: {@code all} or {@code layer0}, {@code layer1}, ...
     * @param parameters its size
     * @param method     how the Hessian-vector products were computed
     * @param precision  the model's precision
     */
    public record Quadrature(String block, int parameters, double[][] nodes, double[][] weights,
                             CurvatureMethod method, Precision precision) {

        SpectralDensity density() {
            return SpectralDensity.of(parameters, nodes, weights, method, precision);
        }
    }

    /**
     * The spectrum of one model at one stage.
     *
     * @param loss      mean training loss over the training samples
     * @param accuracy  training accuracy
     * @param top       the largest eigenvalues, largest first
     * @param converged whether Lanczos met its tolerance for all of them
     * @param densities the whole Hessian's density, then each layer's block's
     */
    public record Stage(double loss, double accuracy, double[] top, boolean converged, List<Quadrature> densities) {
    }

    /**
     * One seed's trial: the model at initialization and after training.
     *
     * @param testAccuracy the trained model's accuracy on the test split
     * @param wallSeconds  the whole trial
     */
    public record Spectra(int seed, Stage initial, Stage trained, double testAccuracy, double wallSeconds) {
    }

    public HessianSpectrumExperiment(Settings settings) {
        super(TYPE, settings, Spectra.class);
    }

    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        MnistInput.SplitSize train = MnistInput.checkSizes(context, settings.trainSamples(), MnistInput.ALL).train();
        train.samples("hessianSamples", settings.hessianSamples());
        MnistInput.checkDense(context, "hiddenWidths", settings.hiddenWidths());
        int classes = context.mnist().train().classes();
        if (settings.topEigenvalues() < classes + 3) {
            throw new InvalidSettingException("topEigenvalues", settings.topEigenvalues(), "at least " + (classes + 3)
                    + " (the data's " + classes + " classes + 3), so that gaps beyond the class count are compared");
        }
    }

    @Override
    public List<String> trialKeys() {
        return SeedKey.keys(List.of(POINT), settings.seeds());
    }

    /** The data every seed shares: the training subset and the Hessian's samples, from the root seed. */
    private record Setup(MnistInput data, Dataset probe, ModelSpec spec) {
    }

    private Setup setup(ExperimentContext context) throws IOException {
        SplittableRandom random = context.random();
        MnistInput data = loadData(context, random);
        Dataset probe = MnistInput.cut(data.train(), settings.hessianSamples(), random.split().nextLong());
        return new Setup(data, probe, Classifier.mlp(data, settings.hiddenWidths()));
    }

    /** One seed: measures the model at initialization, trains it, measures it again. */
    @Override
    public Spectra runTrial(String key, ExperimentContext context) throws IOException {
        int seed = seedKey(key).seed();
        long start = System.nanoTime();
        Setup setup = setup(context);
        SplittableRandom random = context.random(seed);
        long init = random.nextLong();
        TrainingConfig config = TrainingConfig.of(settings.epochs(), settings.batchSize(), random.nextLong(),
                context.precision());
        context.progress().plan(settings.epochs());
        try (Model model = context.backend().createModel(setup.spec(), context.precision(), init)) {
            Stage initial = measure(model, setup, random.split());
            model.train(setup.data().train(), settings.optimizer().spec(settings.learningRate()), config,
                    List.of(context.progress().training(Classifier.describe(setup.spec()) + ", seed " + seed,
                            settings.epochs())));
            Stage trained = measure(model, setup, random.split());
            double test = model.evaluate(setup.data().test(), EnumSet.of(Metric.ACCURACY)).get(Metric.ACCURACY);
            return new Spectra(seed, initial, trained, test, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The top eigenvalues and the densities of the whole Hessian and of each layer's block, at the model's point. */
    private Stage measure(Model model, Setup setup, SplittableRandom random) {
        Map<Metric, Double> m = model.evaluate(setup.data().train(), EnumSet.of(Metric.LOSS, Metric.ACCURACY));
        HessianOperator op = HessianOperator.of(model, setup.probe(), setup.probe().size());
        LanczosResult top = LanczosEigensolver.builder().top(Math.min(settings.topEigenvalues(), op.dimension()))
                .tolerance(LANCZOS_TOLERANCE).seed(random.nextLong()).build().solve(op);
        List<ParameterBlock> blocks = new ArrayList<>();
        blocks.add(ParameterBlock.whole(model.layout()));
        blocks.addAll(ParameterBlock.perLayer(model.layout()));
        List<Quadrature> densities = new ArrayList<>();
        for (ParameterBlock b : blocks) {
            SpectralDensity d = SpectralDensity.estimate(BlockHessian.of(op, b), settings.densityProbes(),
                    Math.min(settings.densitySteps(), b.size()), random.nextLong());
            double[][] nodes = new double[d.probes()][];
            double[][] weights = new double[d.probes()][];
            for (int p = 0; p < d.probes(); p++) {
                nodes[p] = d.nodes(p);
                weights[p] = d.weights(p);
            }
            densities.add(new Quadrature(b.name(), b.size(), nodes, weights, d.curvatureMethod(), d.precision()));
        }
        return new Stage(m.get(Metric.LOSS), m.get(Metric.ACCURACY), top.top(), top.converged(), densities);
    }

    /**
     * How the top of a spectrum splits into outliers and the rest, for {@code classes} classes.
     *
     * @param outliers    the number of eigenvalues above the widest gap: the {@code k} of the largest
     *                    {@code lambda_k / lambda_{k+1}}
     * @param atClasses   the largest ratio with {@code k} in {@code [C - 2, C + 1]}
     * @param elsewhere   the largest ratio at any other {@code k}
     * @param statistic   {@code log10(atClasses / elsewhere)}: above 0 when the widest gap separates about
     *                    {@code C} outliers
     */
    record Gap(int outliers, double atClasses, double elsewhere, double statistic) {
    }

    /**
     * The gaps of {@code top} (largest first; ratios are taken between positive eigenvalues only, NaN
     * elsewhere), with the window {@code [C - 2, C + 1]} of the outlier counts the claim allows.
     */
    static Gap gap(double[] top, int classes) {
        int best = 0;
        double bestRatio = Double.NEGATIVE_INFINITY;
        double at = Double.NaN;
        double elsewhere = Double.NaN;
        for (int k = 1; k < top.length; k++) {
            double r = top[k] > 0 ? top[k - 1] / top[k] : Double.NaN;
            if (!Double.isFinite(r)) {
                continue;
            }
            if (r > bestRatio) {
                bestRatio = r;
                best = k;
            }
            if (k >= classes - 2 && k <= classes + 1) {
                at = Double.isNaN(at) ? r : Math.max(at, r);
            } else {
                elsewhere = Double.isNaN(elsewhere) ? r : Math.max(elsewhere, r);
            }
        }
        return new Gap(best, at, elsewhere, Math.log10(at / elsewhere));
    }

    @Override
    public ExperimentResult reduce(TrialResults<Spectra> trials, ExperimentContext context) throws IOException {
        Setup setup = setup(context);
        int classes = setup.data().train().classes();
        List<Spectra> seeds = trials.values();
        OutputWriter out = context.output();

        double[] trainedStat = new double[settings.seeds()];
        double[] initialStat = new double[settings.seeds()];
        Arrays.fill(trainedStat, Double.NaN);
        Arrays.fill(initialStat, Double.NaN);
        CsvTable eigenvalues = CsvTable.of("seed", "stage", "index", "eigenvalue", "ratio_to_next");
        List<Map<String, Object>> perSeed = new ArrayList<>();
        for (Spectra s : seeds) {
            Gap gi = gap(s.initial().top(), classes);
            Gap gt = gap(s.trained().top(), classes);
            initialStat[s.seed()] = gi.statistic();
            trainedStat[s.seed()] = gt.statistic();
            for (String stage : HessianSpectrumFigures.STAGES) {
                double[] top = stage(s, stage).top();
                for (int k = 0; k < top.length; k++) {
                    eigenvalues.add(s.seed(), stage, k + 1, top[k], k + 1 < top.length ? top[k] / top[k + 1]
                            : Double.NaN);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", s.seed());
            m.put("initial", stageSummary(s.initial(), gi));
            m.put("trained", stageSummary(s.trained(), gt));
            m.put("testAccuracy", s.testAccuracy());
            m.put("wallSeconds", s.wallSeconds());
            perSeed.add(m);
            context.results().printf(Locale.ROOT, "%s seed %d: train accuracy %.1f%% -> %.1f%%, λ_max %.4g -> %.4g,"
                            + " outliers (widest gap) %d -> %d, statistic %.3f -> %.3f  (%.1f s)%n", NAME, s.seed(),
                    100 * s.initial().accuracy(), 100 * s.trained().accuracy(), s.initial().top()[0],
                    s.trained().top()[0], gi.outliers(), gt.outliers(), gi.statistic(), gt.statistic(),
                    s.wallSeconds());
        }
        out.writeCsv("eigenvalues.csv", eigenvalues);

        Verdict verdict = verdict(seeds, classes, trainedStat, initialStat);
        context.results().println(verdict);
        context.results().flush();

        String subtitle = String.format(Locale.ROOT, "%s (%,d parameters), %s lr %s, %d epochs on %,d "
                        + "digits; Hessian on %,d", Classifier.describe(setup.spec()), setup.spec().parameterCount(),
                settings.optimizer().label(), settings.learningRate(), settings.epochs(), setup.data().train().size(),
                setup.probe().size());
        if (!seeds.isEmpty()) {
            out.writeCsv("density.csv", HessianSpectrumFigures.densities(out, seeds, classes, subtitle,
                    settings.densityProbes(), settings.densitySteps()));
            HessianSpectrumFigures.topEigenvalues(out, seeds, classes, subtitle);
        }

        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("outliers after training (widest gap, mean over seeds)", seeds.stream()
                .mapToDouble(s -> gap(s.trained().top(), classes).outliers()).average().orElse(Double.NaN));
        keyNumbers.put("largest eigenvalue after training (mean)", seeds.stream()
                .mapToDouble(s -> s.trained().top()[0]).average().orElse(Double.NaN));
        keyNumbers.put("gap statistic after training (mean)", Verdict.Summary.of(trainedStat).mean());

        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("spec", setup.spec().describe());
        summary.put("parameters", setup.spec().parameterCount());
        summary.put("classes", classes);
        summary.put("hessianSamples", setup.probe().size());
        summary.put("seeds", perSeed);
        summary.put("gapStatisticAtInitialization", initialStat);
        summary.put("verdicts", List.of(verdict.toMap()));
        summary.put("provenance", context.provenance(setup.data().source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    static Stage stage(Spectra s, String name) {
        return name.equals(HessianSpectrumFigures.INITIAL) ? s.initial() : s.trained();
    }

    private static Map<String, Object> stageSummary(Stage s, Gap g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainLoss", s.loss());
        m.put("trainAccuracy", s.accuracy());
        m.put("topEigenvalues", s.top());
        m.put("lanczosConverged", s.converged());
        m.put("outliers", g.outliers());
        m.put("gapAtClassCount", g.atClasses());
        m.put("gapElsewhere", g.elsewhere());
        m.put("gapStatistic", g.statistic());
        Map<String, Object> blocks = new LinkedHashMap<>();
        for (Quadrature q : s.densities()) {
            SpectralDensity d = q.density();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("parameters", q.parameters());
            b.put("trace", d.mean() * q.parameters());
            b.put("largestNode", d.maxNode());
            b.put("smallestNode", d.minNode());
            blocks.put(q.block(), b);
        }
        m.put("blocks", blocks);
        return m;
    }

    private Verdict verdict(List<Spectra> seeds, int classes, double[] trained, double[] initial) {
        double outliers = seeds.stream().mapToDouble(s -> gap(s.trained().top(), classes).outliers()).average()
                .orElse(Double.NaN);
        double ratio = seeds.stream().mapToDouble(s -> gap(s.trained().top(), classes).atClasses()).average()
                .orElse(Double.NaN);
        double before = Verdict.Summary.of(initial).mean();
        double after = Verdict.Summary.of(trained).mean();
        double accuracy = seeds.stream().mapToDouble(s -> s.trained().accuracy()).average().orElse(Double.NaN);
        String seen = String.format(Locale.ROOT, "After training (training accuracy %.1f%% on average) the widest "
                        + "gap among the top %d eigenvalues separates %.1f outliers on average (C = %d classes), with "
                        + "λ_k/λ_{k+1} = %.2f there; at initialization the same statistic is %.3f on average%s",
                100 * accuracy, settings.topEigenvalues(), outliers, classes, ratio, before,
                after > 0 && after > before ? ", so the outliers come with training." : ".");
        String why = after > 0 ? "" : " The outliers come from the class structure of the gradients (Papyan 2019) "
                + "and stand apart from the bulk once the training fits its classes: Sagun et al. and Papyan measure "
                + "networks near zero training loss. More epochs bring the model there; on data whose classes "
                + "overlap, such as Fashion-MNIST's shirts, T-shirts, pullovers and coats, the top eigenvalues may "
                + "decay without a gap at C at all (see the README's full-preset table).";
        return Verdict.test("After training, the Hessian's spectrum is a bulk near zero and about as many outliers "
                        + "as classes (C-1 or C)", "Sagun et al. 2017, 2018; Papyan 2019",
                "log10(largest λ_k/λ_{k+1} with k in [C-2, C+1] / largest at any other k among the top "
                        + settings.topEigenvalues() + "), after training", trained, Verdict.Direction.ABOVE, 0,
                seen + why);
    }
}
