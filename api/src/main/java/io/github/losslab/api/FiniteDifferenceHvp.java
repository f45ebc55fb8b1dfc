package io.github.losslab.api;

import io.github.losslab.api.data.Batch;

/**
 * Hessian-vector products by central differences of gradients, the default for backends without double
 * backpropagation: {@code H v ~ (g(theta + h v) - g(theta - h v)) / (2 h)}. The step is scaled to the parameters and
 * the direction: {@code h = eps * (1 + rms(theta)) / |v|}, where {@code rms(theta) = |theta| / sqrt(n)} is the root
 * mean square of the {@code n} parameters (the size of a typical one, which does not grow with the model) and
 * {@code |v|} the Euclidean norm of the direction, so that each parameter moves by about {@code eps} times its own
 * scale. {@code eps = 1e-5} in float64 (error about 1e-10 relative on smooth losses) and {@code 1e-2} in float32.
 */
public final class FiniteDifferenceHvp {

    private FiniteDifferenceHvp() {
    }

    /** {@code H v} at the model's current parameters, which are restored before returning. */
    public static double[] apply(Model model, Batch batch, double[] v) {
        double[] theta = model.parameters();
        model.layout().checkLength(v);
        double vNorm = norm(v);
        if (vNorm == 0) {
            return new double[v.length];
        }
        double eps = model.precision() == Precision.FLOAT64 ? 1e-5 : 1e-2;
        double h = eps * (1 + norm(theta) / Math.sqrt(theta.length)) / vNorm;
        double[] probe = new double[theta.length];
        try {
            for (int i = 0; i < theta.length; i++) {
                probe[i] = theta[i] + h * v[i];
            }
            model.setParameters(probe);
            double[] plus = model.lossAndGradient(batch).gradient();
            for (int i = 0; i < theta.length; i++) {
                probe[i] = theta[i] - h * v[i];
            }
            model.setParameters(probe);
            double[] minus = model.lossAndGradient(batch).gradient();
            double[] hv = new double[theta.length];
            for (int i = 0; i < hv.length; i++) {
                hv[i] = (plus[i] - minus[i]) / (2 * h);
            }
            return hv;
        } finally {
            model.setParameters(theta);
        }
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double d : a) {
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
