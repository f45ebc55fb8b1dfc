package io.github.losslab.api;

/**
 * Output Jacobians by central differences of {@link Model#predict}, the default for backends without input
 * gradients of their outputs: step 1e-6 in float64 (about 1e-9 relative error), 1e-3 in float32.
 */
public final class FiniteDifferenceJacobian {

    private FiniteDifferenceJacobian() {
    }

    /** See {@link Model#outputJacobian}. */
    public static double[] apply(Model model, double[] features, int rows, boolean softmax) {
        int in = model.spec().inputSize();
        int out = model.spec().outputSize();
        double[] jac = new double[rows * out * in];
        double h = model.precision() == Precision.FLOAT64 ? 1e-6 : 1e-3;
        double[] x = features.clone();
        for (int j = 0; j < in; j++) {
            for (int i = 0; i < rows; i++) {
                x[i * in + j] = features[i * in + j] + h;
            }
            double[] plus = outputs(model.predict(x, rows), rows, out, softmax);
            for (int i = 0; i < rows; i++) {
                x[i * in + j] = features[i * in + j] - h;
            }
            double[] minus = outputs(model.predict(x, rows), rows, out, softmax);
            for (int i = 0; i < rows; i++) {
                x[i * in + j] = features[i * in + j];
                for (int k = 0; k < out; k++) {
                    jac[(i * out + k) * in + j] = (plus[i * out + k] - minus[i * out + k]) / (2 * h);
                }
            }
        }
        return jac;
    }

    /** Raw outputs, or their softmax per row. */
    static double[] outputs(double[] logits, int rows, int out, boolean softmax) {
        if (!softmax) {
            return logits;
        }
        double[] p = new double[logits.length];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < out; k++) {
                max = Math.max(max, logits[i * out + k]);
            }
            double sum = 0;
            for (int k = 0; k < out; k++) {
                p[i * out + k] = Math.exp(logits[i * out + k] - max);
                sum += p[i * out + k];
            }
            for (int k = 0; k < out; k++) {
                p[i * out + k] /= sum;
            }
        }
        return p;
    }

}
