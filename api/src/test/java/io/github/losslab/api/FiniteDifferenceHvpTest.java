package io.github.losslab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.losslab.api.data.Batch;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiniteDifferenceHvpTest {

    /**
     * A model of two parameters whose loss is the quadratic {@code theta^T A theta / 2} with
     * {@code A = [[2, 1], [1, 3]]}, so its gradient is {@code A theta} and its Hessian {@code A}; it records where its
     * gradient was asked for.
     */
    private static final class QuadraticModel extends ParameterOnlyModel {
        private final List<double[]> probes = new ArrayList<>();

        QuadraticModel(Precision precision, double... theta) {
            // one input to one output: a kernel and a bias, two parameters
            super(ModelSpec.mlp(1, new int[0], 1, Activation.IDENTITY, Loss.MEAN_SQUARED_ERROR), precision, theta);
        }

        @Override
        public LossAndGradient lossAndGradient(Batch batch) {
            probes.add(theta.clone());
            double[] g = {2 * theta[0] + theta[1], theta[0] + 3 * theta[1]};
            return new LossAndGradient((theta[0] * g[0] + theta[1] * g[1]) / 2, g);
        }
    }

    private static final Batch BATCH = Batch.regression(new double[] {0}, 1, new double[] {0});

    @Test
    void theStepIsEpsTimesOnePlusTheRmsOfThetaOverTheNormOfV() {
        // |theta| = 5 over 2 parameters: rms = 5 / sqrt(2); |v| = 2. The Javadoc's h = eps (1 + rms) / |v|, not
        // eps (1 + |theta|) / |v| = 3e-5 as it used to say.
        QuadraticModel model = new QuadraticModel(Precision.FLOAT64, 3, 4);
        double[] v = {0, 2};
        double h = 1e-5 * (1 + 5 / Math.sqrt(2)) / 2;

        double[] hv = FiniteDifferenceHvp.apply(model, BATCH, v);

        assertThat(model.probes).hasSize(2);
        assertThat(model.probes.get(0)[0]).isEqualTo(3.0);
        assertThat(model.probes.get(0)[1]).isCloseTo(4 + h * 2, within(1e-15));
        assertThat(model.probes.get(1)[1]).isCloseTo(4 - h * 2, within(1e-15));
        assertThat(hv[0]).isCloseTo(2, within(1e-9));
        assertThat(hv[1]).isCloseTo(6, within(1e-9));
        assertThat(model.parameters()).containsExactly(3, 4);
    }

    @Test
    void float32TakesALargerStep() {
        QuadraticModel model = new QuadraticModel(Precision.FLOAT32, 0, 0);

        FiniteDifferenceHvp.apply(model, BATCH, new double[] {4, 0});

        // theta = 0: h = 1e-2 * (1 + 0) / 4, so the probe moves by h |v| = 1e-2.
        assertThat(model.probes.get(0)[0]).isCloseTo(1e-2, within(1e-15));
    }
}
