package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * The speed-ups of TensorFlow training (batches cut into row ranges that run in parallel, several steps per session
 * call, fused bias and cross-entropy kernels) change no number beyond rounding: each is compared with training
 * without it, on the same seed.
 */
class TfTrainingTest {

    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    @Test
    void chunksFollowTheWidestHiddenActivationTheThreadsAndSixteenRows() {
        ModelSpec mnist = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        assertThat(TfTraining.chunks(mnist, 64, 1)).isEqualTo(1);
        assertThat(TfTraining.chunks(mnist, 64, 2)).isEqualTo(2); // one per thread
        assertThat(TfTraining.chunks(mnist, 4096, 2)).isEqualTo(2); // 4096 * 128 values: two chunks of 2^18
        assertThat(TfTraining.chunks(mnist, 4097, 1)).isEqualTo(3);
        ModelSpec fit = ModelSpec.mlp(1, new int[] {128}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        assertThat(TfTraining.chunks(fit, 40_000, 2)).isEqualTo(20); // 40,000 * 128 over 2^18, rounded up
        assertThat(TfTraining.chunks(fit, 20, 2)).isEqualTo(1); // under two chunks of 16 rows
        ModelSpec wide = ModelSpec.mlp(1, new int[] {1 << 18}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        assertThat(TfTraining.chunks(wide, 64, 1)).isEqualTo(4); // one row per chunk by size, but at least 16 rows
    }

    @Test
    void unitGroupsNeedOneDenseHiddenLayerTwoThreadsAndASmallBatch() {
        ModelSpec mnist = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        assertThat(TfTraining.unitGroups(mnist, 64, 2)).isEqualTo(2);
        assertThat(TfTraining.unitGroups(mnist, 64, 1)).isEqualTo(1);
        assertThat(TfTraining.unitGroups(mnist, 128, 2)).isEqualTo(2); // 128 * 128 values: 2^14
        assertThat(TfTraining.unitGroups(mnist, 129, 2)).isEqualTo(1);
        assertThat(TfTraining.unitGroups(mnist, 1024, 2)).isEqualTo(1);
        assertThat(TfTraining.unitGroups(mnist, 64, 16)).isEqualTo(4); // at least 32 units a group
        ModelSpec deep = ModelSpec.mlp(784, new int[] {128, 64}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        assertThat(TfTraining.unitGroups(deep, 64, 2)).isEqualTo(1);
        ModelSpec fit = ModelSpec.mlp(1, new int[] {128}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        assertThat(TfTraining.unitGroups(fit, 64, 2)).isEqualTo(1);
        ModelSpec narrow = ModelSpec.mlp(4, new int[] {60}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        assertThat(TfTraining.unitGroups(narrow, 64, 2)).isEqualTo(1);
        ModelSpec cnn = ModelSpec.builder(6, 6, 1).conv2d(3, 3, Activation.RELU).flatten()
                .dense(3, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        assertThat(TfTraining.unitGroups(cnn, 64, 2)).isEqualTo(1);
    }

    /**
     * A one-hidden-layer net split into 2 or 3 groups of hidden units (3 of 3 units, or 4 and 5), several steps per
     * call, against plain training one step per call: the same per-step losses, gradient norms and final
     * parameters, for every optimizer; the same numbers exactly when run twice, and again after the parameters are
     * set back between two runs.
     */
    @ParameterizedTest(name = "{0}, {1}, {2} groups")
    @CsvSource({"sgd, SOFTMAX_CROSS_ENTROPY, 2", "momentum, SOFTMAX_CROSS_ENTROPY, 3", "adam, MEAN_SQUARED_ERROR, 2",
            "sgd, MEAN_SQUARED_ERROR, 3"})
    void unitGroupsGiveTheSameNumbers(String optimizerName, Loss loss, int groups) {
        OptimizerSpec optimizer = optimizer(optimizerName);
        ModelSpec spec = ModelSpec.mlp(6, new int[] {9}, 3, Activation.TANH, loss);
        Dataset data = data(spec, 203);
        TrainingConfig config = TrainingConfig.of(2, 10, 11, Precision.FLOAT64);
        for (Precision precision : Precision.values()) {
            Trained plain = train(spec, precision, data, optimizer, config, 1, 0, true);
            Trained grouped = train(spec, precision, data, optimizer, config, 1, groups, false);
            double tolerance = assertSameSteps(precision, plain, grouped);
            for (int i = 0; i < plain.parameters().length; i++) {
                assertThat(grouped.parameters()[i]).as("%s parameter %d", precision, i)
                        .isCloseTo(plain.parameters()[i], org.assertj.core.data.Offset.offset(tolerance));
                assertThat(grouped.afterFirstEpoch()[i]).as("%s parameter %d after epoch 1", precision, i)
                        .isCloseTo(plain.afterFirstEpoch()[i], org.assertj.core.data.Offset.offset(tolerance));
            }
            assertThat(train(spec, precision, data, optimizer, config, 1, groups, false).losses())
                    .containsExactly(grouped.losses());
            try (TfModel m = (TfModel) backend.createModel(spec, precision, 5)) {
                m.overrideGroups(groups);
                double[] start = m.parameters();
                TrainingConfig c = new TrainingConfig(2, 10, true, 11, precision);
                double[] first = m.train(data, optimizer, c, List.of()).stepLosses();
                m.setParameters(start);
                assertThat(m.train(data, optimizer, c, List.of()).stepLosses()).containsExactly(first);
            }
        }
    }

    /**
     * A listener that stops a grouped run leaves the model with the parameters of the last step run (step 8 of a
     * call of 8 steps), as a run in row ranges does.
     */
    @Test
    void aStoppedRunInUnitGroupsLeavesTheParametersOfTheLastStepRun() {
        ModelSpec spec = ModelSpec.mlp(6, new int[] {9}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = data(spec, 203);
        double[] plain = stoppedAt(spec, data, 0, 5);
        double[] grouped = stoppedAt(spec, data, 2, 5);
        try (Model fresh = backend.createModel(spec, Precision.FLOAT64, 5)) {
            assertThat(plain).isNotEqualTo(fresh.parameters());
        }
        for (int i = 0; i < plain.length; i++) {
            assertThat(grouped[i]).as("parameter %d", i).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * Parameters a listener sets during a run in unit groups are the ones the next steps go on from, as in a run in
     * row ranges: the groups' copies of the first kernel follow them (a weight decay applied by a listener was
     * otherwise undone for that kernel).
     */
    @Test
    void parametersSetByAListenerDuringARunInUnitGroupsAreTrainedOn() {
        ModelSpec spec = ModelSpec.mlp(6, new int[] {9}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = data(spec, 203);
        double[] plain = halvedDuringTraining(spec, data, 0);
        double[] grouped = halvedDuringTraining(spec, data, 2);
        for (int i = 0; i < plain.length; i++) {
            assertThat(grouped[i]).as("parameter %d", i).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** Trains two epochs, halving every parameter after step 3 and after the first epoch. */
    private static double[] halvedDuringTraining(ModelSpec spec, Dataset data, int groups) {
        TrainingListener halve = new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                if (step == 3) {
                    halve(model);
                }
            }

            @Override
            public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
                if (epoch == 1) {
                    halve(model);
                }
            }

            @Override
            public boolean readsModelEveryStep() {
                return true;
            }

            private void halve(Model model) {
                double[] theta = model.parameters();
                for (int i = 0; i < theta.length; i++) {
                    theta[i] *= 0.5;
                }
                model.setParameters(theta);
            }
        };
        return trainedWith(spec, data, groups, halve, false);
    }

    /**
     * A listener that reads the model every {@code k} steps sees the parameters of exactly those steps when the
     * steps between run several per call (at 12: calls of 8 steps and of single steps, across epochs of 21 steps),
     * in one row range and in unit groups, as a listener that reads after every step does.
     */
    @ParameterizedTest(name = "every {0} steps, {1} groups")
    @CsvSource({"12, 0", "12, 2", "16, 2", "3, 2"})
    void aListenerReadingEveryKStepsSeesTheParametersOfThoseSteps(int every, int groups) {
        ModelSpec spec = ModelSpec.mlp(6, new int[] {9}, 3, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = data(spec, 203);
        java.util.Map<Long, double[]> periodic = new java.util.TreeMap<>();
        java.util.Map<Long, double[]> everyStep = new java.util.TreeMap<>();
        double[] fast = trainedWith(spec, data, groups, reader(every, every, periodic), false);
        double[] plain = trainedWith(spec, data, groups, reader(1, every, everyStep), false);
        assertThat(periodic.keySet()).containsExactlyElementsOf(everyStep.keySet()).hasSize(42 / every);
        for (long step : everyStep.keySet()) {
            assertClose(periodic.get(step), everyStep.get(step), "step " + step);
        }
        assertClose(fast, plain, "the end");
    }

    /** Records the parameters after every {@code k}-th step, declaring reads every {@code declared} steps. */
    private static TrainingListener reader(int declared, int k, java.util.Map<Long, double[]> seen) {
        return new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                if (step % k == 0) {
                    seen.put(step, model.parameters());
                }
            }

            @Override
            public int readsModelEvery() {
                return declared;
            }
        };
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s, parameter %d", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** Per-step losses and gradient norms with the batch cut into 1 or 3 pieces, several steps per call or one. */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"sgd, SOFTMAX_CROSS_ENTROPY", "momentum, SOFTMAX_CROSS_ENTROPY", "adam, MEAN_SQUARED_ERROR"})
    void piecesAndUnrolledStepsGiveTheSameNumbers(String optimizerName, Loss loss) {
        OptimizerSpec optimizer = optimizer(optimizerName);
        ModelSpec spec = ModelSpec.mlp(6, new int[] {7, 5}, 3, Activation.TANH, loss);
        Dataset data = data(spec, 203); // 20 steps of 10 and a last one of 3: unrolled groups, then single steps
        TrainingConfig config = TrainingConfig.of(2, 10, 11, Precision.FLOAT64);
        for (Precision precision : Precision.values()) {
            Trained plain = train(spec, precision, data, optimizer, config, 1, 0, true);
            Trained fast = train(spec, precision, data, optimizer, config, 3, 0, false);
            assertSameSteps(precision, plain, fast);
            // and the same settings twice give the same numbers exactly
            assertThat(train(spec, precision, data, optimizer, config, 3, 0, false).losses())
                    .containsExactly(fast.losses());
        }
    }

    /**
     * Asserts the 42 steps of two trainings have the same losses and gradient norms, to rounding; returns the
     * tolerance used (relative, and absolute for parameters).
     */
    private static double assertSameSteps(Precision precision, Trained expected, Trained actual) {
        double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
        assertThat(expected.losses()).hasSize(42);
        for (int i = 0; i < expected.losses().length; i++) {
            assertThat(actual.losses()[i]).as("%s step %d loss", precision, i + 1)
                    .isCloseTo(expected.losses()[i], withPercentage(100 * tolerance));
            assertThat(actual.norms()[i]).as("%s step %d gradient norm", precision, i + 1)
                    .isCloseTo(expected.norms()[i], withPercentage(100 * tolerance));
        }
        return tolerance;
    }

    private static OptimizerSpec optimizer(String name) {
        return switch (name) {
            case "sgd" -> OptimizerSpec.sgd(0.05);
            case "momentum" -> new io.github.losslab.api.train.Sgd(0.05, 0.9);
            default -> OptimizerSpec.adam(0.01);
        };
    }

    /**
     * One full-batch SGD step, cut into pieces, moves the parameters by exactly -lr times the batch gradient of the
     * model's own (graph-differentiated) loss: this checks the written-out backpropagation of dense networks for
     * every activation and loss, and the graph gradients of a convolutional one.
     */
    @ParameterizedTest(name = "{0}, {1}, {2}")
    @CsvSource({
            "RELU, MEAN_SQUARED_ERROR, FLOAT64", "TANH, MEAN_SQUARED_ERROR, FLOAT64",
            "SIGMOID, SOFTMAX_CROSS_ENTROPY, FLOAT64", "IDENTITY, SOFTMAX_CROSS_ENTROPY, FLOAT64",
            "RELU, SOFTMAX_CROSS_ENTROPY, FLOAT64", "TANH, SOFTMAX_CROSS_ENTROPY, FLOAT32",
            "SIGMOID, MEAN_SQUARED_ERROR, FLOAT32", "RELU, SOFTMAX_CROSS_ENTROPY, FLOAT32"})
    void aChunkedStepFollowsTheWholeBatchGradient(Activation activation, Loss loss, Precision precision) {
        ModelSpec spec = ModelSpec.mlp(4, new int[] {9, 6}, 3, activation, loss);
        assertStepFollowsGradient(spec, precision, data(spec, 97), m -> m.overrideChunks(5));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @CsvSource({
            "RELU, MEAN_SQUARED_ERROR, FLOAT64", "TANH, SOFTMAX_CROSS_ENTROPY, FLOAT64",
            "SIGMOID, SOFTMAX_CROSS_ENTROPY, FLOAT64", "IDENTITY, MEAN_SQUARED_ERROR, FLOAT64",
            "RELU, SOFTMAX_CROSS_ENTROPY, FLOAT32", "SIGMOID, MEAN_SQUARED_ERROR, FLOAT32"})
    void aStepInUnitGroupsFollowsTheWholeBatchGradient(Activation activation, Loss loss, Precision precision) {
        ModelSpec spec = ModelSpec.mlp(4, new int[] {9}, 3, activation, loss);
        assertStepFollowsGradient(spec, precision, data(spec, 97), m -> m.overrideGroups(2));
    }

    @ParameterizedTest(name = "{0}, {1} hidden layers")
    @CsvSource({"FLOAT64, 2", "FLOAT32, 2", "FLOAT64, 1", "FLOAT32, 1"})
    void aSingleInputNetFollowsTheWholeBatchGradient(Precision precision, int hiddenLayers) {
        // the first layer's kernel and bias gradients then come from one product; with one ReLU layer and one
        // output, from the ReLU mask without the hidden layer's gradient
        ModelSpec spec = ModelSpec.mlp(1, hiddenLayers == 2 ? new int[] {9, 6} : new int[] {9}, 1, Activation.RELU,
                Loss.MEAN_SQUARED_ERROR);
        assertStepFollowsGradient(spec, precision, data(spec, 97), m -> m.overrideChunks(5));
    }

    /**
     * Training graphs leave constant factors (one over the batch size, two over the outputs) out of the gradients
     * and put them into the optimizer; Adam's first step shows they come back exactly: each parameter moves by
     * lr g / (|g| + epsilon) for its true gradient g.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"1, MEAN_SQUARED_ERROR", "4, MEAN_SQUARED_ERROR", "4, SOFTMAX_CROSS_ENTROPY"})
    void aFirstAdamStepUndoesTheScalingLeftOutOfTheGradients(int inputs, Loss loss) {
        ModelSpec spec = ModelSpec.mlp(inputs, new int[] {7}, loss == Loss.MEAN_SQUARED_ERROR ? 2 : 3,
                Activation.RELU, loss);
        Dataset data = data(spec, 61);
        for (int run = 0; run < 4; run++) {
            int batch = run % 2 == 0 ? 61 : 20;
            try (TfModel m = (TfModel) backend.createModel(spec, Precision.FLOAT64, 3)) {
                double[] before = m.parameters();
                double[] gradient = m.lossAndGradient(data.batch(0, batch)).gradient(); // unshuffled: step 1
                if (run < 2) {
                    m.overrideChunks(2);
                } else if (inputs > 1) {
                    m.overrideGroups(2);
                }
                m.train(data, OptimizerSpec.adam(0.01), new TrainingConfig(1, batch, false, 1, Precision.FLOAT64),
                        List.of(new TrainingListener() {
                            @Override
                            public boolean readsModelEveryStep() {
                                return true;
                            }

                            @Override
                            public void onStep(Model model, int epoch, long step,
                                               double loss, double norm) {
                                if (step == 1) {
                                    double[] after = model.parameters();
                                    for (int i = 0; i < before.length; i++) {
                                        double g = gradient[i];
                                        assertThat(after[i]).as("batch %d, parameter %d", batch, i).isCloseTo(
                                                before[i] - 0.01 * g / (Math.abs(g) + Adam.EPSILON_DEFAULT),
                                                org.assertj.core.data.Offset.offset(1e-13));
                                    }
                                }
                            }
                        }));
            }
        }
    }

    /**
     * Momentum and Adam in row ranges and in unit groups take each epoch's short last batch (7 rows after 3 batches
     * of 20) as its mean gradient, as training by formula from the model's own
     * gradients does (the contract suite checks the backend's own choice of cutting).
     */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"momentum, chunks", "momentum, groups", "adam, chunks", "adam, groups"})
    void cutBatchesGiveAShortLastBatchItsMeanGradient(String optimizerName, String cutting) {
        OptimizerSpec optimizer = optimizer(optimizerName);
        ModelSpec spec = ModelSpec.mlp(5, new int[] {8}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = data(spec, 67);
        try (TfModel trained = (TfModel) backend.createModel(spec, Precision.FLOAT64, 2);
             Model reference = backend.createModel(spec, Precision.FLOAT64, 2)) {
            if (cutting.equals("chunks")) {
                trained.overrideChunks(2);
            } else {
                trained.overrideGroups(2);
            }
            trained.train(data, optimizer, new TrainingConfig(2, 20, false, 0, Precision.FLOAT64), List.of());
            io.github.losslab.api.contract.BackendFixtures.trainByFormula(reference, data, optimizer, 2, 20);
            double[] expected = reference.parameters();
            for (int i = 0; i < expected.length; i++) {
                assertThat(trained.parameters()[i]).as("parameter %d", i)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void aChunkedConvolutionalStepFollowsTheWholeBatchGradient() {
        ModelSpec spec = ModelSpec.builder(6, 6, 1).conv2d(3, 3, Activation.RELU).maxPool(2).flatten()
                .dense(3, Activation.IDENTITY)
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        assertStepFollowsGradient(spec, Precision.FLOAT64, data(spec, 41), m -> m.overrideChunks(5));
    }

    private static void assertStepFollowsGradient(ModelSpec spec, Precision precision, Dataset data,
                                                  java.util.function.Consumer<TfModel> cutting) {
        try (TfModel m = (TfModel) backend.createModel(spec, precision, 3)) {
            double[] before = m.parameters();
            double[] gradient = m.lossAndGradient(data.all()).gradient();
            cutting.accept(m);
            m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, data.size(), 1, precision), List.of());
            double[] after = m.parameters();
            double tolerance = precision == Precision.FLOAT64 ? 1e-14 : 1e-6;
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).as("parameter %d", i).isCloseTo(before[i] - 0.1 * gradient[i],
                        org.assertj.core.data.Offset.offset(tolerance));
            }
        }
    }

    /** Per-step losses and gradient norms, the parameters at the end and those a listener read after epoch 1. */
    private record Trained(double[] losses, double[] norms, double[] parameters, double[] afterFirstEpoch) {
    }

    /** Trains with the batch cut into {@code chunks} row ranges, or (when above 0) {@code groups} unit groups. */
    private static Trained train(ModelSpec spec, Precision precision, Dataset data, OptimizerSpec optimizer,
                                 TrainingConfig config, int chunks, int groups, boolean everyStep) {
        double[][] afterFirstEpoch = new double[1][];
        TrainingListener listener = new TrainingListener() {
            @Override
            public boolean readsModelEveryStep() {
                return everyStep;
            }

            @Override
            public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
                if (epoch == 1) {
                    afterFirstEpoch[0] = model.parameters();
                }
            }
        };
        try (TfModel m = (TfModel) backend.createModel(spec, precision, 5)) {
            m.overrideChunks(chunks);
            m.overrideGroups(groups);
            var history = m.train(data, optimizer, new TrainingConfig(config.epochs(), config.batchSize(), true,
                    config.seed(), precision), List.of(listener));
            return new Trained(history.stepLosses(), history.stepGradientNorms(), m.parameters(), afterFirstEpoch[0]);
        }
    }

    /** The parameters a model holds after a listener stopped its training at {@code stopStep}. */
    private static double[] stoppedAt(ModelSpec spec, Dataset data, int groups, long stopStep) {
        TrainingListener stop = new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                if (step == stopStep) {
                    throw new IllegalStateException("stop");
                }
            }
        };
        return trainedWith(spec, data, groups, stop, true);
    }

    /**
     * The parameters after two epochs of SGD in batches of 10 in one row range or {@code groups} unit groups (0:
     * chosen by size), with a listener that stops the run when {@code stops}.
     */
    private static double[] trainedWith(ModelSpec spec, Dataset data, int groups, TrainingListener listener,
                                        boolean stops) {
        try (TfModel m = (TfModel) backend.createModel(spec, Precision.FLOAT64, 5)) {
            m.overrideChunks(1);
            m.overrideGroups(groups);
            org.assertj.core.api.ThrowableAssert.ThrowingCallable train = () -> m.train(data,
                    OptimizerSpec.sgd(0.05), new TrainingConfig(2, 10, true, 11, Precision.FLOAT64),
                    List.of(listener));
            if (stops) {
                org.assertj.core.api.Assertions.assertThatThrownBy(train).hasMessage("stop");
            } else {
                assertThatCode(train).doesNotThrowAnyException();
            }
            return m.parameters();
        }
    }

    private static Dataset data(ModelSpec spec, int n) {
        SplittableRandom random = new SplittableRandom(4);
        int in = spec.inputSize();
        int out = spec.outputSize();
        float[] x = new float[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(out);
            }
            return Dataset.classification("random-classes", spec.inputShape(), x, y, out);
        }
        float[] t = new float[n * out];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) random.nextDouble(-1, 1);
        }
        return Dataset.regression("random-targets", spec.inputShape(), x, t, out);
    }
}
