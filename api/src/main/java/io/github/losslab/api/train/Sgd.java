package io.github.losslab.api.train;

/**
 * Stochastic gradient descent with optional heavy-ball momentum, as PyTorch's {@code SGD}:
 * {@code v = momentum * v + g; theta = theta - lr * v} (with momentum 0 this is {@code theta -= lr * g}).
 */
public record Sgd(double learningRate, double momentum) implements OptimizerSpec {

    public static final double LEARNING_RATE_DEFAULT = 0.01;

    public Sgd {
        OptimizerSpec.checkLearningRate(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
    }

    @Override
    public String describe() {
        return momentum == 0 ? "sgd(lr=" + learningRate + ")" : "sgd(lr=" + learningRate + ", momentum=" + momentum + ")";
    }
}
