package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Hessian-vector products through the api, checked against closed forms and finite differences. */
class HessianOperatorTest {

    /**
     * A linear model {@code f(x) = x W + b} with mean squared error over {@code n} samples and {@code k} outputs has
     * the constant Hessian {@code (2 / (n k)) [X 1]^T [X 1]} on each output's weights and bias, and no coupling
     * between outputs: entry {@code ((p, j), (q, l)) = (2 / (n k)) sum_i z_ip z_iq delta_jl} with {@code z = [x, 1]}.
     */
    @Test
    void fullHessianOfALinearModelMatchesTheClosedForm() {
        int d = 3;
        int k = 2;
        int n = 5;
        ModelSpec spec = ModelSpec.builder(d).dense(k, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        Dataset data = Fixtures.randomRegression(n, d, k, 1);
        Batch batch = data.all();
        double[] x = batch.features();
        int p = spec.parameterCount();
        double[][] expected = new double[p][p];
        for (int a = 0; a <= d; a++) {
            for (int b = 0; b <= d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double za = a < d ? x[i * d + a] : 1;
                    double zb = b < d ? x[i * d + b] : 1;
                    s += za * zb;
                }
                for (int j = 0; j < k; j++) {
                    // kernel [d, k] row-major, then the bias [k]
                    expected[a * k + j][b * k + j] = 2.0 / (n * k) * s;
                }
            }
        }
        try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 3)) {
            HessianOperator op = HessianOperator.of(model, data);
            FullHessian h = FullHessian.compute(op);
            assertThat(h.curvatureMethod()).isEqualTo(CurvatureMethod.EXACT);
            assertThat(h.products()).isEqualTo(p);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    assertThat(Math.abs(h.get(i, j) - expected[i][j])).as("H[%d][%d]", i, j).isLessThan(1e-10);
                }
            }
            assertThat(h.relativeAsymmetry()).isLessThan(1e-12);
            assertThat(h.spectrum().min()).isGreaterThan(-1e-12);   // a convex loss
        }
    }

    /** Several products at once (blocks on backends that batch them, and a remainder) equal products one by one. */
    @Test
    void applyAllEqualsApplyOneByOne() {
        Dataset data = Fixtures.randomRegression(23, 3, 2, 2);
        try (Model model = Fixtures.backend().createModel(Fixtures.TANH_NET, Precision.FLOAT64, 4)) {
            HessianOperator chunked = HessianOperator.of(model, data, 7);
            double[][] vs = new double[19][];
            for (int i = 0; i < vs.length; i++) {
                vs[i] = Fixtures.gaussian(chunked.dimension(), 10 + i);
            }
            double[][] all = chunked.applyAll(vs);
            assertThat(chunked.products()).isEqualTo(19);
            for (int i = 0; i < vs.length; i++) {
                assertThat(Fixtures.relativeError(all[i], chunked.apply(vs[i]))).as("product %d", i)
                        .isLessThan(1e-13);
            }
        }
    }

    /** Products over a dataset in chunks against central differences of the full-batch gradient. */
    @Test
    void productsMatchCentralDifferencesOfGradientsAndAreSymmetric() {
        Dataset data = Fixtures.randomRegression(23, 3, 2, 2);
        try (Model model = Fixtures.backend().createModel(Fixtures.TANH_NET, Precision.FLOAT64, 4)) {
            HessianOperator chunked = HessianOperator.of(model, data, 7);
            assertThat(chunked.chunks()).isEqualTo(4);
            int n = chunked.dimension();
            double[] v = Fixtures.gaussian(n, 5);
            double[] w = Fixtures.gaussian(n, 6);
            double[] hv = chunked.apply(v);
            double[] hw = chunked.apply(w);
            assertThat(chunked.products()).isEqualTo(2);

            double[] numeric = centralDifference(model, data.all(), v, 1e-5);
            assertThat(Fixtures.relativeError(hv, numeric)).isLessThan(1e-8);

            double vhw = Vectors.dot(v, hw);
            double whv = Vectors.dot(w, hv);
            assertThat(Math.abs(vhw - whv)).isLessThan(1e-12 * Vectors.norm(v) * Vectors.norm(hw));

            HessianOperator whole = HessianOperator.of(model, data.all());
            assertThat(Fixtures.relativeError(whole.apply(v), hv)).isLessThan(1e-13);
            assertThat(whole.lossAndGradient().loss()).isCloseTo(chunked.lossAndGradient().loss(),
                    org.assertj.core.api.Assertions.within(1e-14));
        }
    }

    @Test
    void crossEntropyProductsMatchCentralDifferences() {
        ModelSpec spec = ModelSpec.mlp(4, new int[] {5}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = Fixtures.randomClassification(17, 4, 3, 7);
        try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 8)) {
            HessianOperator op = HessianOperator.of(model, data, 5);
            double[] v = Fixtures.gaussian(op.dimension(), 9);
            assertThat(Fixtures.relativeError(op.apply(v), centralDifference(model, data.all(), v, 1e-5)))
                    .isLessThan(1e-8);
        }
    }

    /** {@code (g(theta + h v) - g(theta - h v)) / 2h}, restoring the parameters. */
    static double[] centralDifference(Model model, Batch batch, double[] v, double h) {
        double[] theta = model.parameters();
        try {
            model.setParameters(Vectors.plus(theta, h, v));
            double[] plus = model.lossAndGradient(batch).gradient();
            model.setParameters(Vectors.plus(theta, -h, v));
            double[] minus = model.lossAndGradient(batch).gradient();
            double[] out = new double[theta.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (plus[i] - minus[i]) / (2 * h);
            }
            return out;
        } finally {
            model.setParameters(theta);
        }
    }
}
