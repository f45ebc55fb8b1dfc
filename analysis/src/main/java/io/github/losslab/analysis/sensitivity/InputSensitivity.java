package io.github.losslab.analysis.sensitivity;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;

/**
 * Two sensitivities of a model to its inputs, averaged over samples, each reported under its own name:
 * <ul>
 *   <li>{@code jacobianNorm}: {@code ||d softmax(f(x)) / dx||_F} per sample (Novak et al. 2018), computed exactly
 *       from one input gradient per class;</li>
 *   <li>{@code lossGradientNorm}: {@code ||d loss(x, y) / dx||_F} per sample, the course slides' variant.</li>
 * </ul>
 *
 * @param jacobianNorm          mean over samples of the Frobenius norm of the softmax Jacobian
 * @param jacobianNormStd       its standard deviation over samples
 * @param lossGradientNorm      mean over samples of the norm of the loss gradient with respect to the input
 * @param lossGradientNormStd   its standard deviation over samples
 * @param samples               number of samples averaged
 */
public record InputSensitivity(double jacobianNorm, double jacobianNormStd, double lossGradientNorm,
                               double lossGradientNormStd, int samples) {

    /** Rows per backend call. */
    private static final int CHUNK = 256;

    /**
     * Both sensitivities of {@code model} on the first {@code maxSamples} samples of {@code data}.
     *
     * @throws IllegalArgumentException for {@code maxSamples} below 1 or a dataset of real targets
     */
    public static InputSensitivity of(Model model, Dataset data, int maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("sensitivity needs at least 1 sample, was " + maxSamples);
        }
        if (!data.isClassification()) {
            throw new IllegalArgumentException("sensitivity of the softmax output needs a classification dataset; '"
                    + data.name() + "' holds real targets");
        }
        int n = Math.min(maxSamples, data.size());
        int in = model.spec().inputSize();
        int out = model.spec().outputSize();
        double[] jac = new double[n];
        double[] grad = new double[n];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            Batch b = data.batch(from, to);
            double[] j = model.outputJacobian(b.features(), b.rows(), true);
            double[] g = model.inputGradient(b);
            for (int i = 0; i < b.rows(); i++) {
                double sj = 0;
                for (int k = 0; k < out * in; k++) {
                    double v = j[i * out * in + k];
                    sj += v * v;
                }
                double sg = 0;
                for (int k = 0; k < in; k++) {
                    double v = g[i * in + k];
                    sg += v * v;
                }
                jac[from + i] = Math.sqrt(sj);
                grad[from + i] = Math.sqrt(sg);
            }
        }
        return new InputSensitivity(mean(jac), std(jac), mean(grad), std(grad), n);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
