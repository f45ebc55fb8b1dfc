package io.github.losslab.analysis.landscape;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterLayout;
import io.github.losslab.api.train.Metric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LandscapeTest {

    private static Backend backend;
    private static final ModelSpec SPEC = ModelSpec.mlp(1, new int[] {6, 5}, 1, Activation.TANH,
            Loss.MEAN_SQUARED_ERROR);
    private static final Dataset TRAIN = FunctionSampler.grid("sin", Math::sin, -2, 2, 40);
    private static final Dataset TEST = FunctionSampler.grid("sin-test", Math::sin, -1.95, 1.95, 17);

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    @Test
    void interpolationEndsAreTheTwoModels() {
        try (Model a = backend.createModel(SPEC, Precision.FLOAT64, 1);
             Model b = backend.createModel(SPEC, Precision.FLOAT64, 2);
             Model evaluator = backend.createModel(SPEC, Precision.FLOAT64, 3)) {
            Map<String, Dataset> data = new LinkedHashMap<>();
            data.put("train", TRAIN);
            data.put("test", TEST);
            double[] alphas = InterpolationPath.linspace(-1, 2, 31);
            assertThat(alphas[10]).isCloseTo(0, within(1e-15));
            assertThat(alphas[20]).isCloseTo(1, within(1e-15));
            alphas[10] = 0;
            alphas[20] = 1;
            double[] before = evaluator.parameters();
            InterpolationPath path = InterpolationPath.compute(evaluator, a.parameters(), b.parameters(), alphas, data,
                    EnumSet.of(Metric.LOSS, Metric.MSE));
            for (String name : data.keySet()) {
                Map<Metric, Double> ma = a.evaluate(data.get(name), EnumSet.of(Metric.LOSS));
                Map<Metric, Double> mb = b.evaluate(data.get(name), EnumSet.of(Metric.LOSS));
                assertThat(path.values(name, Metric.LOSS)[10]).isEqualTo(ma.get(Metric.LOSS));
                assertThat(path.values(name, Metric.LOSS)[20]).isEqualTo(mb.get(Metric.LOSS));
            }
            assertThat(evaluator.parameters()).containsExactly(before);
        }
    }

    @Test
    void surfaceCentreIsTheModelsLossAndGridPointsAreThePlane() {
        try (Model m = backend.createModel(SPEC, Precision.FLOAT64, 4)) {
            double[] theta = m.parameters();
            double[] d1 = FilterNormalizedDirections.random(SPEC, theta, 1);
            double[] d2 = FilterNormalizedDirections.random(SPEC, theta, 2);
            double[] grid = InterpolationPath.linspace(-1, 1, 5);
            LossSurface s = LossSurface.compute(m, theta, d1, d2, grid, grid, TRAIN);
            double loss = m.evaluate(TRAIN, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            assertThat(s.centerLoss()).isEqualTo(loss);
            assertThat(s.loss()[2][2]).isEqualTo(loss);
            double[] p = theta.clone();
            for (int k = 0; k < p.length; k++) {
                p[k] += grid[4] * d1[k] + grid[1] * d2[k];
            }
            m.setParameters(p);
            assertThat(s.loss()[1][4]).isCloseTo(m.evaluate(TRAIN, EnumSet.of(Metric.LOSS)).get(Metric.LOSS),
                    within(1e-12));
            // projecting theta + 0.3 d1 - 0.7 d2 gives back (0.3, -0.7)
            double[] q = theta.clone();
            for (int k = 0; k < q.length; k++) {
                q[k] += 0.3 * d1[k] - 0.7 * d2[k];
            }
            assertThat(LossSurface.project(List.of(q), theta, d1, d2).get(0))
                    .containsExactly(new double[] {0.3, -0.7}, within(1e-10));
        }
    }

    /**
     * Hand-built kernels with known filter norms. Dense {@code [in = 2, out = 3]}, row-major {@code [[1, 2, 3],
     * [4, 5, 6]]}: the filters are the columns (1, 4), (2, 5), (3, 6), of norms sqrt(17), sqrt(29), sqrt(45); the
     * rows would give sqrt(14) and sqrt(77). Convolution {@code [kh = 1, kw = 2, in = 2, out = 2]} holding
     * {@code 1, 2, 3, 4} in output channel 0 and {@code 10, 20, 30, 40} in channel 1, interleaved as the last axis
     * runs fastest: norms sqrt(30) and sqrt(3000). A direction of ones becomes each filter's norm over the square root
     * of its size.
     */
    @Test
    void normalizationRescalesEachOutputUnitsWeightsOfHandBuiltKernels() {
        double[] theta = {7, 7, 1, 2, 3, 4, 5, 6, 7};
        double[] d = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        FilterNormalizedDirections.normalize(d, theta, new ParameterLayout.Segment("dense/kernel", 0, 2,
                new int[] {2, 3}));
        double a = Math.sqrt(17.0 / 2);
        double b = Math.sqrt(29.0 / 2);
        double c = Math.sqrt(45.0 / 2);
        assertThat(d).containsExactly(new double[] {1, 1, a, b, c, a, b, c, 1}, within(1e-15));

        double[] conv = {1, 10, 2, 20, 3, 30, 4, 40};
        double[] e = {1, 1, 1, 1, 1, 1, 1, 1};
        FilterNormalizedDirections.normalize(e, conv, new ParameterLayout.Segment("conv/kernel", 0, 0,
                new int[] {1, 2, 2, 2}));
        double f0 = Math.sqrt(30) / 2;
        double f1 = Math.sqrt(3000) / 2;
        assertThat(e).containsExactly(new double[] {f0, f1, f0, f1, f0, f1, f0, f1}, within(1e-13));
    }

    /**
     * A random direction of a small CNN whose kernels hold known numbers: convolution {@code [2, 2, 1, 2]} holding
     * 1, 2, 3, 4 in output channel 0 (flat positions 0, 2, 4, 6) and 10, 20, 30, 40 in channel 1 (1, 3, 5, 7); dense
     * {@code [18, 3]} (the convolution keeps the 3 x 3 image, with 2 channels) whose column {@code c} is all
     * {@code c + 1} (flat positions {@code 3 r + c}, row-major), so of norm {@code (c + 1) sqrt(18)}. Each filter of
     * the direction has that norm, and its biases are 0.
     */
    @Test
    void randomDirectionsHaveEachFiltersNormAndZeroBias() {
        ModelSpec cnn = ModelSpec.builder(3, 3, 1).conv2d(2, 2, Activation.RELU).flatten()
                .dense(3, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        ParameterLayout layout = cnn.layout();
        ParameterLayout.Segment convKernel = layout.segment("layer0/kernel");
        ParameterLayout.Segment denseKernel = layout.segment("layer2/kernel");
        assertThat(convKernel.shape()).containsExactly(2, 2, 1, 2);
        assertThat(denseKernel.shape()).containsExactly(18, 3);
        double[] theta = new double[layout.size()];
        java.util.Arrays.fill(theta, 0.5);
        double[] convValues = {1, 10, 2, 20, 3, 30, 4, 40};
        System.arraycopy(convValues, 0, theta, convKernel.offset(), convValues.length);
        for (int r = 0; r < 18; r++) {
            for (int c = 0; c < 3; c++) {
                theta[denseKernel.offset() + 3 * r + c] = c + 1;
            }
        }
        double[] d = FilterNormalizedDirections.random(cnn, theta, 3);
        int co = convKernel.offset();
        assertThat(norm(d, co, co + 2, co + 4, co + 6)).isCloseTo(Math.sqrt(30), within(1e-12));
        assertThat(norm(d, co + 1, co + 3, co + 5, co + 7)).isCloseTo(Math.sqrt(3000), within(1e-12));
        for (int c = 0; c < 3; c++) {
            int[] column = new int[18];
            for (int r = 0; r < 18; r++) {
                column[r] = denseKernel.offset() + 3 * r + c;
            }
            assertThat(norm(d, column)).as("dense column %d", c).isCloseTo((c + 1) * Math.sqrt(18), within(1e-12));
        }
        for (ParameterLayout.Segment s : layout.segments()) {
            if (s.shape().length == 1) {
                for (int i = 0; i < s.size(); i++) {
                    assertThat(d[s.offset() + i]).as(s.name()).isZero();
                }
            }
        }
    }

    private static double norm(double[] v, int... indices) {
        double s = 0;
        for (int i : indices) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }
}
