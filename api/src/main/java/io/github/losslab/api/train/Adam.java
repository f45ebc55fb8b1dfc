package io.github.losslab.api.train;

/**
 * Adam (Kingma and Ba 2015), with the bias corrections of the paper's Algorithm 1 as PyTorch's {@code Adam}:
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; theta -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements OptimizerSpec {

    public static final double LEARNING_RATE_DEFAULT = 0.001;
    public static final double BETA1_DEFAULT = 0.9;
    public static final double BETA2_DEFAULT = 0.999;
    public static final double EPSILON_DEFAULT = 1e-8;

    public Adam {
        OptimizerSpec.checkLearningRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam beta1 must be in [0, 1), was " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta2 must be in [0, 1), was " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be > 0, was " + epsilon);
        }
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate + ")";
    }
}
