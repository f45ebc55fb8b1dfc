package io.github.losslab.analysis.sharpness;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A quadratic with known curvature: y = w x + b with MSE at its least-squares minimum. There the loss rises by
 * exactly {@code d^T H d / 2} with {@code H = (2/n) [sum x^2, sum x; sum x, n]}, so the largest rise in the box is at
 * the corner whose signs make that largest.
 */
class EpsilonSharpnessTest {

    @Test
    void quadraticWithKnownCurvature() {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
        ModelSpec line = ModelSpec.builder(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        double[] x = {-1, 0, 1, 2, 3};
        double[] y = {0.5, 1.0, 2.5, 3.0, 4.5};
        Batch batch = Batch.regression(x, 5, y);
        // least squares: w = cov(x, y) / var(x), b = mean(y) - w mean(x)
        double mx = 1;
        double my = 2.3;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < 5; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double w = sxy / sxx;
        double b = my - w * mx;
        double eps = 1e-2;
        try (Model m = backend.createModel(line, Precision.FLOAT64, 1)) {
            m.setParameters(new double[] {w, b});
            double base = m.loss(batch);
            double r1 = eps * (Math.abs(w) + 1);
            double r2 = eps * (Math.abs(b) + 1);
            double h11 = 2 * (1 + 0 + 1 + 4 + 9) / 5.0;
            double h12 = 2 * (5) / 5.0;
            double h22 = 2;
            double rise = (r1 * r1 * h11 + r2 * r2 * h22 + 2 * r1 * r2 * Math.abs(h12)) / 2;
            EpsilonSharpness s = EpsilonSharpness.measure(m, batch, eps, 20, 4, 7);
            assertThat(s.baseLoss()).isCloseTo(base, within(1e-15));
            assertThat(s.maxLoss() - s.baseLoss()).isCloseTo(rise, within(1e-12));
            assertThat(s.sharpness()).isCloseTo(100 * rise / (1 + base), within(1e-9));
            assertThat(m.parameters()).containsExactly(w, b);
        }
    }

    /**
     * One ascent step from the centre, away from the minimum: at {@code w = b = 0} the gradient of the mean squared
     * error of the line is {@code (2/n) sum (w x + b - y) (x, 1) = -(2/5) (21.5, 11.5)}, so the first step goes to
     * the corner {@code (-r, -r)}, {@code r = eps (0 + 1)}, the full radius, where the loss is
     * {@code mean((y_i + r x_i + r)^2)}. A step of half the radius would stop at {@code (-r/2, -r/2)}.
     */
    @Test
    void theFirstStepFromTheCentreIsTheFullRadius() {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
        ModelSpec line = ModelSpec.builder(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        double[] x = {-1, 0, 1, 2, 3};
        double[] y = {0.5, 1.0, 2.5, 3.0, 4.5};
        double eps = 1e-2;
        double corner = 0;
        double halfway = 0;
        for (int i = 0; i < 5; i++) {
            corner += Math.pow(y[i] + eps * x[i] + eps, 2) / 5;
            halfway += Math.pow(y[i] + eps / 2 * x[i] + eps / 2, 2) / 5;
        }
        try (Model m = backend.createModel(line, Precision.FLOAT64, 1)) {
            m.setParameters(new double[] {0, 0});
            EpsilonSharpness s = EpsilonSharpness.measure(m, Batch.regression(x, 5, y), eps, 1, 0, 7);
            assertThat(s.evaluations()).isEqualTo(2);
            assertThat(s.baseLoss()).isCloseTo((0.25 + 1 + 6.25 + 9 + 20.25) / 5, within(1e-14));
            assertThat(s.maxLoss()).isCloseTo(corner, within(1e-14));
            assertThat(corner - halfway).isGreaterThan(0.05);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> EpsilonSharpness.measure(null, null, 0, 10, 1, 1)).hasMessageContaining("epsilon");
    }
}
