package io.github.losslab.analysis.critical;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.analysis.hessian.FullHessian;
import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.HessianSpectrum;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The critical-point search on a 1-8-8-1 tanh network (97 parameters) fitting 64 points of a sine, in float64. */
class CriticalPointSearchTest {

    private static final ModelSpec SPEC = ModelSpec.mlp(1, new int[] {8, 8}, 1, Activation.TANH,
            Loss.MEAN_SQUARED_ERROR);

    @Test
    void reachesTheToleranceFromATrainedNetwork() {
        Dataset data = Fixtures.sine(64);
        try (Model model = Fixtures.backend().createModel(SPEC, Precision.FLOAT64, 3)) {
            model.train(data, new Adam(0.01, 0.9, 0.999, 1e-8), TrainingConfig.of(200, 16, 3, Precision.FLOAT64),
                    List.of());
            double[] start = model.parameters();
            CriticalPoint cp = CriticalPointSearch.defaults().search(HessianOperator.of(model, data));
            System.out.println(cp);
            assertThat(cp.converged()).isTrue();
            assertThat(cp.stop()).isEqualTo(CriticalPointSearch.Stop.CONVERGED);
            assertThat(cp.gradientNorm()).isLessThan(1e-6);
            assertThat(cp.tolerance()).isEqualTo(1e-6);
            assertThat(cp.gradientNorms()).hasSize(cp.steps() + 1);
            assertThat(cp.gradientNorms()[0]).isEqualTo(cp.initialGradientNorm());
            // the model was moved there: a fresh evaluation agrees
            assertThat(model.parameters()).isNotEqualTo(start);
            double norm = model.evaluate(data, Set.of(Metric.GRADIENT_NORM)).get(Metric.GRADIENT_NORM);
            assertThat(norm).isLessThan(1e-6);
            assertThat(model.evaluate(data, Set.of(Metric.LOSS)).get(Metric.LOSS)).isCloseTo(cp.loss(),
                    within(1e-12));
        }
    }

    /** From the initial parameters, the search lands on the saddle where the network outputs the mean target. */
    @Test
    void findsSaddlePointsAsReadilyAsMinima() {
        Dataset data = Fixtures.sine(64);
        float[] y = data.targets();
        double mean = 0;
        for (float v : y) {
            mean += v / (double) y.length;
        }
        double variance = 0;
        for (float v : y) {
            variance += (v - mean) * (v - mean) / y.length;
        }
        try (Model model = Fixtures.backend().createModel(SPEC, Precision.FLOAT64, 2)) {
            HessianOperator op = HessianOperator.of(model, data);
            CriticalPoint cp = CriticalPointSearch.defaults().search(op);
            System.out.println(cp);
            assertThat(cp.converged()).isTrue();
            assertThat(cp.gradientNorm()).isLessThan(1e-6);
            assertThat(cp.loss()).isCloseTo(variance, within(1e-9));
            HessianSpectrum s = FullHessian.compute(op).spectrum();
            assertThat(s.signCounts().negative()).isPositive();
            assertThat(s.minimalRatio()).isLessThan(0.5);
        }
    }

    @Test
    void aZeroStepLimitLeavesTheModelAlone() {
        Dataset data = Fixtures.sine(16);
        try (Model model = Fixtures.backend().createModel(SPEC, Precision.FLOAT64, 5)) {
            double[] start = model.parameters();
            CriticalPoint cp = CriticalPointSearch.builder().maxSteps(0).build()
                    .search(HessianOperator.of(model, data));
            assertThat(cp.stop()).isEqualTo(CriticalPointSearch.Stop.STEP_LIMIT);
            assertThat(cp.converged()).isFalse();
            assertThat(cp.steps()).isZero();
            assertThat(cp.hessianProducts()).isZero();
            assertThat(cp.gradientNorm()).isEqualTo(cp.initialGradientNorm());
            assertThat(model.parameters()).containsExactly(start);
        }
    }

    /** Above the dense limit, steps are taken in a Lanczos basis. */
    @Test
    void theKrylovBasisAlsoConverges() {
        Dataset data = Fixtures.sine(64);
        try (Model model = Fixtures.backend().createModel(SPEC, Precision.FLOAT64, 2)) {
            CriticalPoint cp = CriticalPointSearch.builder().denseLimit(0).krylovDimension(40).build()
                    .search(HessianOperator.of(model, data));
            System.out.println(cp);
            assertThat(cp.converged()).isTrue();
        }
    }
}
