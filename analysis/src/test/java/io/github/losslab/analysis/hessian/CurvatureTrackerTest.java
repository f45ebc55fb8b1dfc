package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingListener;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Curvature during training on the real TensorFlow backend (float64): the tracker's measurements against the closed
 * form of a quadratic loss and against a cold Lanczos at the same parameters, and what its warm start saves.
 */
class CurvatureTrackerTest {

    /**
     * A linear model {@code f(x) = x W + b} with mean squared error over {@code n} samples and {@code k} outputs has
     * the constant Hessian {@code (2 / (n k)) Z^T Z} on each output's weights and bias ({@code Z = [X 1]}): its
     * largest eigenvalue is that of {@code (2 / (n k)) Z^T Z}, its trace {@code (2 / n) sum_i ||z_i||^2}, at every
     * step of any training.
     */
    @Test
    void aQuadraticLossHasItsKnownEigenvalueAndTraceAtEveryMeasurement() {
        int d = 4;
        int k = 3;
        int n = 40;
        Dataset data = Fixtures.randomRegression(n, d, k, 5);
        float[] x = data.features();
        DMatrixRMaj gram = new DMatrixRMaj(d + 1, d + 1);
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a <= d; a++) {
                double za = a < d ? x[i * d + a] : 1;
                sumSquares += za * za;
                for (int b = 0; b <= d; b++) {
                    double zb = b < d ? x[i * d + b] : 1;
                    gram.add(a, b, 2.0 / (n * k) * za * zb);
                }
            }
        }
        double[] values = SymmetricEigen.decompose(gram, false).values();
        double top = values[values.length - 1];
        double trace = 2.0 / n * sumSquares;

        ModelSpec spec = ModelSpec.builder(d).dense(k, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        CurvatureTracker tracker = CurvatureTracker.builder(data).every(4).traceProbes(20).density(2, 10).seed(3)
                .build();
        try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 2)) {
            tracker.measure(model, 0);
            model.train(data, OptimizerSpec.sgd(0.1), new TrainingConfig(12, n, false, 1, Precision.FLOAT64),
                    List.of(tracker));
        }
        List<CurvatureMeasurement> ms = tracker.measurements();
        assertThat(ms).extracting(CurvatureMeasurement::step).containsExactly(0L, 4L, 8L, 12L);
        for (CurvatureMeasurement m : ms) {
            assertThat(m.converged()).isTrue();
            assertThat(m.topEigenvalue()).isCloseTo(top, within(1e-3 * top));
            assertThat(m.hasTrace()).isTrue();
            assertThat(Math.abs(m.trace() - trace)).isLessThan(4 * m.traceStandardError());
            assertThat(m.hasDensity()).isTrue();
            assertThat(m.density().probes()).isEqualTo(2);
            assertThat(m.density().maxNode()).isCloseTo(top, within(1e-6 * top));
            assertThat(m.products()).isEqualTo(m.iterations() + 20 + m.density().products());
        }
        // the same probes every time: a constant Hessian gives the same trace estimate
        assertThat(ms.get(3).trace()).isCloseTo(ms.get(0).trace(), within(1e-9 * trace));
        assertThat(tracker.products()).isEqualTo(ms.stream().mapToLong(CurvatureMeasurement::products).sum());
    }

    /**
     * During full-batch gradient descent on a small tanh network, each warm-started measurement equals a cold
     * Lanczos from a random start at the same parameters (a second listener, called right after the tracker), and
     * the warm starts take fewer Lanczos steps than a tracker that starts every measurement at random.
     */
    @Test
    void warmStartsFindTheColdEigenvalueInFewerIterations() {
        Dataset data = Fixtures.randomRegression(60, 6, 3, 9);
        ModelSpec spec = ModelSpec.mlp(6, new int[] {12, 12}, 3, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        CurvatureTracker warm = CurvatureTracker.builder(data).every(3).traceProbes(0).seed(1).build();
        CurvatureTracker cold = CurvatureTracker.builder(data).every(3).traceProbes(0).seed(1).warmStart(false)
                .build();
        List<Double> fresh = new ArrayList<>();
        TrainingListener reference = new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                if (step % 3 == 0) {
                    fresh.add(LanczosEigensolver.builder().tolerance(1e-10).maxIterations(200).seed(step).build()
                            .solve(HessianOperator.of(model, data)).largest());
                }
            }

            @Override
            public boolean readsModelEveryStep() {
                return true;
            }
        };
        try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 4)) {
            model.train(data, OptimizerSpec.sgd(0.2), new TrainingConfig(60, data.size(), false, 1,
                    Precision.FLOAT64), List.of(warm, cold, reference));
        }
        List<CurvatureMeasurement> w = warm.measurements();
        List<CurvatureMeasurement> c = cold.measurements();
        assertThat(w).hasSize(20).hasSameSizeAs(fresh);
        for (int i = 0; i < w.size(); i++) {
            double expected = fresh.get(i);
            assertThat(w.get(i).converged()).isTrue();
            assertThat(w.get(i).topEigenvalue()).as("step %d", w.get(i).step())
                    .isCloseTo(expected, within(CurvatureTracker.DEFAULT_TOLERANCE * expected));
            assertThat(c.get(i).topEigenvalue()).isCloseTo(expected, within(CurvatureTracker.DEFAULT_TOLERANCE
                    * expected));
        }
        // the first measurement starts at random in both; after it, the warm starts save Lanczos steps
        int warmSteps = w.stream().skip(1).mapToInt(CurvatureMeasurement::iterations).sum();
        int coldSteps = c.stream().skip(1).mapToInt(CurvatureMeasurement::iterations).sum();
        System.out.printf("Lanczos steps after the first measurement: warm %d, cold %d%n", warmSteps, coldSteps);
        assertThat(w.get(0).iterations()).isEqualTo(c.get(0).iterations());
        assertThat(warmSteps).isLessThan(coldSteps * 2 / 3);
    }

    /**
     * The tracker reads the model every {@code every} steps only, so that mini-batch training runs several steps per
     * native call between measurements; its measurements are those of a training run one step per call.
     */
    @Test
    void measuringEveryKStepsLeavesTheStepsBetweenToTheBackend() {
        Dataset data = Fixtures.randomRegression(200, 6, 3, 9);
        ModelSpec spec = ModelSpec.mlp(6, new int[] {12}, 3, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        List<List<CurvatureMeasurement>> runs = new ArrayList<>();
        for (boolean oneStepPerCall : new boolean[] {false, true}) {
            CurvatureTracker tracker = CurvatureTracker.builder(data).every(12).traceProbes(2).seed(1).build();
            assertThat(tracker.readsModelEvery()).isEqualTo(12);
            TrainingListener everyStep = new TrainingListener() {
                @Override
                public boolean readsModelEveryStep() {
                    return true;
                }
            };
            assertThat(everyStep.readsModelEvery()).isEqualTo(1);
            try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 4)) {
                model.train(data, OptimizerSpec.sgd(0.1), new TrainingConfig(2, 10, true, 1, Precision.FLOAT64),
                        oneStepPerCall ? List.of(tracker, everyStep) : List.of(tracker));
            }
            runs.add(tracker.measurements());
        }
        assertThat(runs.get(0)).hasSize(3).hasSameSizeAs(runs.get(1));
        for (int i = 0; i < runs.get(0).size(); i++) {
            CurvatureMeasurement fast = runs.get(0).get(i);
            CurvatureMeasurement slow = runs.get(1).get(i);
            assertThat(fast.step()).isEqualTo(slow.step());
            assertThat(fast.topEigenvalue()).isCloseTo(slow.topEigenvalue(), within(1e-9 * slow.topEigenvalue()));
            assertThat(fast.trace()).isCloseTo(slow.trace(), within(1e-9 * Math.abs(slow.trace())));
        }
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        Dataset data = Fixtures.sine(10);
        assertThatThrownBy(() -> CurvatureTracker.builder(data).every(0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> CurvatureTracker.builder(data).traceProbes(1)).hasMessageContaining("was 1");
        assertThatThrownBy(() -> CurvatureTracker.builder(data).density(0, 5)).hasMessageContaining("0 probes");
        assertThatThrownBy(() -> LanczosEigensolver.builder().start(new double[] {1, Double.NaN}))
                .hasMessageContaining("NaN");
    }

    /**
     * A start at the top eigenvector of a diagonal matrix converges at once. A start at another eigenvector spans an
     * invariant subspace whose Ritz pair is exact at once, so the process stops there; with a tenth of a random
     * direction mixed in, as the tracker's warm starts have, it finds the top eigenvalue.
     */
    @Test
    void aStartVectorIsWhereTheLanczosProcessBegins() {
        SymmetricOperator op = SymmetricOperator.diagonal(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        double[] top = new double[10];
        top[9] = 1;
        LanczosResult fromTop = LanczosEigensolver.builder().start(top).build().solve(op);
        assertThat(fromTop.largest()).isCloseTo(10, within(1e-12));
        assertThat(fromTop.iterations()).isLessThanOrEqualTo(3);
        double[] second = new double[10];
        second[8] = 1;
        assertThat(LanczosEigensolver.builder().start(second).build().solve(op).largest()).isCloseTo(9,
                within(1e-12));
        double[] noise = Fixtures.gaussian(10, 3);
        double[] mixed = Vectors.plus(second, CurvatureTracker.WARM_START_NOISE / Vectors.norm(noise), noise);
        assertThat(LanczosEigensolver.builder().start(mixed).build().solve(op).largest()).isCloseTo(10,
                within(1e-8));
        assertThatThrownBy(() -> LanczosEigensolver.builder().start(new double[3]).build().solve(op))
                .hasMessageContaining("3 entries").hasMessageContaining("dimension 10");
    }
}
