package io.github.losslab.app.experiment;

import io.github.losslab.api.train.OptimizerSpec;

import java.util.Locale;

/** The optimizers of the assignment, as configuration names: {@code sgd} and {@code adam}. */
public enum OptimizerKind {
    /** Plain stochastic gradient descent. */
    SGD("SGD"),
    /** Adam with the usual betas and epsilon. */
    ADAM("Adam");

    private final String label;

    OptimizerKind(String label) {
        this.label = label;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name as written in figures, for example {@code Adam}. */
    public String label() {
        return label;
    }

    /** This optimizer with the given learning rate and default hyper-parameters otherwise. */
    public OptimizerSpec spec(double learningRate) {
        return this == SGD ? OptimizerSpec.sgd(learningRate) : OptimizerSpec.adam(learningRate);
    }

    /**
     * Parses {@code sgd} or {@code adam}.
     *
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static OptimizerKind parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (OptimizerKind k : values()) {
            if (k.configName().equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + text + "': expected sgd or adam");
    }
}
