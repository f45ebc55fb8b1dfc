package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Lanczos eigenvalues, Hutchinson's trace and the spectral density against the exact spectrum of a small network
 * (1-16-16-1 tanh, 321 parameters, on 200 points of a sine).
 */
class LanczosEigensolverTest {

    private static Model model;
    private static HessianOperator op;
    private static double[] exact;
    private static double exactTrace;

    @BeforeAll
    static void fullSpectrum() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16, 16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = Fixtures.sine(200);
        model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 11);
        op = HessianOperator.of(model, data);
        FullHessian full = FullHessian.compute(op);
        exact = full.spectrum().eigenvalues();
        exactTrace = full.trace();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The three bottom eigenvalues lie within 1% of each other, so they need more than the default iterations. */
    @Test
    void topAndBottomEigenvaluesMatchTheFullDecomposition() {
        LanczosResult r = LanczosEigensolver.builder().top(3).bottom(3).seed(1).maxIterations(200)
                .computeVectors(true).build().solve(op);
        int n = exact.length;
        System.out.printf("Lanczos: %d iterations, top %s, bottom %s, exact top %.6g %.6g %.6g bottom %.6g %.6g %.6g%n",
                r.iterations(), java.util.Arrays.toString(r.top()), java.util.Arrays.toString(r.bottom()),
                exact[n - 1], exact[n - 2], exact[n - 3], exact[0], exact[1], exact[2]);
        assertThat(r.converged()).isTrue();
        assertThat(r.iterations()).isLessThan(n);
        for (int i = 0; i < 3; i++) {
            assertThat(relative(r.top()[i], exact[n - 1 - i])).as("top %d", i).isLessThan(1e-6);
            assertThat(relative(r.bottom()[i], exact[i])).as("bottom %d", i).isLessThan(1e-6);
        }
        // the reported residuals bound the true ones
        double[] y = r.topVector(0);
        double[] hy = op.apply(y);
        Vectors.axpy(-r.top()[0], y, hy);
        assertThat(Vectors.norm(hy)).isLessThan(r.topResiduals()[0] * 1.01 + 1e-12);
        assertThat(Vectors.norm(y)).isCloseTo(1, within(1e-10));
        HessianSpectrum s = r.spectrum();
        assertThat(s.method()).isEqualTo(HessianSpectrum.Method.LANCZOS);
        assertThat(s.count()).isEqualTo(6);
        assertThat(s.isComplete()).isFalse();
        assertThat(s.products()).isEqualTo(r.iterations());
    }

    @Test
    void theDefaultIterationsFindAWellSeparatedTopEigenvalue() {
        LanczosResult r = LanczosEigensolver.builder().build().solve(op);
        assertThat(r.converged()).isTrue();
        assertThat(r.iterations()).isLessThanOrEqualTo(50);
        assertThat(relative(r.largest(), exact[exact.length - 1])).isLessThan(1e-10);
        LanczosResult few = LanczosEigensolver.builder().top(3).bottom(3).maxIterations(12).build().solve(op);
        assertThat(few.converged()).isFalse();
        assertThat(few.iterations()).isEqualTo(12);
    }

    @Test
    void explicitOperatorOfKnownSpectrum() {
        double[] d = new double[500];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sin(i) * (1 + i % 7);
        }
        d[17] = 50;
        d[300] = 40;
        d[42] = -30;
        LanczosResult r = LanczosEigensolver.builder().top(2).bottom(1).build()
                .solve(SymmetricOperator.diagonal(d));
        assertThat(r.converged()).isTrue();
        assertThat(r.top()).containsExactly(new double[] {50, 40}, within(1e-7));
        assertThat(r.smallest()).isCloseTo(-30, within(1e-7));
    }

    /**
     * Eigenvalues 1 to 5, ten copies each: one Krylov space holds only the five distinct values (it breaks down after
     * five steps), so the copies are found in the complement of the first Ritz vectors.
     */
    @Test
    void repeatedEigenvaluesAreFoundAsOftenAsTheyOccur() {
        double[] d = new double[50];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1 + i % 5;
        }
        LanczosResult r = LanczosEigensolver.builder().top(3).bottom(3).computeVectors(true).build()
                .solve(SymmetricOperator.diagonal(d));
        assertThat(r.converged()).isTrue();
        assertThat(r.top()).containsExactly(new double[] {5, 5, 5}, within(1e-10));
        assertThat(r.bottom()).containsExactly(new double[] {1, 1, 1}, within(1e-10));
        assertOrthonormal(r, 3);
        // one top value needs no check of the complement: five distinct values, five products
        LanczosResult one = LanczosEigensolver.builder().top(1).build().solve(SymmetricOperator.diagonal(d));
        assertThat(one.largest()).isCloseTo(5, within(1e-10));
        assertThat(one.iterations()).isEqualTo(5);
        // pairs of values, without a breakdown before the distinct ones converge
        double[] pairs = new double[40];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = Math.pow(1.5, i / 2);
        }
        double largest = Math.pow(1.5, 19);
        LanczosResult p = LanczosEigensolver.builder().top(3).build().solve(SymmetricOperator.diagonal(pairs));
        assertThat(p.converged()).isTrue();
        assertThat(p.top()).containsExactly(new double[] {largest, largest, largest / 1.5},
                within(1e-7 * largest));
    }

    /**
     * A linear least-squares net of 5 inputs and 3 outputs: its Hessian is {@code I_3 (x) S}, every eigenvalue three
     * times (the kernel's 15 entries; the biases couple in with the inputs' mean).
     */
    @Test
    void aNetworkWhoseHessianRepeatsEveryEigenvalueThreeTimes() {
        ModelSpec spec = ModelSpec.builder(5).dense(3, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        try (Model linear = Fixtures.backend().createModel(spec, Precision.FLOAT64, 1)) {
            HessianOperator h = HessianOperator.of(linear, Fixtures.randomRegression(60, 5, 3, 4));
            double[] all = FullHessian.compute(h).spectrum().eigenvalues();
            int n = all.length;
            assertThat(all[n - 2]).isCloseTo(all[n - 1], within(1e-9 * all[n - 1]));
            LanczosResult r = LanczosEigensolver.builder().top(4).bottom(3).seed(3).build().solve(h);
            assertThat(r.converged()).isTrue();
            for (int i = 0; i < 4; i++) {
                assertThat(r.top()[i]).as("top %d", i).isCloseTo(all[n - 1 - i], within(1e-7 * all[n - 1]));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(r.bottom()[i]).as("bottom %d", i).isCloseTo(all[i], within(1e-7 * all[n - 1]));
            }
        }
    }

    private static void assertOrthonormal(LanczosResult r, int k) {
        java.util.List<double[]> vectors = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            vectors.add(r.topVector(i));
            vectors.add(r.bottomVector(i));
        }
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = 0; j < vectors.size(); j++) {
                assertThat(Vectors.dot(vectors.get(i), vectors.get(j))).isCloseTo(i == j ? 1 : 0, within(1e-8));
            }
        }
    }

    @Test
    void hutchinsonTraceAgreesWithTheExactTraceWithinItsStandardError() {
        TraceEstimate t = HutchinsonTrace.estimate(op, 100, 3);
        System.out.printf("Hutchinson: %.6g +- %.2g, exact %.6g%n", t.mean(), t.standardError(), exactTrace);
        assertThat(t.probes()).isEqualTo(100);
        assertThat(t.products()).isEqualTo(100);
        assertThat(t.standardError()).isGreaterThan(0);
        assertThat(Math.abs(t.mean() - exactTrace)).isLessThan(4 * t.standardError());
    }

    @Test
    void spectralDensityIntegratesToOneAndItsMeanIsTheTraceOverN() {
        SpectralDensity density = SpectralDensity.estimate(op, 8, 40, 4);
        SpectralDensity.Curve curve = density.density();
        int n = exact.length;
        System.out.printf("SLQ: mean %.6g +- %.2g, exact %.6g, nodes [%.4g, %.4g], integral %.6f%n", density.mean(),
                density.meanStandardError(), exactTrace / n, density.minNode(), density.maxNode(), curve.integral());
        assertThat(curve.integral()).isCloseTo(1, within(1e-3));
        assertThat(Math.abs(density.mean() - exactTrace / n)).isLessThan(4 * density.meanStandardError());
        for (int p = 0; p < density.probes(); p++) {
            assertThat(java.util.Arrays.stream(density.weights(p)).sum()).isCloseTo(1, within(1e-12));
        }
        // the extreme nodes converge to the extreme eigenvalues first
        assertThat(density.maxNode()).isCloseTo(exact[n - 1], within(1e-6 * Math.abs(exact[n - 1])));
        assertThat(density.minNode()).isGreaterThanOrEqualTo(exact[0] - 1e-9);
        assertThat(curve.spread()).hasSameSizeAs(curve.grid());
        assertThat(density.products()).isEqualTo(8 * 40);
    }

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }
}
