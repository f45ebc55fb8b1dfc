package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterBudget;
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
import io.github.losslab.app.experiment.training.TrainingChecks;
import io.github.losslab.app.experiment.training.TrainingRun;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.app.trial.SeedKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deep vs shallow on MNIST (assignment part 1-1, train on an actual task): a family of dense ReLU networks with 1,
 * 2 and 4 hidden layers sized to one parameter budget (within 1%), and a family of convolutional networks with 1
 * and 3 convolutional layers sized to another (within 2%, {@link CnnBudget}), all trained with the same optimizer
 * and batches, the models of a family on the same digits for the same epochs. After every epoch the loss and
 * accuracy on the whole training and test sets are evaluated.
 *
 * <p>The claim tested over seeds, per family: at one parameter budget the deepest network reaches a lower training
 * loss than the shallowest. Its statistic per seed is {@link #advantage}, {@code log10} of the shallowest network's
 * final training loss over the deepest's, claimed above {@link #ADVANTAGE_THRESHOLD} (the deeper one at least 1%
 * lower); the {@link Verdict} of each family with two depths or more is in {@code summary.json}. The dense models
 * have their own training digits and epochs ({@code dense-train-samples}, {@code dense-epochs}): the deeper dense
 * network starts more slowly and overtakes the shallow one only once both fit the training set closely, which in a
 * quick run takes more steps on fewer digits than the CNNs need ({@link Settings#DENSE_EPOCHS_QUICK}).
 *
 * <p>Writes into {@code <out>/mnist-deep-vs-shallow/}: per family ({@code dense}, {@code cnn}) a figure of the
 * training loss per epoch ({@code <family>-loss.png}/{@code .svg}) and one of the training accuracy per epoch
 * ({@code <family>-accuracy.png}/{@code .svg}), the mean over the seeds with their range as a band;
 * {@code history.csv} with every model's training and test loss and accuracy per epoch for every seed (the data of
 * the figures); and {@code summary.json} with each model's architecture, parameter count, final training and test
 * loss and accuracy per seed, each family's comparison per seed and its verdict, the budgets with the spread of the
 * counts, the settings and the provenance.
 *
 * <p>Each model of each seed is one trial (key {@code dense-2-hidden-layers.seed-0}, {@code cnn-3-conv-layers.seed-1}),
 * whose {@link ModelResult} is kept in {@code trials/}; the history, figures and summary are made from those results.
 */
public final class MnistDeepVsShallowExperiment extends MnistExperiment<MnistDeepVsShallowExperiment.Settings,
        MnistDeepVsShallowExperiment.ModelResult> {

    /** The name the command line knows. */
    public static final String NAME = "mnist-deep-vs-shallow";

    /** The experiment for the command line. */
    public static final ExperimentType<Settings> TYPE = new ExperimentType<>(NAME,
            "deep vs shallow on MNIST: dense nets of 1, 2 and 4 hidden layers on one budget, CNNs of 1 and 3 "
                    + "conv layers on another",
            Settings.class, Settings::of, MnistDeepVsShallowExperiment::new).withExplanation("""
            Two families of networks are trained on MNIST with the same optimizer and batches: dense ReLU \
            networks with 1, 2 and 4 hidden layers sized to one parameter budget (within 1%), and convolutional \
            networks with 1 and 3 convolutional layers sized to another (within 2%). The parameter counts are \
            printed and kept in the summary, so that no model wins by being bigger. The models of a family train \
            on the same digits for the same epochs; the quick preset trains the dense family longer on fewer \
            digits (40 epochs on 1,000) than the CNNs (6 epochs on 8,000), because the deeper dense network \
            overtakes the shallow one only once both fit the training set closely.

            For each family one figure shows the training loss and one the training accuracy after every epoch, \
            evaluated on the whole training set; the test accuracy of each model is in the table. On the same \
            budget the deeper CNN, which reuses its filters across the image and builds features of features, \
            usually learns faster and generalizes better than the shallow one. The deeper dense network starts \
            more slowly and ends with the lower training loss, but not with a better test accuracy.

            Every model is trained once per seed (initial weights and batch order); the figures show the mean over \
            the seeds and their range as a band. The verdict per family tests whether the deepest network reaches \
            a lower training loss than the shallowest: log10 of the shallowest's final training loss over the \
            deepest's, claimed above log10(1.01), the deeper one at least 1% lower.""");

    /** Largest relative spread of the dense models' parameter counts. */
    public static final double DENSE_TOLERANCE = 0.01;
    /** Largest relative spread of the CNNs' parameter counts. */
    public static final double CNN_TOLERANCE = 0.02;

    private static final String DENSE = "dense";
    private static final String CNN = "cnn";

    /**
     * The settings of a run.
     *
     * @param trainSamples         training samples of the CNNs, a stratified subset of the training split; 0 for
     *                             all of it
     * @param denseTrainSamples    training samples of the dense models, drawn the same way from the same seed; 0
     *                             for all of it
     * @param denseParameterBudget the parameter count of every dense model (within 1%)
     * @param denseHiddenLayers    the depths of the dense models, one model each
     * @param cnnParameterBudget   the parameter count of every CNN (within 2%)
     * @param cnnConvLayers        the numbers of convolutional layers of the CNNs, one model each
     * @param activation           of the hidden and convolutional layers
     * @param optimizer            {@code sgd} or {@code adam}
     * @param learningRate         of the optimizer
     * @param epochs               passes of the CNNs over their training set
     * @param denseEpochs          passes of the dense models over theirs
     * @param batchSize            samples per optimizer step
     * @param seeds                repetitions of every model, with its own initial weights and batch order
     */
    public record Settings(int trainSamples, int denseTrainSamples, int denseParameterBudget,
                           List<Integer> denseHiddenLayers, int cnnParameterBudget, List<Integer> cnnConvLayers,
                           Activation activation, OptimizerKind optimizer, double learningRate, int epochs,
                           int denseEpochs, int batchSize, int seeds)
            implements MnistSettings {

        /** 784-64-10: the shallow dense model has exactly this many parameters. */
        public static final int DENSE_PARAMETER_BUDGET_DEFAULT = 50_890;
        public static final List<Integer> DENSE_HIDDEN_LAYERS_DEFAULT = List.of(1, 2, 4);
        public static final int CNN_PARAMETER_BUDGET_DEFAULT = 10_000;
        public static final List<Integer> CNN_CONV_LAYERS_DEFAULT = List.of(1, 3);
        public static final double LEARNING_RATE_DEFAULT = 0.001;
        public static final int BATCH_SIZE_DEFAULT = 64;
        public static final int SEEDS_QUICK = 3;
        public static final int SEEDS_FULL = 5;

        public Settings {
            Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
            Check.between("denseTrainSamples", denseTrainSamples, 0, Limits.SAMPLES);
            Check.between("denseParameterBudget", denseParameterBudget, 1, Limits.PARAMETERS);
            denseHiddenLayers = Check.distinct("denseHiddenLayers",
                    Check.allBetween("denseHiddenLayers", denseHiddenLayers, 1, Limits.LAYERS));
            Check.between("cnnParameterBudget", cnnParameterBudget, 1, Limits.PARAMETERS);
            cnnConvLayers = Check.distinct("cnnConvLayers", Check.allBetween("cnnConvLayers", cnnConvLayers, 1,
                    Limits.CONV_LAYERS));
            TrainingChecks.classifierTraining(activation, optimizer, learningRate, epochs, batchSize);
            Check.between("denseEpochs", denseEpochs, 1, Limits.EPOCHS);
            Check.between("seeds", seeds, 1, Limits.RUNS);
        }

        /** Training digits of the dense models at the quick preset: few enough to be fitted in a quick run. */
        public static final int DENSE_TRAIN_SAMPLES_QUICK = 1_000;
        /**
         * Epochs of the dense models at the quick preset: 640 steps of 64 on {@link #DENSE_TRAIN_SAMPLES_QUICK}
         * digits, about the cost of the CNNs' 6 epochs on 8,000 for a dense model. The 4-hidden-layer network starts
         * more slowly than the 1-hidden-layer one and overtakes it only once both fit the training set closely:
         * measured over 3 seeds (two sets of random streams) on 1,000 digits, log10 of the shallow's training loss
         * over the deep one's is -0.04 to -0.07 after 8 epochs, 0 to +0.05 after 16, +0.06 to +0.15 after 20,
         * +0.3 to +0.5 after 32 and +0.5 to +0.7 after 40; its 95% interval over the seeds lies above +0.14 from 32
         * epochs on with both streams, and the margin grows with the epochs. On all 8,000 digits
         * after 6 epochs (the CNNs' 750 steps) it is about 0 (-0.04 to +0.01, sd 0.03 to 0.06 over the seeds),
         * and +0.12 ± 0.09 after 12 epochs on 4,000.
         */
        public static final int DENSE_EPOCHS_QUICK = 40;

        /**
         * Under a minute on two CPU cores: three dense models of 50,890 parameters trained 40 epochs on 1,000 of
         * the bundled training digits, and two CNNs of 10,000 parameters trained 6 epochs on all 8,000, with Adam on
         * batches of 64, 3 seeds.
         */
        public static Settings quick() {
            return new Settings(MnistInput.ALL, DENSE_TRAIN_SAMPLES_QUICK, DENSE_PARAMETER_BUDGET_DEFAULT,
                    DENSE_HIDDEN_LAYERS_DEFAULT, CNN_PARAMETER_BUDGET_DEFAULT, CNN_CONV_LAYERS_DEFAULT,
                    Activation.RELU, OptimizerKind.ADAM, LEARNING_RATE_DEFAULT, 6, DENSE_EPOCHS_QUICK,
                    BATCH_SIZE_DEFAULT, SEEDS_QUICK);
        }

        /**
         * The assignment's scale: every training sample of the data directory (60,000 for MNIST), 20 epochs, 5
         * seeds.
         */
        public static Settings full() {
            return new Settings(MnistInput.ALL, MnistInput.ALL, DENSE_PARAMETER_BUDGET_DEFAULT,
                    DENSE_HIDDEN_LAYERS_DEFAULT, CNN_PARAMETER_BUDGET_DEFAULT, CNN_CONV_LAYERS_DEFAULT,
                    Activation.RELU, OptimizerKind.ADAM, LEARNING_RATE_DEFAULT, 20, 20, BATCH_SIZE_DEFAULT,
                    SEEDS_FULL);
        }

        public static Settings of(Preset preset) {
            return preset == Preset.FULL ? full() : quick();
        }

        /** The same training data and epochs for both families. */
        public Settings withTraining(int newTrainSamples, int newEpochs, int newBatchSize) {
            return new Settings(newTrainSamples, newTrainSamples, denseParameterBudget, denseHiddenLayers,
                    cnnParameterBudget, cnnConvLayers, activation, optimizer, learningRate, newEpochs, newEpochs,
                    newBatchSize, seeds);
        }

        /** Other training data and epochs for the dense models only. */
        public Settings withDenseTraining(int newDenseTrainSamples, int newDenseEpochs) {
            return new Settings(trainSamples, newDenseTrainSamples, denseParameterBudget, denseHiddenLayers,
                    cnnParameterBudget, cnnConvLayers, activation, optimizer, learningRate, epochs, newDenseEpochs,
                    batchSize, seeds);
        }

        public Settings withBudgets(int dense, int cnn) {
            return new Settings(trainSamples, denseTrainSamples, dense, denseHiddenLayers, cnn, cnnConvLayers,
                    activation, optimizer, learningRate, epochs, denseEpochs, batchSize, seeds);
        }

        public Settings withDepths(List<Integer> dense, List<Integer> cnn) {
            return new Settings(trainSamples, denseTrainSamples, denseParameterBudget, dense, cnnParameterBudget, cnn,
                    activation, optimizer, learningRate, epochs, denseEpochs, batchSize, seeds);
        }

        public Settings withLearningRate(double value) {
            return new Settings(trainSamples, denseTrainSamples, denseParameterBudget, denseHiddenLayers,
                    cnnParameterBudget, cnnConvLayers, activation, optimizer, value, epochs, denseEpochs, batchSize,
                    seeds);
        }

        public Settings withSeeds(int value) {
            return new Settings(trainSamples, denseTrainSamples, denseParameterBudget, denseHiddenLayers,
                    cnnParameterBudget, cnnConvLayers, activation, optimizer, learningRate, epochs, denseEpochs,
                    batchSize, value);
        }

        /** The epochs of a family's models. */
        int epochs(String family) {
            return DENSE.equals(family) ? denseEpochs : epochs;
        }

        /** The dense models for inputs of {@code inputs} features and {@code classes} classes, shallow first. */
        public List<ModelSpec> denseModels(int inputs, int classes) {
            int budget = denseBudget(inputs, classes);
            List<ModelSpec> specs = new ArrayList<>();
            for (int depth : denseHiddenLayers) {
                specs.add(ParameterBudget.mlp(inputs, classes, depth, budget, activation, Loss.SOFTMAX_CROSS_ENTROPY));
            }
            return specs;
        }

        /**
         * The budget the dense models are sized to for {@code inputs} features: the parameter count of the shallowest
         * of them sized to {@code denseParameterBudget}. A network of one hidden layer can only grow by whole units of
         * {@code inputs + classes + 1} parameters (3,083 for CIFAR-10's 3,072 inputs), more than 1% of the default
         * budget, so the deeper ones are sized to the shallow one's count rather than to the setting; on MNIST
         * (784-64-10) both are 50,890.
         */
        public int denseBudget(int inputs, int classes) {
            return ParameterBudget.mlp(inputs, classes, Collections.min(denseHiddenLayers), denseParameterBudget,
                    activation, Loss.SOFTMAX_CROSS_ENTROPY).parameterCount();
        }

        /** The CNNs for images of {@code inputShape} and {@code classes} classes, shallow first. */
        public List<ModelSpec> cnnModels(int[] inputShape, int classes) {
            List<ModelSpec> specs = new ArrayList<>();
            for (int depth : cnnConvLayers) {
                specs.add(CnnBudget.cnn(inputShape, classes, depth, cnnParameterBudget, activation));
            }
            return specs;
        }
    }

    /**
     * What the trial of one model returns: its loss and accuracy on the whole training and test sets at every
     * evaluated epoch (0 for the initial parameters) and its mean mini-batch losses, as plain numbers.
     *
     * @param family        {@code dense} or {@code cnn}
     * @param depth         hidden layers of a dense model, convolutional layers of a CNN
     * @param seed          the index of its seed, from 0
     * @param epochs        the evaluated epochs, from 0 (up to the divergence, if the training diverged)
     * @param trainLoss     the loss on the training set at each evaluated epoch
     * @param trainAccuracy the accuracy on the training set at each evaluated epoch
     * @param testLoss      the loss on the test set at each evaluated epoch
     * @param testAccuracy  the accuracy on the test set at each evaluated epoch
     * @param batchLoss     the mean mini-batch loss of every epoch; empty when the training diverged
     * @param wallSeconds   the training and its evaluations
     * @param failure       why the training stopped, or null when it completed
     */
    public record ModelResult(String family, int depth, int seed, int[] epochs, double[] trainLoss, double[] trainAccuracy,
                              double[] testLoss, double[] testAccuracy, double[] batchLoss, double wallSeconds,
                              String failure) {
    }

    /** One model's result with its architecture, in its family, as the tables and figures read it. */
    record Run(String family, String label, int depth, ModelSpec spec, ModelResult result) {

        int seed() {
            return result.seed();
        }

        boolean succeeded() {
            return result.failure() == null;
        }

        /** The evaluated epochs as doubles, for charts. */
        double[] epochAxis() {
            return Arrays.stream(result.epochs()).asDoubleStream().toArray();
        }

        double finalTrainLoss() {
            return last(result.trainLoss());
        }

        double finalTrainAccuracy() {
            return last(result.trainAccuracy());
        }

        double testLoss() {
            return last(result.testLoss());
        }

        double testAccuracy() {
            return last(result.testAccuracy());
        }

        private static double last(double[] v) {
            return v.length == 0 ? Double.NaN : v[v.length - 1];
        }
    }

    /**
     * What every trial and the reduce step derive from the settings and the root seed, in the same order: the data,
     * both families' models, and one split of the random numbers of a seed per model, dense models first.
     */
    private record Setup(MnistInput data, MnistInput denseData, List<ModelSpec> dense, List<ModelSpec> cnns,
                         Map<String, Member> models) {

        /** The data a family's models train on. */
        MnistInput data(String family) {
            return DENSE.equals(family) ? denseData : data;
        }
    }

    /** A model of the run: its family, depth, architecture and random numbers. */
    private record Member(String family, int depth, ModelSpec spec, SplittableRandom part) {
    }

    public MnistDeepVsShallowExperiment(Settings settings) {
        super(TYPE, settings, ModelResult.class);
    }

    /**
     * The data and the models of repetition {@code seed}, keyed by trial key: every repetition draws the first
     * seed's data subsets (the CNNs' and the dense models', from one seed) and its own random numbers per model, so
     * that seed 0 draws what a single run draws.
     */
    private Setup setup(ExperimentContext context, int seed) throws IOException {
        MnistInput data = loadData(context, context.random());
        MnistInput denseData = settings.denseTrainSamples() == settings.trainSamples() ? data
                : MnistInput.load(context, settings.denseTrainSamples(), context.random().split().nextLong());
        SplittableRandom random = context.random(seed);
        random.split(); // the data's split
        int classes = data.train().classes();
        List<ModelSpec> dense = settings.denseModels(data.train().featureSize(), classes);
        List<ModelSpec> cnns = settings.cnnModels(data.train().featureShape(), classes);
        Map<String, Member> models = new LinkedHashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            int depth = settings.denseHiddenLayers().get(i);
            models.put(key(DENSE, depth, seed), new Member(DENSE, depth, dense.get(i), random.split()));
        }
        for (int i = 0; i < cnns.size(); i++) {
            int depth = settings.cnnConvLayers().get(i);
            models.put(key(CNN, depth, seed), new Member(CNN, depth, cnns.get(i), random.split()));
        }
        return new Setup(data, denseData, dense, cnns, models);
    }

    /** The name of a model: its family and label, for example {@code dense-2-hidden-layers}. */
    public static String key(String family, int depth) {
        return family + "-" + label(family, depth).replace(' ', '-');
    }

    /** The trial key of a model and seed, for example {@code dense-2-hidden-layers.seed-0}. */
    public static String key(String family, int depth, int seed) {
        return SeedKey.of(key(family, depth), seed);
    }

    /** One trial per model and seed: the dense models, then the CNNs, each family shallow first, seeds within. */
    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (int d : settings.denseHiddenLayers()) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                keys.add(key(DENSE, d, seed));
            }
        }
        for (int d : settings.cnnConvLayers()) {
            for (int seed = 0; seed < settings.seeds(); seed++) {
                keys.add(key(CNN, d, seed));
            }
        }
        return keys;
    }

    /**
     * Checks the training data as every MNIST experiment does, then sizes the models to the data's shape without
     * training them: a budget too small for the deepest model, a depth whose smallest CNN exceeds
     * {@link Limits#PARAMETERS}, or counts that cannot get within the tolerance are refused before the run.
     */
    @Override
    public void validate(ExperimentContext context) throws IOException {
        super.validate(context);
        Dataset train = context.mnist().train();
        Check.samples("denseTrainSamples", settings.denseTrainSamples(), MnistInput.ALL, train.size(), train.name(),
                "a data-dir with more samples");
        Check.batchSize("batchSize", settings.batchSize(), settings.denseTrainSamples() == MnistInput.ALL
                ? train.size() : settings.denseTrainSamples(), train.name() + " cut by dense-train-samples");
        checkModels(train.featureShape(), train.classes());
    }

    /**
     * Sizes both families for images of {@code shape} and {@code classes} classes.
     *
     * @throws InvalidSettingException naming the budget or the depths that cannot be built
     */
    void checkModels(int[] shape, int classes) {
        int inputs = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int deepDense = Collections.max(settings.denseHiddenLayers());
        long denseMinimum = Limits.minimumDenseParameters(inputs, deepDense, classes);
        if (settings.denseParameterBudget() < denseMinimum) {
            throw new InvalidSettingException("denseParameterBudget", settings.denseParameterBudget(),
                    "an integer >= " + denseMinimum + " (the smallest dense network of " + deepDense + " hidden "
                            + "layers for " + inputs + " inputs and " + classes + " classes), or fewer "
                            + "dense-hidden-layers");
        }
        checkSpread("denseParameterBudget", settings.denseParameterBudget(),
                settings.denseModels(inputs, classes), DENSE_TOLERANCE);

        String images = String.join("×", Arrays.stream(shape).mapToObj(Integer::toString).toList()) + " images";
        int deepCnn = Collections.max(settings.cnnConvLayers());
        long cnnMinimum = CnnBudget.minimumParameters(shape, classes, deepCnn);
        if (cnnMinimum > Limits.PARAMETERS) {
            throw new InvalidSettingException("cnnConvLayers", settings.cnnConvLayers(), "depths whose smallest "
                    + "CNN has at most " + Limits.PARAMETERS + " parameters: filters double from layer to layer, and "
                    + "the smallest CNN of " + deepCnn + " convolutional layers on " + images + " has " + cnnMinimum);
        }
        if (settings.cnnParameterBudget() < cnnMinimum) {
            throw new InvalidSettingException("cnnParameterBudget", settings.cnnParameterBudget(),
                    "an integer >= " + cnnMinimum + " (the smallest CNN of " + deepCnn + " convolutional layers on "
                            + images + "), or fewer cnn-conv-layers");
        }
        List<ModelSpec> cnns;
        try {
            cnns = settings.cnnModels(shape, classes);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("cnnConvLayers", settings.cnnConvLayers(), "depths of a CNN that can "
                    + "be built for " + images + ": " + e.getMessage());
        }
        checkSpread("cnnParameterBudget", settings.cnnParameterBudget(), cnns, CNN_TOLERANCE);
    }

    /** Refuses a budget at which the counts of a family differ by more than its tolerance. */
    private static void checkSpread(String setting, int budget, List<ModelSpec> specs, double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        double spread = Outputs.spread(counts);
        if (spread > tolerance) {
            throw new InvalidSettingException(setting, budget, "a budget at which the models' parameter counts "
                    + "differ by at most " + Outputs.percent(tolerance) + "; at this one they are "
                    + Arrays.toString(counts) + " (" + Outputs.percent(spread) + " apart): choose a larger one");
        }
    }

    /**
     * Trains one model and evaluates it on both sets after every epoch. A training that diverges is recorded with
     * {@link ExperimentContext#diverged} and returned with its failure, so that the summary still lists it.
     */
    @Override
    public ModelResult runTrial(String key, ExperimentContext context) throws IOException {
        int seed = seedKey(key).seed();
        Setup setup = setup(context, seed);
        Member m = setup.models().get(key);
        if (m == null) {
            throw new IllegalArgumentException("no trial '" + key + "' in " + NAME + "; its trials are "
                    + trialKeys());
        }
        requireSpread(DENSE, setup.dense(), DENSE_TOLERANCE);
        requireSpread(CNN, setup.cnns(), CNN_TOLERANCE);
        int epochs = settings.epochs(m.family());
        context.progress().plan(epochs);
        TrainingRun t = TrainingRun.train(context, setup.data(m.family()), m.spec(),
                settings.optimizer().spec(settings.learningRate()), epochs, settings.batchSize(), m.part(),
                m.family() + ": " + label(m.family(), m.depth()), TrainingRun.Evaluation.EVERY_EPOCH);
        EpochMetrics metrics = t.metrics();
        return new ModelResult(m.family(), m.depth(), seed, metrics.epochs(), metrics.loss("train"),
                metrics.accuracy("train"), metrics.loss("test"), metrics.accuracy("test"), t.batchLoss(),
                t.wallSeconds(), t.failure());
    }

    /**
     * Prints both budgets and every model's result, tests per family whether the deepest network reaches a lower
     * training loss than the shallowest, and writes the history, the figures and the summary.
     */
    @Override
    public ExperimentResult reduce(TrialResults<ModelResult> trials, ExperimentContext context) throws IOException {
        Setup setup = setup(context, 0);
        MnistInput data = setup.data();
        List<ModelSpec> dense = setup.dense();
        List<ModelSpec> cnns = setup.cnns();
        checkBudget(context, DENSE, dense, settings.denseParameterBudget(), DENSE_TOLERANCE);
        checkBudget(context, CNN, cnns, settings.cnnParameterBudget(), CNN_TOLERANCE);

        List<Run> runs = new ArrayList<>();
        for (ModelResult r : trials.values()) {
            ModelSpec spec = setup.models().get(key(r.family(), r.depth(), 0)).spec();
            runs.add(new Run(r.family(), label(r.family(), r.depth()), r.depth(), spec, r));
        }

        OutputWriter out = context.output();
        writeHistory(out, runs);
        MnistDeepVsShallowFigures.write(out, runs, Map.of(DENSE, setup.denseData().samples(),
                CNN, data.samples()));
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (Run r : runs) {
            keyNumbers.put(r.family() + " / " + r.label() + " / test accuracy", runs.stream()
                    .filter(o -> o.family().equals(r.family()) && o.depth() == r.depth())
                    .mapToDouble(Run::testAccuracy).average().orElse(Double.NaN));
            context.results().printf(Locale.ROOT, "%s %-5s %-20s seed %d %,7d parameters  %s%n", NAME, r.family(),
                    r.label(), r.seed(), r.spec().parameterCount(), r.succeeded()
                            ? String.format(Locale.ROOT, "train accuracy %s, test accuracy %s (%.1f s)",
                            Outputs.percent(r.finalTrainAccuracy()), Outputs.percent(r.testAccuracy()),
                            r.result().wallSeconds())
                            : "failed: " + r.result().failure());
        }
        List<Verdict> verdicts = new ArrayList<>();
        Map<String, Object> comparisons = new LinkedHashMap<>();
        for (String family : List.of(DENSE, CNN)) {
            List<Integer> depths = family.equals(DENSE) ? settings.denseHiddenLayers() : settings.cnnConvLayers();
            if (depths.size() < 2) {
                continue;
            }
            int shallow = Collections.min(depths);
            int deep = Collections.max(depths);
            double[] advantages = new double[settings.seeds()];
            List<Map<String, Object>> seeds = new ArrayList<>();
            double[][] losses = new double[2][settings.seeds()];
            double[][] accuracies = new double[2][settings.seeds()];
            for (int seed = 0; seed < settings.seeds(); seed++) {
                Run s = find(runs, family, shallow, seed);
                Run d = find(runs, family, deep, seed);
                advantages[seed] = s == null || d == null || !s.succeeded() || !d.succeeded() ? Double.NaN
                        : advantage(s.finalTrainLoss(), d.finalTrainLoss());
                losses[0][seed] = s == null ? Double.NaN : s.finalTrainLoss();
                losses[1][seed] = d == null ? Double.NaN : d.finalTrainLoss();
                accuracies[0][seed] = s == null ? Double.NaN : s.finalTrainAccuracy();
                accuracies[1][seed] = d == null ? Double.NaN : d.finalTrainAccuracy();
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("seed", seed);
                c.put("shallowFinalTrainLoss", losses[0][seed]);
                c.put("deepFinalTrainLoss", losses[1][seed]);
                c.put("advantageLog10", advantages[seed]);
                c.put("testAccuracyDeepMinusShallow", s == null || d == null ? Double.NaN
                        : d.testAccuracy() - s.testAccuracy());
                seeds.add(c);
            }
            Map<String, Object> comparison = new LinkedHashMap<>();
            comparison.put("shallow", label(family, shallow));
            comparison.put("deep", label(family, deep));
            comparison.put("seeds", seeds);
            comparisons.put(family, comparison);
            Verdict v = verdict(family, shallow, deep, advantages,
                    new double[] {Verdict.Summary.of(losses[0]).mean(), Verdict.Summary.of(losses[1]).mean()},
                    new double[] {Verdict.Summary.of(accuracies[0]).mean(), Verdict.Summary.of(accuracies[1]).mean()},
                    setup.data(family).samples());
            verdicts.add(v);
            context.results().println(NAME + " " + family + ": " + v);
        }
        context.results().flush();
        double total = context.elapsedSeconds();
        Map<String, Object> summary = newSummary();
        Map<String, Object> budgets = new LinkedHashMap<>();
        int sized = settings.denseBudget(dense.get(0).inputSize(), dense.get(0).outputShape()[0]);
        Map<String, Object> denseBudget = budget(dense, sized, DENSE_TOLERANCE);
        if (sized != settings.denseParameterBudget()) {
            denseBudget.put("requested", settings.denseParameterBudget());
        }
        budgets.put(DENSE, denseBudget);
        budgets.put(CNN, budget(cnns, settings.cnnParameterBudget(), CNN_TOLERANCE));
        summary.put("budgets", budgets);
        summary.put("models", runs.stream().map(this::modelSummary).toList());
        summary.put("comparisons", comparisons);
        summary.put("verdicts", verdicts.stream().map(Verdict::toMap).toList());
        summary.put("denseData", setup.denseData().source());
        summary.put("provenance", context.provenance(data.source(), total));
        out.writeJson("summary.json", summary);
        return new ExperimentResult(NAME, out.directory(), out.written(), keyNumbers, total);
    }

    /**
     * The smallest advantage that counts: the deepest network's final training loss must be at least 1% below the
     * shallowest's, so that two networks that fit equally well (or a network and itself) do not count.
     */
    static final double ADVANTAGE_THRESHOLD = Math.log10(1.01);

    /**
     * How much lower the deep network's final training loss is: {@code log10(shallow / deep)}; positive when the
     * deep one fits the training set better, 0 when both fit it equally well.
     */
    static double advantage(double shallowLoss, double deepLoss) {
        return Math.log10(shallowLoss / deepLoss);
    }

    /** The training accuracy below which a network has not fitted its training set, for the explanation. */
    static final double FITTED_ACCURACY = 0.95;

    /**
     * The claim that the deepest network of a family reaches a lower training loss, tested over the seeds.
     *
     * @param losses     the mean final training loss of the shallowest and of the deepest network
     * @param accuracies their mean final training accuracy
     */
    Verdict verdict(String family, int shallow, int deep, double[] advantages, double[] losses,
                    double[] accuracies, String trainSamples) {
        boolean dense = family.equals(DENSE);
        int epochs = settings.epochs(family);
        String seen = String.format(Locale.ROOT, "After %d epochs on %s the final training loss "
                        + "is on average %.3g nats with %s and %.3g with %s (training accuracy %.1f%% and %.1f%%).",
                epochs, trainSamples, losses[0], label(family, shallow), losses[1], label(family, deep),
                100 * accuracies[0], 100 * accuracies[1]);
        String moreSteps = dense ? "more dense-epochs, or fewer dense-train-samples" : "more epochs, or fewer "
                + "train-samples";
        String why = "";
        Verdict.Summary summary = Verdict.Summary.of(advantages);
        if (!(summary.mean() > ADVANTAGE_THRESHOLD)) {
            why = String.format(Locale.ROOT, " At %,d parameters, %s and %d epochs the deeper "
                            + "network has not fitted the training set better than the shallow one: it starts more "
                            + "slowly (the loss figure) and overtakes only once both fit the training set closely, "
                            + "if at all; more steps on the same digits (%s) would show whether it does.",
                    dense ? settings.denseParameterBudget() : settings.cnnParameterBudget(), trainSamples, epochs,
                    moreSteps);
        } else if (summary.low() <= ADVANTAGE_THRESHOLD) {
            long showing = Arrays.stream(advantages).filter(a -> a > ADVANTAGE_THRESHOLD).count();
            if (summary.n() < Settings.SEEDS_FULL) {
                why = String.format(Locale.ROOT, " %d of %d seeds show it, but the advantage varies so much from "
                                + "seed to seed that the confidence interval over %d seeds reaches below the "
                                + "threshold; more seeds (the full preset's %d) narrow it.", showing, summary.n(),
                        summary.n(), Settings.SEEDS_FULL);
            } else {
                why = String.format(Locale.ROOT, " %d of %d seeds show it: the deeper network's loss is %.1f%% "
                                + "lower on average, less than it varies from seed to seed.", showing, summary.n(),
                        100 * (1 - Math.pow(10, -summary.mean())));
                if (Math.max(accuracies[0], accuracies[1]) < FITTED_ACCURACY) {
                    why += String.format(Locale.ROOT, " Neither network has fitted its training set (training "
                            + "accuracy under %.0f%%), and at this point of training the depths are about equal; "
                            + "whether the deeper one pulls ahead once both fit their data closely, %s would show.",
                            100 * FITTED_ACCURACY, moreSteps);
                }
            }
        }
        return Verdict.test("at one parameter budget the deeper network reaches a lower training loss than the "
                        + "shallow one (" + (dense ? "dense" : "CNN") + " family: " + label(family, deep) + " vs "
                        + label(family, shallow) + ")", "the assignment, part 1-1 (deep vs shallow on MNIST)",
                "log10(final training loss of " + label(family, shallow) + " / of " + label(family, deep) + ")",
                advantages, Verdict.Direction.ABOVE, ADVANTAGE_THRESHOLD, seen + why);
    }

    private static Run find(List<Run> runs, String family, int depth, int seed) {
        return runs.stream().filter(r -> r.family().equals(family) && r.depth() == depth && r.seed() == seed)
                .findFirst().orElse(null);
    }

    private void checkBudget(ExperimentContext context, String family, List<ModelSpec> specs, int budget,
                             double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        double spread = Outputs.spread(counts);
        for (ModelSpec spec : specs) {
            String line = String.format(Locale.ROOT, "%s %-5s %-20s %,7d parameters  %s", NAME, family,
                    label(family, spec), spec.parameterCount(), spec.describe());
            context.results().println(line);
        }
        context.results().printf(Locale.ROOT, "%s %-5s budget %,d: counts %s differ by %s (at most %s allowed)%n",
                NAME, family, budget, Arrays.toString(counts), Outputs.percent(spread), Outputs.percent(tolerance));
        context.results().flush();
        requireSpread(family, specs, tolerance);
    }

    /** Refuses models of a family whose parameter counts differ by more than its tolerance. */
    private static void requireSpread(String family, List<ModelSpec> specs, double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        double spread = Outputs.spread(counts);
        if (spread > tolerance) {
            throw new IllegalStateException("the " + family + " models' parameter counts " + Arrays.toString(counts)
                    + " differ by " + Outputs.percent(spread) + ", more than " + Outputs.percent(tolerance)
                    + ": choose a larger " + family + " parameter budget");
        }
    }

    /** {@code 2 hidden layers} or {@code 3 conv layers}. */
    static String label(String family, ModelSpec spec) {
        return label(family, depth(family, spec));
    }

    /** {@code 2 hidden layers} or {@code 3 conv layers}, from the family and the depth. */
    static String label(String family, int depth) {
        return depth + (DENSE.equals(family) ? " hidden layer" : " conv layer") + (depth == 1 ? "" : "s");
    }

    private static int depth(String family, ModelSpec spec) {
        return DENSE.equals(family) ? spec.hiddenWidths().length : CnnBudget.filters(spec).length;
    }

    /** The widths of a dense model's hidden layers or a CNN's filters, for example {@code 8-16-37}. */
    static String widths(Run r) {
        int[] w = DENSE.equals(r.family()) ? r.spec().hiddenWidths() : CnnBudget.filters(r.spec());
        return String.join("-", Arrays.stream(w).mapToObj(Integer::toString).toList());
    }

    private static void writeHistory(OutputWriter out, List<Run> runs) throws IOException {
        CsvTable table = CsvTable.of("family", "model", "widths", "parameters", "seed", "epoch", "train_loss",
                "train_accuracy", "test_loss", "test_accuracy", "mean_batch_loss");
        for (Run r : runs) {
            ModelResult m = r.result();
            int[] epochs = m.epochs();
            double[] trainLoss = m.trainLoss();
            double[] trainAccuracy = m.trainAccuracy();
            double[] testLoss = m.testLoss();
            double[] testAccuracy = m.testAccuracy();
            for (int i = 0; i < epochs.length; i++) {
                int e = epochs[i];
                double[] epochLoss = m.batchLoss();
                double batchLoss = e >= 1 && e <= epochLoss.length ? epochLoss[e - 1] : Double.NaN;
                table.add(r.family(), r.label(), widths(r), r.spec().parameterCount(), r.seed(), e, trainLoss[i],
                        trainAccuracy[i], testLoss[i], testAccuracy[i], batchLoss);
            }
        }
        out.writeCsv("history.csv", table);
    }

    private Map<String, Object> modelSummary(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", r.family());
        m.put("model", r.label());
        m.put("seed", r.seed());
        m.put("spec", r.spec().describe());
        m.put(DENSE.equals(r.family()) ? "hiddenLayers" : "convLayers", r.depth());
        m.put(DENSE.equals(r.family()) ? "hiddenWidths" : "filters",
                DENSE.equals(r.family()) ? r.spec().hiddenWidths() : CnnBudget.filters(r.spec()));
        m.put("parameters", r.spec().parameterCount());
        m.put("epochs", r.result().batchLoss().length);
        m.put("finalTrainLoss", r.finalTrainLoss());
        m.put("finalTrainAccuracy", r.finalTrainAccuracy());
        m.put("testLoss", r.testLoss());
        m.put("testAccuracy", r.testAccuracy());
        m.put("wallSeconds", r.result().wallSeconds());
        m.put("status", r.succeeded() ? "ok" : "diverged: " + r.result().failure());
        return m;
    }

    private static Map<String, Object> budget(List<ModelSpec> specs, int budget, double tolerance) {
        int[] counts = specs.stream().mapToInt(ModelSpec::parameterCount).toArray();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("budget", budget);
        b.put("parameters", counts);
        b.put("spread", Outputs.spread(counts));
        b.put("tolerance", tolerance);
        return b;
    }
}
