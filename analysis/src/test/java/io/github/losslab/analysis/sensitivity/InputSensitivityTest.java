package io.github.losslab.analysis.sensitivity;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.FiniteDifferenceJacobian;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InputSensitivityTest {

    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    private static Dataset data(int n, int d, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return Dataset.classification("random", new int[] {d}, x, y, classes);
    }

    @Test
    void linearSoftmaxModelMatchesTheClosedForm() {
        // f(x) = W^T x + b, p = softmax(f): d p / d x = (diag(p) - p p^T) W^T; d loss / d x = W (p - onehot(y))
        int d = 4;
        int k = 3;
        ModelSpec spec = ModelSpec.builder(d).dense(k, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        Dataset data = data(7, d, k, 1);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 5)) {
            double[] theta = m.parameters();
            double[] w = spec.layout().slice(theta, "layer0/kernel");   // [d, k]
            double[] b = spec.layout().slice(theta, "layer0/bias");
            double jacSum = 0;
            double gradSum = 0;
            for (int s = 0; s < data.size(); s++) {
                double[] z = b.clone();
                for (int j = 0; j < d; j++) {
                    for (int c = 0; c < k; c++) {
                        z[c] += data.feature(s, j) * w[j * k + c];
                    }
                }
                double max = Math.max(z[0], Math.max(z[1], z[2]));
                double[] p = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = Math.exp(z[c] - max);
                    sum += p[c];
                }
                for (int c = 0; c < k; c++) {
                    p[c] /= sum;
                }
                double fro = 0;
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        double v = 0;
                        for (int e = 0; e < k; e++) {
                            double a = (c == e ? p[c] : 0) - p[c] * p[e];
                            v += a * w[j * k + e];
                        }
                        fro += v * v;
                    }
                }
                jacSum += Math.sqrt(fro);
                double g2 = 0;
                for (int j = 0; j < d; j++) {
                    double v = 0;
                    for (int c = 0; c < k; c++) {
                        v += w[j * k + c] * (p[c] - (c == data.label(s) ? 1 : 0));
                    }
                    g2 += v * v;
                }
                gradSum += Math.sqrt(g2);
            }
            InputSensitivity sens = InputSensitivity.of(m, data, 100);
            assertThat(sens.samples()).isEqualTo(7);
            assertThat(sens.jacobianNorm()).isCloseTo(jacSum / 7, within(1e-12));
            assertThat(sens.lossGradientNorm()).isCloseTo(gradSum / 7, within(1e-12));
        }
    }

    @Test
    void exactJacobianMatchesFiniteDifferencesOnAnMlp() {
        ModelSpec spec = ModelSpec.mlp(6, new int[] {8}, 4, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = data(5, 6, 4, 2);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 5)) {
            double[] x = data.all().features();
            double[] exact = m.outputJacobian(x, 5, true);
            double[] numeric = FiniteDifferenceJacobian.apply(m, x, 5, true);
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < exact.length; i++) {
                diff += (exact[i] - numeric[i]) * (exact[i] - numeric[i]);
                norm += numeric[i] * numeric[i];
            }
            assertThat(Math.sqrt(diff / norm)).isLessThan(1e-7);
        }
    }
}
