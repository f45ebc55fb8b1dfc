package io.github.losslab.api;

/** The loss on a batch and its gradient with respect to the flat parameter vector. */
public record LossAndGradient(double loss, double[] gradient) {

    /** Euclidean norm of the gradient. */
    public double gradientNorm() {
        double s = 0;
        for (double g : gradient) {
            s += g * g;
        }
        return Math.sqrt(s);
    }
}
