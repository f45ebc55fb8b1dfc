package io.github.losslab.app.experiment.fitfunction;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterBudget;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.DataSource;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.Provenance;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.SeedKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deep vs shallow on a simulated function (assignment part 1-1): fully connected ReLU networks of different depth
 * but the same number of parameters (within 1%) are trained with mean squared error to fit a function of one
 * variable, with SGD and with Adam. Depth pays on functions with many oscillations: with the same budget, deeper
 * networks represent exponentially more linear pieces (Montúfar et al. 2014; Telgarsky 2016). Every training is
 * repeated over {@link Settings#seeds()} seeds (initial parameters and sample order), and for every function the
 * claim is tested with a {@link Verdict}: per seed, {@code log10(MSE of the shallowest / MSE of the deepest)} after
 * training with Adam (or the first optimizer when Adam is not trained), claimed above 0. It is expected on
 * sin(5πx), not on a function that a shallow network fits as well, such as x³.
 *
 * <p>Writes, per function, into {@code <out>/fit-function/<function>/}: {@code loss.png}/{@code .svg} (training
 * loss of every model per epoch: the mean over the seeds with a band of ± one standard deviation),
 * {@code prediction.png}/{@code .svg} (the function with every model's prediction, first seed),
 * {@code history.csv} (the loss per epoch and seed), {@code predictions.csv} (the data of the prediction figure)
 * and {@code summary.json} (settings, each model's spec, parameter count, final loss per seed and wall time, the
 * verdict, and provenance), with {@code saveModels} the first seed's trained models in {@code models/<model>/};
 * and a {@code summary.json} of all functions with their verdicts in {@code <out>/fit-function/}.
 *
 * <p>Each model trained with each optimizer on each function is one trial and seed (key
 * {@code cube.2-hidden-layers-adam.seed-1}), whose {@link FitResult} is kept in {@code trials/}; the figures, tables, saved
 * models and summaries are made from those results.
 */
public final class FitFunctionExperiment
        extends TrialExperiment<FitFunctionExperiment.Settings, FitFunctionExperiment.FitResult> {

    /** The name the command line knows. */
    public static final String NAME = "fit-function";
    /** The directory under a function's where {@code save-models} saves the trained models. */
    public static final String MODELS = "models";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "deep vs shallow: ReLU nets of 1, 2 and 4 hidden layers and one parameter budget fit x³ and sin(5πx)",
            Settings.class, Settings::of, FitFunctionExperiment::new).withExplanation("""
            Fully connected ReLU networks with 1, 2 and 4 hidden layers, each sized to the same number of \
            parameters (within 1%), are trained with mean squared error to fit functions of one variable, with SGD \
            and with Adam from the same initial parameters. With the same budget a deeper network can represent \
            exponentially more linear pieces (Montúfar et al. 2014; Telgarsky 2016).

            Read the figures per function: the loss curves show how fast and how far each depth gets; the \
            prediction panels show what each model learned. A smooth function such as x³ is fitted by every depth; \
            on an oscillating one such as sin(5πx), the deeper models follow more of the oscillations. Every \
            training is repeated over several seeds (the loss curves show the mean and a band of one standard \
            deviation), and the verdict of each function tests whether the deepest model ends with a lower mean \
            squared error than the shallowest, with Adam: log10(MSE shallow / MSE deep) above 0.""");

    private static final Logger LOG = LogManager.getLogger(FitFunctionExperiment.class);

    /**
     * The settings of a run.
     *
     * @param functions        the functions to fit; configuration files name built-in ones
     *                         ({@link TargetFunction#BUILT_IN}), Java callers may add any
     * @param points           evenly spaced training points per function, both ends of the interval included
     * @param parameterBudget  the parameter count every model is sized to (within 1%)
     * @param hiddenLayers     the depths, one model each
     * @param activation       of the hidden layers (ReLU in the assignment)
     * @param optimizers       every model is trained with each of these, from the same initial parameters
     * @param sgdLearningRate  learning rate of SGD
     * @param adamLearningRate learning rate of Adam
     * @param epochs           passes over the training points
     * @param batchSize        points per optimizer step, at most {@code points}
     * @param plotPoints       evenly spaced points at which predictions are plotted
     * @param saveModels       save the first seed's trained models ({@code ModelIo}: {@code model.json} and
     *                         {@code params.npz}) into {@code <function>/models/<model>/}, for
     *                         {@code losslab hessian --model}
     * @param seeds            repetitions of every training, each with its own initial parameters and sample order
     */
    public record Settings(List<TargetFunction> functions, int points, int parameterBudget,
                           List<Integer> hiddenLayers, Activation activation, List<OptimizerKind> optimizers,
                           double sgdLearningRate, double adamLearningRate, int epochs, int batchSize,
                           int plotPoints, boolean saveModels, int seeds) {

        /** The assignment's functions. */
        public static final List<TargetFunction> FUNCTIONS_DEFAULT = List.of(TargetFunction.CUBE,
                TargetFunction.SIN_5PI_X);
        /** Parameters of every model. */
        public static final int PARAMETER_BUDGET_DEFAULT = 1000;
        /** A shallow, a middle and a deep model. */
        public static final List<Integer> HIDDEN_LAYERS_DEFAULT = List.of(1, 2, 4);
        /** The learning rates of the reference solution. */
        public static final double SGD_LEARNING_RATE_DEFAULT = 0.01;
        public static final double ADAM_LEARNING_RATE_DEFAULT = 0.001;
        /** Points of the assignment. */
        public static final int FULL_POINTS = 40_000;
        /** Largest relative spread of the models' parameter counts. */
        public static final double TOLERANCE = 0.01;

        public Settings {
            functions = Check.notEmpty("functions", functions);
            if (functions.stream().map(TargetFunction::name).distinct().count() != functions.size()) {
                throw new InvalidSettingException("functions", functions, "functions with distinct names");
            }
            Check.between("points", points, 2, Limits.POINTS);
            hiddenLayers = Check.distinct("hiddenLayers", Check.allBetween("hiddenLayers", hiddenLayers, 1,
                    Limits.LAYERS));
            if (activation == null) {
                throw new InvalidSettingException("activation", null, "an activation");
            }
            optimizers = Check.distinct("optimizers", optimizers);
            Check.positive("sgdLearningRate", sgdLearningRate);
            Check.positive("adamLearningRate", adamLearningRate);
            Check.between("epochs", epochs, 1, Limits.EPOCHS);
            Check.between("batchSize", batchSize, 1, points);
            Check.between("plotPoints", plotPoints, 2, Limits.PLOT_POINTS);
            int deepest = hiddenLayers.stream().mapToInt(Integer::intValue).max().orElseThrow();
            long minimum = minimumBudget(deepest);
            if (parameterBudget < minimum || parameterBudget > Limits.PARAMETERS) {
                throw new InvalidSettingException("parameterBudget", parameterBudget, "an integer in [" + minimum
                        + ", " + Limits.PARAMETERS + "] (at least the smallest model of " + deepest + " hidden layer"
                        + (deepest == 1 ? "" : "s") + ")");
            }
            checkSpread(parameterBudget, models(hiddenLayers, parameterBudget, activation));
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /**
         * About 40 seconds on two CPU cores: 2,000 points, 150 epochs of mini-batches of 64 (4,800 steps per model),
         * Adam only (the optimizer of the depth claim; SGD doubles the time and is in the full preset), three seeds.
         * Every x³ model reaches a mean squared error of about 0.001 or less; on sin(5πx) the deep model follows
         * more of the oscillations (MSE 0.16 to 0.24 over three seeds against 0.44 for the shallow one).
         */
        public static Settings quick() {
            return new Settings(FUNCTIONS_DEFAULT, 2_000, PARAMETER_BUDGET_DEFAULT, HIDDEN_LAYERS_DEFAULT,
                    Activation.RELU, List.of(OptimizerKind.ADAM), SGD_LEARNING_RATE_DEFAULT,
                    ADAM_LEARNING_RATE_DEFAULT, 150, 64, 1_001, false, 3);
        }

        /**
         * The assignment's scale: 40,000 points per function, 100 epochs of mini-batches of 64 (62,500 steps per
         * model), both optimizers, five seeds: one to two hours on two CPU cores.
         */
        public static Settings full() {
            return new Settings(FUNCTIONS_DEFAULT, FULL_POINTS, PARAMETER_BUDGET_DEFAULT, HIDDEN_LAYERS_DEFAULT,
                    Activation.RELU, List.of(OptimizerKind.SGD, OptimizerKind.ADAM), SGD_LEARNING_RATE_DEFAULT,
                    ADAM_LEARNING_RATE_DEFAULT, 100, 64, 2_001, false, 5);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        public Settings withFunctions(List<TargetFunction> value) {
            return new Settings(value, points, parameterBudget, hiddenLayers, activation, optimizers,
                    sgdLearningRate, adamLearningRate, epochs, batchSize, plotPoints, saveModels, seeds);
        }

        public Settings withTraining(int newPoints, int newEpochs, int newBatchSize) {
            return new Settings(functions, newPoints, parameterBudget, hiddenLayers, activation, optimizers,
                    sgdLearningRate, adamLearningRate, newEpochs, newBatchSize, plotPoints, saveModels, seeds);
        }

        public Settings withOptimizers(List<OptimizerKind> value) {
            return new Settings(functions, points, parameterBudget, hiddenLayers, activation, value,
                    sgdLearningRate, adamLearningRate, epochs, batchSize, plotPoints, saveModels, seeds);
        }

        public Settings withSaveModels(boolean value) {
            return new Settings(functions, points, parameterBudget, hiddenLayers, activation, optimizers,
                    sgdLearningRate, adamLearningRate, epochs, batchSize, plotPoints, value, seeds);
        }

        public Settings withSeeds(int value) {
            return new Settings(functions, points, parameterBudget, hiddenLayers, activation, optimizers,
                    sgdLearningRate, adamLearningRate, epochs, batchSize, plotPoints, saveModels, value);
        }

        /** The optimizer the depth claim is tested with: Adam when it is trained, else the first. */
        public OptimizerKind claimOptimizer() {
            return optimizers.contains(OptimizerKind.ADAM) ? OptimizerKind.ADAM : optimizers.get(0);
        }

        /** The optimizer of this kind with its configured learning rate. */
        public OptimizerSpec optimizer(OptimizerKind kind) {
            return kind.spec(kind == OptimizerKind.SGD ? sgdLearningRate : adamLearningRate);
        }

        /** One model per depth, each sized to the parameter budget, one input, one output, mean squared error. */
        public List<ModelSpec> models() {
            return models(hiddenLayers, parameterBudget, activation);
        }

        private static List<ModelSpec> models(List<Integer> hiddenLayers, int parameterBudget,
                                              Activation activation) {
            List<ModelSpec> specs = new ArrayList<>();
            for (int depth : hiddenLayers) {
                specs.add(ParameterBudget.mlp(1, 1, depth, parameterBudget, activation, Loss.MEAN_SQUARED_ERROR));
            }
            return specs;
        }

        /** Refuses a budget at which the depths' parameter counts differ by more than {@link #TOLERANCE}. */
        private static void checkSpread(int parameterBudget, List<ModelSpec> specs) {
            int low = specs.stream().mapToInt(ModelSpec::parameterCount).min().orElseThrow();
            int high = specs.stream().mapToInt(ModelSpec::parameterCount).max().orElseThrow();
            double spread = (high - low) / (double) high;
            if (spread > TOLERANCE) {
                throw new InvalidSettingException("parameterBudget", parameterBudget, "a budget at which the "
                        + "models' parameter counts differ by at most " + percent(TOLERANCE) + "; at this one they "
                        + "are " + low + " to " + high + " (" + percent(spread) + " apart): choose a larger budget");
            }
        }

        /** Widths of 1: input->1 (2), (depth-1) times 1->1 (2 each), 1->output (2). */
        private static long minimumBudget(int depth) {
            return Limits.minimumDenseParameters(1, depth, 1);
        }
    }

    /**
     * What the trial of one model trained with one optimizer on one function returns: plain numbers that the reduce
     * step turns into figures, tables and saved models.
     *
     * @param function     the function's name
     * @param seed         the seed index
     * @param hiddenLayers the model's depth
     * @param optimizer    the optimizer it was trained with
     * @param epochLoss    the mean training loss of every epoch; empty when the training diverged
     * @param finalMse     the mean squared error on the training points after training; NaN when it diverged
     * @param wallSeconds  the training, its evaluation and its prediction
     * @param prediction   the prediction at the plot points; null when the training diverged
     * @param parameters   the trained parameters of the first seed with {@code saveModels}, for the reduce step to
     *                     save; else null
     * @param failure      why the training stopped, or null when it completed
     */
    public record FitResult(String function, int seed, int hiddenLayers, OptimizerKind optimizer, double[] epochLoss,
                            double finalMse, double wallSeconds, double[] prediction, double[] parameters,
                            String failure) {
    }

    /** One training as the figures and tables read it: a trial's result with its model and optimizer. */
    record Fit(String label, int seed, int hiddenLayers, ModelSpec spec, OptimizerSpec optimizer, double[] epochLoss,
               double finalMse, double wallSeconds, double[] prediction, String failure) {

        boolean succeeded() {
            return failure == null;
        }
    }

    /** A trial: one function, one model and one optimizer, with the seeds the old single loop drew for it. */
    private record Trial(TargetFunction function, int seed, ModelSpec spec, OptimizerKind kind, long initSeed,
                         long shuffleSeed) {
    }

    public FitFunctionExperiment(Settings settings) {
        super(TYPE, settings, FitResult.class);
    }

    /**
     * The trial key of a model trained with an optimizer on a function with a seed: the function's name, the
     * model's directory and the seed, for example {@code cube.2-hidden-layers-adam.seed-1}.
     */
    public static String key(TargetFunction f, int depth, OptimizerKind kind, int seed) {
        return SeedKey.of(f.name() + "." + modelDirectory(depth, kind), seed);
    }

    /** One trial per function, model, optimizer and seed, in that order of nesting. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (TargetFunction f : settings.functions()) {
            for (int depth : settings.hiddenLayers()) {
                for (OptimizerKind kind : settings.optimizers()) {
                    for (int s = 0; s < settings.seeds(); s++) {
                        keys.add(key(f, depth, kind, s));
                    }
                }
            }
        }
        return keys;
    }

    /**
     * Every trial by key, with its numbers drawn from the seed's generator ({@link ExperimentContext#random(int)})
     * as one loop over the trials of a seed draws them: a split per function, from it an initial seed per model
     * (shared by the optimizers) and a shuffle seed per optimizer.
     */
    private Map<String, Trial> trials(ExperimentContext context) {
        List<ModelSpec> specs = settings.models();
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (int s = 0; s < settings.seeds(); s++) {
            SplittableRandom random = context.random(s);
            for (TargetFunction f : settings.functions()) {
                SplittableRandom part = random.split();
                for (ModelSpec spec : specs) {
                    long initSeed = part.nextLong();
                    for (OptimizerKind kind : settings.optimizers()) {
                        trials.put(key(f, spec.hiddenWidths().length, kind, s),
                                new Trial(f, s, spec, kind, initSeed, part.nextLong()));
                    }
                }
            }
        }
        return trials;
    }

    /**
     * Trains one model with one optimizer on one function. A training that diverges is recorded with
     * {@link ExperimentContext#diverged} and returned with its failure, so that the summary still lists it.
     */
    @Override
    public FitResult runTrial(String key, ExperimentContext context) {
        Trial trial = trials(context).get(key);
        if (trial == null) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        TargetFunction f = trial.function();
        ModelSpec spec = trial.spec();
        OptimizerKind kind = trial.kind();
        int depth = spec.hiddenWidths().length;
        String label = label(depth, kind) + ", seed " + trial.seed();
        Dataset data = FunctionSampler.grid(f.name(), f::apply, f.from(), f.to(), settings.points());
        double[] plotX = grid(f.from(), f.to(), settings.plotPoints());
        TrainingConfig config = TrainingConfig.of(settings.epochs(), settings.batchSize(), trial.shuffleSeed(),
                context.precision());
        context.progress().plan(settings.epochs());
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(spec, context.precision(), trial.initSeed())) {
            TrainingHistory history = model.train(data, settings.optimizer(kind), config,
                    List.of(context.progress().training(f.label() + ": " + label, settings.epochs())));
            double mse = model.evaluate(data, EnumSet.of(Metric.MSE)).get(Metric.MSE);
            double[] prediction = model.predict(plotX, plotX.length);
            double[] parameters = settings.saveModels() && trial.seed() == 0 ? model.parameters() : null;
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("{} {}: MSE {} after {} epochs ({} s)", f.label(), label, format(mse), settings.epochs(),
                    String.format(Locale.ROOT, "%.1f", seconds));
            return new FitResult(f.name(), trial.seed(), depth, kind, history.series(TrainingHistory.LOSS), mse, seconds,
                    prediction, parameters, null);
        } catch (TrainingDivergedException e) {
            context.diverged(f.name() + ", " + label, e);
            return new FitResult(f.name(), trial.seed(), depth, kind, new double[0], Double.NaN, (System.nanoTime() - start) / 1e9,
                    null, null, e.getMessage());
        }
    }

    /**
     * Writes every function's figures, tables, saved models and summary from its trials' results, and the summary
     * of all functions.
     */
    @Override
    public ExperimentResult reduce(TrialResults<FitResult> trials, ExperimentContext context) throws IOException {
        List<ModelSpec> specs = settings.models();
        int low = specs.stream().mapToInt(ModelSpec::parameterCount).min().orElseThrow();
        int high = specs.stream().mapToInt(ModelSpec::parameterCount).max().orElseThrow();
        for (ModelSpec spec : specs) {
            LOG.info("{} hidden layer{} {}: {} parameters", spec.hiddenWidths().length,
                    spec.hiddenWidths().length == 1 ? "" : "s", Arrays.toString(spec.hiddenWidths()),
                    spec.parameterCount());
        }
        double spread = (high - low) / (double) high;
        LOG.info("parameter counts {} to {}: they differ by {}", low, high, percent(spread));

        OutputWriter out = context.output();
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        List<Map<String, Object>> functionSummaries = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (TargetFunction f : settings.functions()) {
            double[] plotX = grid(f.from(), f.to(), settings.plotPoints());
            List<Fit> fits = new ArrayList<>();
            double seconds = 0;
            OutputWriter dir = out.subdirectory(f.name());
            for (TrialResults.Trial<FitResult> t : trials.results()) {
                FitResult r = t.value();
                if (!r.function().equals(f.name())) {
                    continue;
                }
                ModelSpec spec = specs.get(settings.hiddenLayers().indexOf(r.hiddenLayers()));
                fits.add(new Fit(label(r.hiddenLayers(), r.optimizer()), r.seed(), r.hiddenLayers(), spec,
                        settings.optimizer(r.optimizer()), r.epochLoss(), r.finalMse(), r.wallSeconds(),
                        r.prediction(), r.failure()));
                if (r.parameters() != null) {
                    save(spec, context, r.parameters(), dir.subdirectory(MODELS)
                            .subdirectory(modelDirectory(r.hiddenLayers(), r.optimizer())));
                }
                seconds += t.wallSeconds();
            }
            DataSource source = dataSource(f);
            writeHistory(dir, fits);
            writePredictions(dir, f, plotX, fits);
            if (!FitFunctionFigures.write(dir, f, plotX, fits)) {
                LOG.warn("{}: every training diverged; no figures of it are written", f.label());
            }
            Verdict verdict = settings.hiddenLayers().size() < 2 ? null : depthVerdict(f, fits);
            Map<String, Object> summary = functionSummary(f, fits, verdict, context.provenance(source, seconds));
            dir.writeJson("summary.json", summary);
            functionSummaries.add(summary);
            for (Map.Entry<String, List<Fit>> e : byModel(fits).entrySet()) {
                List<Fit> seeds = e.getValue();
                double[] mse = seeds.stream().filter(Fit::succeeded).mapToDouble(Fit::finalMse).toArray();
                double mean = Arrays.stream(mse).average().orElse(Double.NaN);
                keyNumbers.put(f.name() + " / " + e.getKey() + " / final MSE", mean);
                context.results().printf(Locale.ROOT, "%s %-10s %-22s %5d parameters  %s%n", NAME, f.label(),
                        e.getKey(), seeds.get(0).spec().parameterCount(), mse.length > 0
                                ? String.format(Locale.ROOT, "MSE %.3g (mean of %d seed%s: %s)", mean, mse.length,
                                mse.length == 1 ? "" : "s", String.join(" ", Arrays.stream(mse)
                                        .mapToObj(v -> String.format(Locale.ROOT, "%.3g", v)).toList()))
                                : seeds.get(0).failure());
            }
            if (verdict != null) {
                verdicts.add(verdict);
                context.results().println(NAME + " " + verdict);
            }
            context.results().flush();
        }
        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        summary.put("functions", functionSummaries.stream().map(s -> {
            Map<String, Object> brief = new LinkedHashMap<>();
            brief.put("function", s.get("function"));
            brief.put("models", s.get("models"));
            return brief;
        }).toList());
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("provenance", context.provenance(new DataSource("sampled functions: " + settings.functions()
                .stream().map(TargetFunction::toString).toList(), sizes()), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The claim of Montúfar et al. 2014 and Telgarsky 2016 on one function, tested per seed: with one parameter
     * budget, the deepest model ends with a lower mean squared error than the shallowest, both trained with
     * {@link Settings#claimOptimizer()}: {@code log10(MSE shallowest / MSE deepest) > 0}.
     */
    private Verdict depthVerdict(TargetFunction f, List<Fit> fits) {
        OptimizerKind kind = settings.claimOptimizer();
        OptimizerSpec optimizer = settings.optimizer(kind);
        int shallow = settings.hiddenLayers().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int deep = settings.hiddenLayers().stream().mapToInt(Integer::intValue).max().orElseThrow();
        double[] ratio = new double[settings.seeds()];
        for (int s = 0; s < settings.seeds(); s++) {
            ratio[s] = Math.log10(finalMse(fits, shallow, optimizer, s) / finalMse(fits, deep, optimizer, s));
        }
        String shallowLabel = shallow + " hidden layer" + (shallow == 1 ? "" : "s");
        String deepLabel = deep + " hidden layers";
        return Verdict.test("with one parameter budget (" + settings.parameterBudget() + "), the deepest network ("
                        + deepLabel + ") fits f(x) = " + f.label() + " better than the shallowest (" + shallowLabel
                        + "), both trained with " + kind.label(), "Montúfar et al. 2014; Telgarsky 2016",
                "log10(final training MSE of " + shallowLabel + " / of " + deepLabel + ")", ratio,
                Verdict.Direction.ABOVE, 0,
                "Depth pays on functions with many oscillations, such as sin(5πx) with its ten periods on [-2, 2]: "
                        + "a deeper network makes more linear pieces of the same parameters. A function that a "
                        + "shallow network already fits, such as x³ or |x|, gives depth no edge, so this claim is "
                        + "not expected to hold on it. On an oscillating function, a deep network that has not yet "
                        + "found its pieces (too few steps: " + settings.epochs() + " epochs of " + settings.points()
                        + " points here) can still lose, and a deep network stalls in a poor fit on some seeds "
                        + "(the spread above); more epochs and more seeds narrow the interval.");
    }

    /** The final MSE of one model, optimizer and seed; NaN when it diverged or is missing. */
    private static double finalMse(List<Fit> fits, int depth, OptimizerSpec optimizer, int seed) {
        return fits.stream().filter(fit -> fit.hiddenLayers() == depth && fit.optimizer().equals(optimizer)
                && fit.seed() == seed && fit.succeeded()).mapToDouble(Fit::finalMse).findFirst().orElse(Double.NaN);
    }

    /** The fits grouped by model and optimizer ({@link Fit#label()}), in order, each in order of seed. */
    static Map<String, List<Fit>> byModel(List<Fit> fits) {
        Map<String, List<Fit>> m = new LinkedHashMap<>();
        for (Fit fit : fits) {
            m.computeIfAbsent(fit.label(), k -> new ArrayList<>()).add(fit);
        }
        m.values().forEach(l -> l.sort(Comparator.comparingInt(Fit::seed)));
        return m;
    }

    /** {@code 2 hidden layers, Adam}: how figures, tables and the progress name a model and its optimizer. */
    private static String label(int depth, OptimizerKind kind) {
        return depth + " hidden layer" + (depth == 1 ? "" : "s") + ", " + kind.label();
    }

    /** {@code 2-hidden-layers-adam}: the directory a model is saved in under {@code <function>/models/}. */
    static String modelDirectory(int depth, OptimizerKind kind) {
        return depth + "-hidden-layer" + (depth == 1 ? "" : "s") + "-" + kind.configName();
    }

    /** Saves a trained model's parameters with {@link ModelIo} and records its files. */
    private static void save(ModelSpec spec, ExperimentContext context, double[] parameters, OutputWriter dir)
            throws IOException {
        ModelIo.save(spec, context.precision(), parameters, dir.directory());
        dir.record(dir.directory().resolve(ModelIo.SPEC_FILE));
        dir.record(dir.directory().resolve(ModelIo.PARAMS_FILE));
    }

    private static void writeHistory(OutputWriter dir, List<Fit> fits) throws IOException {
        CsvTable table = CsvTable.of("model", "hidden_layers", "hidden_widths", "parameters", "optimizer", "seed",
                "epoch", "train_loss");
        for (Fit fit : fits) {
            for (int e = 0; e < fit.epochLoss().length; e++) {
                table.add(fit.label(), fit.hiddenLayers(), widths(fit.spec()), fit.spec().parameterCount(),
                        fit.optimizer().describe(), fit.seed(), e + 1, fit.epochLoss()[e]);
            }
        }
        dir.writeCsv("history.csv", table);
    }

    private static void writePredictions(OutputWriter dir, TargetFunction f, double[] x, List<Fit> fits)
            throws IOException {
        List<String> columns = new ArrayList<>(List.of("x", "truth"));
        List<Fit> ok = firstSeed(fits);
        ok.forEach(fit -> columns.add(fit.label()));
        CsvTable table = new CsvTable(columns);
        for (int i = 0; i < x.length; i++) {
            Object[] row = new Object[columns.size()];
            row[0] = x[i];
            row[1] = f.apply(x[i]);
            for (int j = 0; j < ok.size(); j++) {
                row[j + 2] = ok.get(j).prediction()[i];
            }
            table.add(row);
        }
        dir.writeCsv("predictions.csv", table);
    }

    /** Of every model and optimizer, the training of the lowest seed that succeeded: what the predictions show. */
    static List<Fit> firstSeed(List<Fit> fits) {
        List<Fit> first = new ArrayList<>();
        for (List<Fit> seeds : byModel(fits).values()) {
            seeds.stream().filter(Fit::succeeded).findFirst().ifPresent(first::add);
        }
        return first;
    }

    private Map<String, Object> functionSummary(TargetFunction f, List<Fit> fits, Verdict verdict,
                                                Provenance provenance) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", NAME);
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", f.name());
        function.put("label", f.label());
        function.put("interval", List.of(f.from(), f.to()));
        s.put("function", function);
        s.put("settings", SettingsBinder.toMap(settings));
        List<Map<String, Object>> models = new ArrayList<>();
        for (List<Fit> seeds : byModel(fits).values()) {
            Fit fit = seeds.get(0);
            double[] mse = seeds.stream().mapToDouble(Fit::finalMse).toArray();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", fit.label());
            m.put("spec", fit.spec().describe());
            m.put("hiddenLayers", fit.hiddenLayers());
            m.put("hiddenWidths", fit.spec().hiddenWidths());
            m.put("activation", settings.activation().configName());
            m.put("loss", fit.spec().loss().configName());
            m.put("parameters", fit.spec().parameterCount());
            m.put("optimizer", fit.optimizer().describe());
            m.put("epochs", fit.epochLoss().length);
            m.put("seeds", seeds.size());
            m.put("finalMse", Arrays.stream(mse).filter(Double::isFinite).average().orElse(Double.NaN));
            m.put("finalMsePerSeed", Arrays.stream(mse).boxed().toList());
            m.put("wallSeconds", seeds.stream().mapToDouble(Fit::wallSeconds).sum());
            List<String> failures = seeds.stream().filter(x -> !x.succeeded())
                    .map(x -> "seed " + x.seed() + " diverged: " + x.failure()).toList();
            m.put("status", failures.isEmpty() ? "ok" : String.join("; ", failures));
            models.add(m);
        }
        s.put("models", models);
        if (verdict != null) {
            s.put("verdicts", List.of(verdict.toMap()));
        }
        s.put("provenance", provenance);
        return s;
    }

    private DataSource dataSource(TargetFunction f) {
        return DataSource.of("sampled: " + f.label() + " at " + settings.points() + " evenly spaced points of ["
                + f.from() + ", " + f.to() + "]", "train", settings.points());
    }

    private Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (TargetFunction f : settings.functions()) {
            sizes.put(f.name(), settings.points());
        }
        return sizes;
    }

    /** {@code n} evenly spaced points of {@code [from, to]}, both ends included. */
    static double[] grid(double from, double to, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = from + (to - from) * i / (n - 1);
        }
        return x;
    }

    private static String widths(ModelSpec spec) {
        return String.join("-", Arrays.stream(spec.hiddenWidths()).mapToObj(Integer::toString).toList());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
