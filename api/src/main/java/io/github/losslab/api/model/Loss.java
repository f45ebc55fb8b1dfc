package io.github.losslab.api.model;

/** The training objective of a model, averaged over the samples of a batch. */
public enum Loss {
    /**
     * Mean squared error over every output of every sample, {@code mean((f(x) - y)^2)}, as PyTorch's
     * {@code MSELoss}. Targets are real vectors.
     */
    MEAN_SQUARED_ERROR,
    /**
     * Softmax cross-entropy of the logits against integer class labels, {@code -mean(log softmax(f(x))[y])}.
     */
    SOFTMAX_CROSS_ENTROPY;

    public String configName() {
        return this == MEAN_SQUARED_ERROR ? "mse" : "cross-entropy";
    }
}
