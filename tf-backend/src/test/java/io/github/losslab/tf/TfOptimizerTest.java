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
import io.github.losslab.api.train.Sgd;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Optimizer steps against numbers computed by hand. The model is y = w x + b with MSE on two points
 * (x, y) = (1, 2), (2, 3), starting from w = 0.5, b = 0.1: predictions 0.6 and 1.1, residuals -1.4 and -1.9,
 * loss (1.96 + 3.61) / 2 = 2.785, dL/dw = (2(-1.4)(1) + 2(-1.9)(2)) / 2 = -5.2, dL/db = (2(-1.4) + 2(-1.9)) / 2 = -3.3.
 */
class TfOptimizerTest {

    private static final ModelSpec LINE = ModelSpec.builder(1).dense(1, Activation.IDENTITY)
            .loss(Loss.MEAN_SQUARED_ERROR).build();
    private static final Dataset POINTS = Dataset.regression("two points", new int[] {1}, new float[] {1, 2},
            new float[] {2, 3}, 1);
    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    private static double[] train(OptimizerSpec optimizer, int steps, TrainingHistory[] history) {
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
        double[] theta = train(OptimizerSpec.sgd(0.1), 1, h);
        // w = 0.5 - 0.1 * (-5.2) = 1.02, b = 0.1 - 0.1 * (-3.3) = 0.43
        assertThat(theta[0]).isCloseTo(1.02, within(1e-12));
        assertThat(theta[1]).isCloseTo(0.43, within(1e-12));
        // the recorded loss and gradient norm are those before the step
        assertThat(h[0].stepLosses()[0]).isCloseTo(2.785, within(1e-12));
        assertThat(h[0].stepGradientNorms()[0]).isCloseTo(Math.hypot(5.2, 3.3), within(1e-12));
        assertThat(h[0].series(TrainingHistory.LOSS)).containsExactly(new double[] {2.785}, within(1e-12));
    }

    @Test
    void momentumAccumulatesGradients() {
        double[] theta = train(new Sgd(0.1, 0.9), 2, null);
        // step 1: v = g = (-5.2, -3.3), theta = (1.02, 0.43)
        // step 2: predictions 1.45, 2.47; residuals -0.55, -0.53; g = (-0.55 - 1.06, -0.55 - 0.53) = (-1.61, -1.08)
        //         v = 0.9 (-5.2, -3.3) + g = (-6.29, -4.05); theta = (1.02 + 0.629, 0.43 + 0.405)
        assertThat(theta[0]).isCloseTo(1.649, within(1e-12));
        assertThat(theta[1]).isCloseTo(0.835, within(1e-12));
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        double[] theta = train(OptimizerSpec.adam(0.1), 1, null);
        // bias-corrected m / sqrt(v) = g / |g| on the first step: each parameter moves by lr against its gradient
        assertThat(theta[0]).isCloseTo(0.5 + 0.1 * 5.2 / (5.2 + 1e-8), within(1e-12));
        assertThat(theta[1]).isCloseTo(0.1 + 0.1 * 3.3 / (3.3 + 1e-8), within(1e-12));
    }

    @Test
    void adamSecondStepUsesBiasCorrectedMoments() {
        double[] theta = train(OptimizerSpec.adam(0.1), 2, null);
        // after step 1: w = 0.6, b = 0.2 (up to 1e-9). Step 2: predictions 0.8, 1.4; residuals -1.2, -1.6;
        // g = (-4.4, -2.8). m = 0.9 * 0.1 g1 + 0.1 g2, v = 0.999 * 0.001 g1^2 + 0.001 g2^2,
        // w: m = -0.908, v = 0.04637296, m^ = m / 0.19 = -4.7789474, v^ = v / 0.001999 = 23.1980790,
        //    step = 0.1 * 4.7789474 / 4.8164384 = 0.0992216 -> w = 0.6992216
        // b: m = -0.577, v = 0.01871911, m^ = -3.0368421, v^ = 9.3642371, sqrt = 3.0601041,
        //    step = 0.1 * 3.0368421 / 3.0601041 = 0.0992398 -> b = 0.2992398
        assertThat(theta[0]).isCloseTo(0.6992216, within(1e-6));
        assertThat(theta[1]).isCloseTo(0.2992398, within(1e-6));
        // and an independent reference implementation agrees to rounding
        double[] ref = referenceAdam(0.1, 2);
        assertThat(theta[0]).isCloseTo(ref[0], within(1e-12));
        assertThat(theta[1]).isCloseTo(ref[1], within(1e-12));
    }

    @Test
    void optimizerStateStartsFreshAtEachTrainCall() {
        try (Model m = backend.createModel(LINE, Precision.FLOAT64, 1)) {
            m.setParameters(new double[] {0.5, 0.1});
            TrainingConfig one = new TrainingConfig(1, 2, false, 0, Precision.FLOAT64);
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
}
