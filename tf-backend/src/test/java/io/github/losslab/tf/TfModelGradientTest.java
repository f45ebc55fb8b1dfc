package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Graph gradients against central finite differences in float64, for every activation and both losses. */
class TfModelGradientTest {

    private static final double H = 1e-5;
    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                b.add(Arguments.of(a, l));
            }
        }
        return b.build();
    }

    /** A small CNN: conv (SAME) -> max pool -> conv (VALID, stride 2) -> flatten -> dense. */
    static ModelSpec cnn(Activation a, Loss loss) {
        int outputs = loss == Loss.SOFTMAX_CROSS_ENTROPY ? 3 : 2;
        return ModelSpec.builder(6, 6, 2).conv2d(3, 3, a).maxPool(2)
                .layer(new io.github.losslab.api.model.Conv2dLayer(2, 2, 1, io.github.losslab.api.model.Padding.VALID, a))
                .flatten().dense(outputs, Activation.IDENTITY).loss(loss).build();
    }

    @ParameterizedTest(name = "cnn {0}, {1}")
    @MethodSource("cases")
    void convolutionGradientsMatchCentralDifferences(Activation activation, Loss lossKind) {
        ModelSpec spec = cnn(activation, lossKind);
        assertThat(spec.parameterCount()).isEqualTo(3 * 3 * 2 * 3 + 3 + 2 * 2 * 3 * 2 + 2 + 2 * 2 * 2 * spec.outputSize()
                + spec.outputSize());
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 7)) {
            Batch batch = batch(spec, 3, 11);
            double[] theta = model.parameters();
            double[] analytic = model.lossAndGradient(batch).gradient();
            double[] numeric = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                theta[i] = keep + H;
                model.setParameters(theta);
                double plus = model.loss(batch);
                theta[i] = keep - H;
                model.setParameters(theta);
                double minus = model.loss(batch);
                theta[i] = keep;
                numeric[i] = (plus - minus) / (2 * H);
            }
            model.setParameters(theta);
            assertThat(relativeError(analytic, numeric)).isLessThan(1e-6);
            double[] xg = model.inputGradient(batch);
            double[] x = batch.features().clone();
            double[] xn = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + H;
                double plus = model.loss(batch.withFeatures(x.clone())) * batch.rows();
                x[i] = keep - H;
                double minus = model.loss(batch.withFeatures(x.clone())) * batch.rows();
                x[i] = keep;
                xn[i] = (plus - minus) / (2 * H);
            }
            assertThat(relativeError(xg, xn)).isLessThan(1e-6);
        }
    }

    static ModelSpec spec(Activation a, Loss loss) {
        int outputs = loss == Loss.SOFTMAX_CROSS_ENTROPY ? 3 : 2;
        return ModelSpec.mlp(4, new int[] {5, 3}, outputs, a, loss);
    }

    static Batch batch(ModelSpec spec, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[rows * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1.5, 1.5);
        }
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(spec.outputSize());
            }
            return Batch.classification(x, rows, labels);
        }
        double[] y = new double[rows * spec.outputSize()];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble(-1, 1);
        }
        return Batch.regression(x, rows, y);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void parameterGradientMatchesCentralDifferences(Activation activation, Loss lossKind) {
        ModelSpec spec = spec(activation, lossKind);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 7)) {
            Batch batch = batch(spec, 6, 11);
            double[] theta = model.parameters();
            LossAndGradient lg = model.lossAndGradient(batch);
            assertThat(lg.loss()).isEqualTo(model.loss(batch));
            double[] numeric = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                theta[i] = keep + H;
                model.setParameters(theta);
                double plus = model.loss(batch);
                theta[i] = keep - H;
                model.setParameters(theta);
                double minus = model.loss(batch);
                theta[i] = keep;
                numeric[i] = (plus - minus) / (2 * H);
            }
            model.setParameters(theta);
            assertThat(relativeError(lg.gradient(), numeric)).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void inputGradientMatchesCentralDifferencesOfEachSamplesLoss(Activation activation, Loss lossKind) {
        ModelSpec spec = spec(activation, lossKind);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
            int rows = 4;
            Batch batch = batch(spec, rows, 5);
            double[] analytic = model.inputGradient(batch);
            double[] x = batch.features().clone();
            double[] numeric = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + H;
                double plus = model.loss(batch.withFeatures(x.clone())) * rows;
                x[i] = keep - H;
                double minus = model.loss(batch.withFeatures(x.clone())) * rows;
                x[i] = keep;
                numeric[i] = (plus - minus) / (2 * H);
            }
            assertThat(relativeError(analytic, numeric)).isLessThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void outputJacobianMatchesCentralDifferencesOfPredictions(Activation activation, Loss lossKind) {
        ModelSpec spec = spec(activation, lossKind);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 21)) {
            Batch batch = batch(spec, 3, 22);
            for (boolean softmax : new boolean[] {false, true}) {
                double[] exact = model.outputJacobian(batch.features(), 3, softmax);
                // the api's default is central differences of predict
                double[] numeric = io.github.losslab.api.FiniteDifferenceJacobian.apply(model, batch.features(), 3, softmax);
                assertThat(exact).hasSize(3 * spec.outputSize() * spec.inputSize());
                assertThat(relativeError(exact, numeric)).isLessThan(1e-7);
            }
        }
    }

    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            scale += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(scale), 1e-12);
    }
}
