package io.github.losslab.api.contract;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.FiniteDifferenceJacobian;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.contract.BackendFixtures.HessianForms;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.MaxPool2dLayer;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;
import io.github.losslab.api.model.ParameterInit;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.Sgd;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.losslab.api.contract.BackendFixtures.batch;
import static io.github.losslab.api.contract.BackendFixtures.cnn;
import static io.github.losslab.api.contract.BackendFixtures.gaussian;
import static io.github.losslab.api.contract.BackendFixtures.gradientDifferenceHvp;
import static io.github.losslab.api.contract.BackendFixtures.hessianForms;
import static io.github.losslab.api.contract.BackendFixtures.mlp;
import static io.github.losslab.api.contract.BackendFixtures.numericGradient;
import static io.github.losslab.api.contract.BackendFixtures.numericInputGradient;
import static io.github.losslab.api.contract.BackendFixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every backend must do, checked against finite differences and numbers computed by hand. A backend runs it
 * with a subclass in its own tests that names it:
 *
 * <pre>{@code
 * class TfBackendContractTest extends BackendContractTest {
 *     protected String backendName() { return "tensorflow"; }
 * }
 * }</pre>
 *
 * The suite is published in the test-jar of {@code losslab-api}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {

    /** Step of the central differences of the first-order checks. */
    private static final double H = 1e-5;

    /**
     * The two-point line problem of the optimizer checks: y = w x + b with MSE on (x, y) = (1, 2), (2, 3), from
     * w = 0.5, b = 0.1. Predictions 0.6 and 1.1, residuals -1.4 and -1.9, loss (1.96 + 3.61) / 2 = 2.785,
     * dL/dw = (2(-1.4)(1) + 2(-1.9)(2)) / 2 = -5.2, dL/db = (2(-1.4) + 2(-1.9)) / 2 = -3.3.
     */
    private static final ModelSpec LINE = ModelSpec.builder(1).dense(1, Activation.IDENTITY)
            .loss(Loss.MEAN_SQUARED_ERROR).build();
    private static final Dataset POINTS = Dataset.regression("two points", new int[] {1}, new float[] {1, 2},
            new float[] {2, 3}, 1);

    private Backend backend;

    /** The name the backend is registered under, for example {@code tensorflow}. */
    protected abstract String backendName();

    @BeforeAll
    void loadBackend() {
        backend = Backends.create(backendName(), BackendOptions.DEFAULT);
    }

    /** The backend under test. */
    protected Backend backend() {
        return backend;
    }

    /**
     * A network of the derivative checks, named in the report as {@code dense TANH, MEAN_SQUARED_ERROR}: the
     * {@link BackendFixtures#mlp dense} one or the {@link BackendFixtures#cnn convolutional} one.
     */
    record Network(String name, boolean convolutional, Activation activation, ModelSpec spec) {

        /** The rows of a check's batch: {@code dense} for the dense network, {@code convolutional} for the other. */
        int rows(int dense, int convolutional) {
            return this.convolutional ? convolutional : dense;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The dense network of every activation and loss, then the convolutional one of every activation and loss. */
    static Stream<Network> networks() {
        Stream.Builder<Network> b = Stream.builder();
        for (boolean convolutional : new boolean[] {false, true}) {
            for (Activation a : Activation.values()) {
                for (Loss l : Loss.values()) {
                    String name = (convolutional ? "cnn " : "dense ") + a + ", " + l;
                    b.add(new Network(name, convolutional, a, convolutional ? cnn(a, l) : mlp(a, l)));
                }
            }
        }
        return b.build();
    }

    @Test
    void isRegisteredUnderItsNameAndDescribesItself() {
        assertThat(Backends.available()).contains(backendName());
        assertThat(backend.name()).isEqualTo(backendName());
        assertThat(backend.version()).isNotBlank();
        assertThat(backend.device()).isEqualTo("cpu");
        assertThat(backend.options()).isEqualTo(BackendOptions.DEFAULT);
    }

    // ---- first derivatives -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void gradientMatchesCentralDifferences(Network network) {
        try (Model model = backend.createModel(network.spec(), Precision.FLOAT64, 7)) {
            Batch batch = batch(network.spec(), network.rows(6, 3), 11);
            LossAndGradient lg = model.lossAndGradient(batch);
            assertThat(lg.loss()).isEqualTo(model.loss(batch));
            assertThat(lg.gradient()).hasSize(network.spec().parameterCount());
            assertThat(relativeError(lg.gradient(), numericGradient(model, batch, H))).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void inputGradientMatchesCentralDifferencesOfEachSamplesLoss(Network network) {
        ModelSpec spec = network.spec();
        int rows = network.rows(4, 2);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
            Batch batch = batch(spec, rows, 5);
            double[] analytic = model.inputGradient(batch);
            assertThat(analytic).hasSize(rows * spec.inputSize());
            assertThat(relativeError(analytic, numericInputGradient(model, batch, H))).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void outputJacobianMatchesCentralDifferencesOfPredictions(Network network) {
        int rows = network.rows(3, 2);
        ModelSpec spec = network.spec();
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 21)) {
            Batch batch = batch(spec, rows, 22);
            for (boolean softmax : new boolean[] {false, true}) {
                double[] jacobian = model.outputJacobian(batch.features(), rows, softmax);
                assertThat(jacobian).hasSize(rows * spec.outputSize() * spec.inputSize());
                double[] numeric = FiniteDifferenceJacobian.apply(model, batch.features(), rows, softmax);
                assertThat(relativeError(jacobian, numeric)).as("softmax " + softmax).isLessThan(1e-7);
            }
        }
    }

    // ---- second derivatives ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void hessianVectorProductMatchesDifferencesOfGradients(Network network) {
        ModelSpec spec = network.spec();
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 13)) {
            Batch batch = batch(spec, network.rows(8, 3), 17);
            double[] v = gaussian(spec.parameterCount(), 19);
            double[] theta = model.parameters();
            double[] hv = model.hessianVectorProduct(batch, v);
            assertThat(model.parameters()).containsExactly(theta);
            // ReLU and max pooling make the gradient piecewise smooth: then a step so small that no pre-activation
            // changes sign and no pooling window changes its maximum between the probes
            boolean pooling = spec.layers().stream().anyMatch(l -> l instanceof MaxPool2dLayer);
            double h = network.activation() == Activation.RELU || pooling ? 1e-6 : 1e-3;
            double[] numeric = gradientDifferenceHvp(model, batch, v, h);
            double tolerance = model.curvatureMethod() == CurvatureMethod.EXACT ? 1e-8 : 1e-6;
            assertThat(relativeError(hv, numeric)).isLessThan(tolerance);
        }
    }

    @Test
    void hessianVectorProductIsSymmetric() {
        for (ModelSpec spec : List.of(mlp(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY),
                cnn(Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR))) {
            try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
                HessianForms f = hessianForms(model, batch(spec, 5, 4), 1, 2);
                double tolerance = model.curvatureMethod() == CurvatureMethod.EXACT ? 1e-12 : 1e-6;
                assertThat(f.wHv()).as(spec.describe())
                        .isCloseTo(f.vHw(), within(tolerance * Math.abs(f.wHv()) + 1e-14));
            }
        }
    }

    @Test
    void linearLeastSquaresHasTheClosedFormHessian() {
        // y = w x + b with MSE over points x_i: H = (2/n) sum [x_i^2, x_i; x_i, 1]
        double[] x = {-1, 0.5, 2, 3};
        Batch batch = Batch.regression(x, 4, new double[] {1, 2, 3, 4});
        try (Model model = backend.createModel(LINE, Precision.FLOAT64, 3)) {
            double sxx = 1 + 0.25 + 4 + 9;
            double sx = -1 + 0.5 + 2 + 3;
            double tolerance = model.curvatureMethod() == CurvatureMethod.EXACT ? 1e-12 : 1e-6;
            assertThat(model.hessianVectorProduct(batch, new double[] {1, 0}))
                    .containsExactly(new double[] {2 * sxx / 4, 2 * sx / 4}, within(tolerance));
            assertThat(model.hessianVectorProduct(batch, new double[] {0, 1}))
                    .containsExactly(new double[] {2 * sx / 4, 2.0}, within(tolerance));
            assertThat(model.hessianVectorProduct(batch, new double[] {0, 0}))
                    .containsExactly(new double[] {0, 0}, within(0.0));
        }
    }

    // ---- optimizers --------------------------------------------------------------------------------------------

    private double[] trainLine(OptimizerSpec optimizer, int steps, TrainingHistory[] history) {
        try (Model m = backend.createModel(LINE, Precision.FLOAT64, 1)) {
            m.setParameters(new double[] {0.5, 0.1});
            TrainingHistory h = m.train(POINTS, optimizer,
                    new TrainingConfig(steps, 2, false, 0, Precision.FLOAT64), List.of());
            if (history != null) {
                history[0] = h;
            }
            return m.parameters();
        }
    }

    @Test
    void sgdStepIsThetaMinusLearningRateTimesGradient() {
        TrainingHistory[] h = new TrainingHistory[1];
        double[] theta = trainLine(OptimizerSpec.sgd(0.1), 1, h);
        // w = 0.5 - 0.1 * (-5.2) = 1.02, b = 0.1 - 0.1 * (-3.3) = 0.43
        assertThat(theta).containsExactly(new double[] {1.02, 0.43}, within(1e-12));
        // the recorded loss and gradient norm are those before the step
        assertThat(h[0].stepLosses()).containsExactly(new double[] {2.785}, within(1e-12));
        assertThat(h[0].stepGradientNorms()).containsExactly(new double[] {Math.hypot(5.2, 3.3)}, within(1e-12));
        assertThat(h[0].series(TrainingHistory.LOSS)).containsExactly(new double[] {2.785}, within(1e-12));
    }

    @Test
    void momentumAccumulatesGradients() {
        double[] theta = trainLine(new Sgd(0.1, 0.9), 2, null);
        // step 1: v = g = (-5.2, -3.3), theta = (1.02, 0.43)
        // step 2: predictions 1.45, 2.47; residuals -0.55, -0.53; g = (-0.55 - 1.06, -0.55 - 0.53) = (-1.61, -1.08)
        //         v = 0.9 (-5.2, -3.3) + g = (-6.29, -4.05); theta = (1.02 + 0.629, 0.43 + 0.405)
        assertThat(theta).containsExactly(new double[] {1.649, 0.835}, within(1e-12));
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        double[] theta = trainLine(OptimizerSpec.adam(0.1), 1, null);
        // bias-corrected m / sqrt(v) = g / |g| on the first step: each parameter moves by lr against its gradient
        assertThat(theta[0]).isCloseTo(0.5 + 0.1 * 5.2 / (5.2 + 1e-8), within(1e-12));
        assertThat(theta[1]).isCloseTo(0.1 + 0.1 * 3.3 / (3.3 + 1e-8), within(1e-12));
    }

    @Test
    void adamSecondStepUsesBiasCorrectedMoments() {
        double[] theta = trainLine(OptimizerSpec.adam(0.1), 2, null);
        // after step 1: w = 0.6, b = 0.2 (up to 1e-9). Step 2: predictions 0.8, 1.4; residuals -1.2, -1.6;
        // g = (-4.4, -2.8). m = 0.9 * 0.1 g1 + 0.1 g2, v = 0.999 * 0.001 g1^2 + 0.001 g2^2,
        // w: m = -0.908, v = 0.04637296, m^ = m / 0.19 = -4.7789474, v^ = v / 0.001999 = 23.1980790,
        //    step = 0.1 * 4.7789474 / 4.8164384 = 0.0992216 -> w = 0.6992216
        // b: m = -0.577, v = 0.01871911, m^ = -3.0368421, v^ = 9.3642371, sqrt = 3.0601041,
        //    step = 0.1 * 3.0368421 / 3.0601041 = 0.0992398 -> b = 0.2992398
        assertThat(theta).containsExactly(new double[] {0.6992216, 0.2992398}, within(1e-6));
        assertThat(theta).containsExactly(referenceAdam(0.1, 2), within(1e-12));
    }

    /**
     * Momentum and Adam add up the gradients of many steps: the short last batch of each epoch (3 rows after
     * batches of 10) must enter their state as its mean gradient, like every other batch. Checked against training
     * by formula from the model's own gradients, over three epochs, for a net of one hidden layer (which the
     * TensorFlow backend may split into groups of units) and one of two.
     */
    @ParameterizedTest(name = "{0}, {1}, hidden {2}")
    @MethodSource("statefulOptimizerCases")
    void statefulOptimizersTakeAShortLastBatchAsItsMeanGradient(String optimizer, Loss loss, int hiddenLayers) {
        OptimizerSpec spec = optimizer.equals("adam") ? OptimizerSpec.adam(0.02) : new Sgd(0.05, 0.9);
        ModelSpec net = ModelSpec.mlp(4, hiddenLayers == 1 ? new int[] {6} : new int[] {6, 5},
                loss == Loss.SOFTMAX_CROSS_ENTROPY ? 3 : 2, Activation.TANH, loss);
        Dataset data = BackendFixtures.dataset(net, 23, 8);
        try (Model trained = backend.createModel(net, Precision.FLOAT64, 7);
             Model reference = backend.createModel(net, Precision.FLOAT64, 7)) {
            trained.train(data, spec, new TrainingConfig(3, 10, false, 0, Precision.FLOAT64), List.of());
            BackendFixtures.trainByFormula(reference, data, spec, 3, 10);
            assertThat(relativeError(trained.parameters(), reference.parameters())).isLessThan(1e-10);
        }
    }

    Stream<org.junit.jupiter.params.provider.Arguments> statefulOptimizerCases() {
        return Stream.of("momentum", "adam").flatMap(o -> Stream.of(Loss.SOFTMAX_CROSS_ENTROPY,
                Loss.MEAN_SQUARED_ERROR).flatMap(l -> Stream.of(1, 2).map(h ->
                org.junit.jupiter.params.provider.Arguments.of(o, l, h))));
    }

    @Test
    void optimizerStateStartsFreshAtEachTrainCall() {
        try (Model m = backend.createModel(LINE, Precision.FLOAT64, 1)) {
            TrainingConfig one = new TrainingConfig(1, 2, false, 0, Precision.FLOAT64);
            m.setParameters(new double[] {0.5, 0.1});
            m.train(POINTS, OptimizerSpec.adam(0.1), one, List.of());
            m.setParameters(new double[] {0.5, 0.1});
            m.train(POINTS, OptimizerSpec.adam(0.1), one, List.of());
            assertThat(m.parameters()[0]).isCloseTo(0.6, within(1e-8));
        }
    }

    /** Adam as in Kingma and Ba's Algorithm 1 on the two-point problem. */
    private static double[] referenceAdam(double lr, int steps) {
        double w = 0.5;
        double b = 0.1;
        double[] m = new double[2];
        double[] v = new double[2];
        for (int t = 1; t <= steps; t++) {
            double r1 = w * 1 + b - 2;
            double r2 = w * 2 + b - 3;
            double[] g = {(2 * r1 * 1 + 2 * r2 * 2) / 2, (2 * r1 + 2 * r2) / 2};
            double[] p = {w, b};
            for (int i = 0; i < 2; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                p[i] -= lr * mh / (Math.sqrt(vh) + Adam.EPSILON_DEFAULT);
            }
            w = p[0];
            b = p[1];
        }
        return new double[] {w, b};
    }

    // ---- parameters, seeds and training ------------------------------------------------------------------------

    @Test
    void initialParametersAreTheBackendIndependentOnes() {
        for (ModelSpec spec : List.of(mlp(Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY),
                cnn(Activation.TANH, Loss.MEAN_SQUARED_ERROR))) {
            try (Model a = backend.createModel(spec, Precision.FLOAT64, 42);
                 Model b = backend.createModel(spec, Precision.FLOAT32, 42);
                 Model c = backend.createModel(spec, Precision.FLOAT64, 43)) {
                double[] expected = ParameterInit.initial(spec, 42);
                assertThat(a.parameters()).containsExactly(expected);
                assertThat(b.parameters()).containsExactly(expected, within(1e-7));
                assertThat(c.parameters()).isNotEqualTo(expected);
                assertThat(a.parameterCount()).isEqualTo(spec.parameterCount());
                assertThat(a.precision()).isEqualTo(Precision.FLOAT64);
                assertThat(a.spec()).isEqualTo(spec);
            }
        }
    }

    @Test
    void savedModelsLoadWithTheirParameters(@TempDir Path dir) throws IOException {
        ModelSpec spec = cnn(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Batch batch = batch(spec, 3, 1);
        try (Model saved = backend.createModel(spec, Precision.FLOAT64, 6)) {
            saved.setParameters(gaussian(spec.parameterCount(), 7));
            ModelIo.save(saved, dir);
            try (Model loaded = ModelIo.load(dir, backend)) {
                assertThat(loaded.spec()).isEqualTo(spec);
                assertThat(loaded.precision()).isEqualTo(Precision.FLOAT64);
                assertThat(loaded.parameters()).containsExactly(saved.parameters());
                assertThat(loaded.predict(batch.features(), 3)).containsExactly(saved.predict(batch.features(), 3));
            }
        }
    }

    @Test
    void parametersRoundTripInLayoutOrder() {
        ModelSpec spec = ModelSpec.mlp(3, new int[] {4}, 2, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 1)) {
            double[] theta = new double[spec.parameterCount()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = i * 0.01;
            }
            m.setParameters(theta);
            assertThat(m.parameters()).containsExactly(theta);
            // layer0/kernel is [3, 4] row-major: hidden unit j of input e_0 is tanh(kernel[0][j] + bias[j])
            double[] kernel1 = spec.layout().slice(theta, "layer1/kernel");
            double[] bias0 = spec.layout().slice(theta, "layer0/bias");
            double expected0 = spec.layout().slice(theta, "layer1/bias")[0];
            for (int j = 0; j < 4; j++) {
                expected0 += Math.tanh(theta[j] + bias0[j]) * kernel1[j * 2];
            }
            double[] out = m.predict(new double[] {1, 0, 0}, 1);
            assertThat(out).hasSize(2);
            assertThat(out[0]).isCloseTo(expected0, within(1e-12));
        }
    }

    @Test
    void convolutionFollowsTheChannelsLastLayout() {
        // one 2x2 filter over a 3x3x2 image, VALID: output (i, j) = sum_{a, b, c} x[i+a][j+b][c] k[a][b][c] + bias
        ModelSpec spec = ModelSpec.builder(3, 3, 2)
                .layer(new Conv2dLayer(1, 2, 1, Padding.VALID, Activation.IDENTITY))
                .loss(Loss.MEAN_SQUARED_ERROR).build();
        double[] x = new double[18];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        double[] theta = {1, -1, 0.5, 2, 0, 3, -2, 1, 0.25};
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 1)) {
            m.setParameters(theta);
            double[] out = m.predict(x, 1);
            double[] expected = new double[4];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double s = theta[8];
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            for (int c = 0; c < 2; c++) {
                                s += x[((i + a) * 3 + j + b) * 2 + c] * theta[(a * 2 + b) * 2 + c];
                            }
                        }
                    }
                    expected[i * 2 + j] = s;
                }
            }
            assertThat(out).containsExactly(expected, within(1e-12));
        }
    }

    @Test
    void evaluatesCrossEntropyAccuracyAndMseByHand() {
        // one linear layer 2 -> 2 with identity kernel and zero bias: logits equal the inputs
        ModelSpec spec = ModelSpec.builder(2).dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        Dataset data = Dataset.classification("d", new int[] {2}, new float[] {1, 0, 0, 2, 3, 1}, new int[] {0, 0, 1},
                2);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 0)) {
            m.setParameters(new double[] {1, 0, 0, 1, 0, 0});
            Map<Metric, Double> r = m.evaluate(data, EnumSet.allOf(Metric.class));
            double l1 = Math.log(1 + Math.exp(-1));      // logits (1, 0), label 0
            double l2 = Math.log(1 + Math.exp(2));       // logits (0, 2), label 0
            double l3 = Math.log(1 + Math.exp(2));       // logits (3, 1), label 1
            assertThat(r.get(Metric.LOSS)).isCloseTo((l1 + l2 + l3) / 3, within(1e-12));
            assertThat(r.get(Metric.ACCURACY)).isCloseTo(1.0 / 3, within(1e-12));
            double p1 = 1 / (1 + Math.exp(-1));
            double p2 = 1 / (1 + Math.exp(2));
            double p3 = 1 / (1 + Math.exp(-2));
            double mse = (2 * Math.pow(1 - p1, 2) + 2 * Math.pow(1 - p2, 2) + 2 * Math.pow(p3, 2)) / 6;
            assertThat(r.get(Metric.MSE)).isCloseTo(mse, within(1e-12));
            // dL/dW = mean over samples of x (softmax - onehot)^T, dL/db = mean(softmax - onehot)
            double[][] xs = {{1, 0}, {0, 2}, {3, 1}};
            double[][] d = {{p1 - 1, 1 - p1}, {p2 - 1, 1 - p2}, {p3, -p3}};
            double[] grad = new double[6];
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        grad[i * 2 + j] += xs[s][i] * d[s][j] / 3;
                    }
                }
                grad[4] += d[s][0] / 3;
                grad[5] += d[s][1] / 3;
            }
            double norm = 0;
            for (double g : grad) {
                norm += g * g;
            }
            assertThat(r.get(Metric.GRADIENT_NORM)).isCloseTo(Math.sqrt(norm), within(1e-12));
            assertThat(m.lossAndGradient(data.all()).gradient()).containsExactly(grad, within(1e-12));
        }
    }

    @Test
    void evaluatesRegressionMseAndRefusesAccuracy() {
        ModelSpec spec = ModelSpec.builder(1).dense(2, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        Dataset data = Dataset.regression("r", new int[] {1}, new float[] {1, 2}, new float[] {0, 1, 1, 1}, 2);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 0)) {
            m.setParameters(new double[] {1, -1, 0.5, 0.5});
            // outputs (1.5, -0.5) and (2.5, -1.5); squared errors 2.25 + 2.25 + 2.25 + 6.25
            Map<Metric, Double> r = m.evaluate(data, EnumSet.of(Metric.LOSS, Metric.MSE));
            assertThat(r.get(Metric.LOSS)).isCloseTo(13.0 / 4, within(1e-12));
            assertThat(r.get(Metric.MSE)).isCloseTo(13.0 / 4, within(1e-12));
            assertThatThrownBy(() -> m.evaluate(data, EnumSet.of(Metric.ACCURACY)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accuracy");
        }
    }

    @Test
    void evaluationInChunksEqualsOneBatch() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {8}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, 10_007);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 5)) {
            Map<Metric, Double> r = m.evaluate(data, EnumSet.of(Metric.LOSS, Metric.MSE, Metric.GRADIENT_NORM));
            LossAndGradient all = m.lossAndGradient(data.all());
            assertThat(r.get(Metric.LOSS)).isCloseTo(all.loss(), within(1e-10));
            assertThat(r.get(Metric.MSE)).isCloseTo(all.loss(), within(1e-10));
            assertThat(r.get(Metric.GRADIENT_NORM)).isCloseTo(all.gradientNorm(), within(1e-10));
            double[] predicted = m.predict(data.all().features(), data.size());
            assertThat(predicted).hasSize(data.size());
            assertThat(predicted[10_006]).isCloseTo(m.predict(data.batch(10_006, 10_007).features(), 1)[0],
                    within(1e-12));
        }
    }

    @Test
    void trainingFitsACubicAndCallsListeners() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {32, 32}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, 512);
        int[] calls = new int[2];
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                calls[0]++;
            }

            @Override
            public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
                calls[1]++;
                history.record("epoch-number", epoch);
            }
        };
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 1)) {
            double before = m.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            TrainingHistory h = m.train(data, OptimizerSpec.adam(0.01), TrainingConfig.of(60, 64, 3, Precision.FLOAT32),
                    List.of(counter));
            double after = m.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            assertThat(before).isGreaterThan(1);
            assertThat(after).isLessThan(0.05);
            assertThat(h.steps()).isEqualTo(60 * 8);
            assertThat(calls).containsExactly(60 * 8, 60);
            assertThat(h.epochs()).isEqualTo(60);
            assertThat(h.series("epoch-number")[59]).isEqualTo(60);
            assertThat(h.wallSeconds()).isPositive();
        }
    }

    @Test
    void sameSeedGivesTheSameTrainingLosses() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("sin", Math::sin, -2, 2, 200);
        TrainingConfig config = TrainingConfig.of(3, 16, 9, Precision.FLOAT64);
        double[] first;
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 2)) {
            first = m.train(data, OptimizerSpec.sgd(0.05), config, List.of()).stepLosses();
        }
        assertThat(first).hasSize(3 * 13);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 2)) {
            assertThat(m.train(data, OptimizerSpec.sgd(0.05), config, List.of()).stepLosses()).containsExactly(first);
        }
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 2)) {
            assertThat(m.train(data, OptimizerSpec.sgd(0.05), config.withSeed(10), List.of()).stepLosses())
                    .isNotEqualTo(first);
        }
    }

    @Test
    void divergenceStopsTrainingWithEpochAndStep() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, 64);
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 2)) {
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(1e6), TrainingConfig.of(50, 8, 1,
                    Precision.FLOAT32), List.of()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("epoch").hasMessageContaining("step").hasMessageContaining("learning rate");
        }
    }

    // ---- bad input and lifecycle -------------------------------------------------------------------------------

    @Test
    void badInputsAreRefusedWithTheOffendingValue() {
        ModelSpec spec = ModelSpec.mlp(2, new int[] {3}, 2, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = Dataset.classification("d", new int[] {2}, new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2);
        Dataset wide = Dataset.classification("wide", new int[] {3}, new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 1},
                2);
        Dataset regression = Dataset.regression("r", new int[] {2}, new float[] {1, 2}, new float[] {1, 2}, 2);
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 2)) {
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 3, 1,
                    Precision.FLOAT32), List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("batch size 3");
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 1, 1,
                    Precision.FLOAT64), List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("float64");
            assertThatThrownBy(() -> m.train(wide, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 1, 1,
                    Precision.FLOAT32), List.of())).hasMessageContaining("3 features");
            assertThatThrownBy(() -> m.evaluate(regression, EnumSet.of(Metric.LOSS)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class labels");
            assertThatThrownBy(() -> m.loss(Batch.classification(new double[] {1, 2}, 1, new int[] {5})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 5");
            assertThatThrownBy(() -> m.lossAndGradient(Batch.regression(new double[] {1, 2}, 1, new double[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class labels");
            assertThatThrownBy(() -> m.predict(new double[] {1, 2, 3}, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 features");
            assertThatThrownBy(() -> m.inputGradient(Batch.classification(new double[] {1, 2, 3}, 1, new int[] {0})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 features");
            assertThatThrownBy(() -> m.setParameters(new double[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("had 3");
            assertThatThrownBy(() -> m.hessianVectorProduct(data.all(), new double[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("had 3");
        }
        ModelSpec regressionSpec = ModelSpec.mlp(2, new int[] {3}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        try (Model m = backend.createModel(regressionSpec, Precision.FLOAT64, 2)) {
            assertThatThrownBy(() -> m.loss(Batch.regression(new double[] {1, 2}, 1, new double[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 real targets");
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 1, 1,
                    Precision.FLOAT64), List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("class labels");
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        ModelSpec spec = ModelSpec.mlp(2, new int[] {3}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Model m = backend.createModel(spec, Precision.FLOAT32, 2);
        m.train(Dataset.regression("r", new int[] {2}, new float[] {1, 2, 3, 4}, new float[] {1, 2}, 1),
                OptimizerSpec.sgd(0.01), TrainingConfig.of(1, 1, 1, Precision.FLOAT32), List.of());
        m.close();
        m.close();
        assertThatThrownBy(m::parameters).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> m.loss(Batch.regression(new double[] {1, 2}, 1, new double[] {1})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
