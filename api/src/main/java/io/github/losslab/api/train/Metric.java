package io.github.losslab.api.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A quantity evaluated on a whole dataset. */
public enum Metric {
    /** The model's loss, averaged over the samples. */
    LOSS,
    /** Fraction of samples whose largest output is the true class (classification only). */
    ACCURACY,
    /**
     * Mean squared error over all outputs: of the outputs against the targets for regression, of the softmax
     * probabilities against one-hot labels for classification (the Brier score divided by the class count).
     */
    MSE,
    /** Euclidean norm of the gradient of the dataset loss with respect to all parameters. */
    GRADIENT_NORM;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Metric parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Metric m : values()) {
            if (m.configName().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + text + "': expected one of "
                + Arrays.stream(values()).map(Metric::configName).collect(Collectors.joining(", ")));
    }
}
