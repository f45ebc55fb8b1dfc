package io.github.losslab.api.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was recorded during a training: the loss and gradient norm of every step (on its mini-batch, before the
 * update), and named per-epoch series ({@code loss} is the mean step loss of each epoch; listeners add others
 * such as {@code test/accuracy}).
 */
public final class TrainingHistory {

    /** Name of the per-epoch series of mean training loss. */
    public static final String LOSS = "loss";

    private double[] stepLoss = new double[64];
    private double[] stepGradientNorm = new double[64];
    private int steps;
    private final Map<String, List<Double>> epochSeries = new LinkedHashMap<>();
    private int epochs;
    private double wallSeconds;

    /** Records one step; called by backends. */
    public void recordStep(double loss, double gradientNorm) {
        if (steps == stepLoss.length) {
            stepLoss = java.util.Arrays.copyOf(stepLoss, steps * 2);
            stepGradientNorm = java.util.Arrays.copyOf(stepGradientNorm, steps * 2);
        }
        stepLoss[steps] = loss;
        stepGradientNorm[steps] = gradientNorm;
        steps++;
    }

    /** Marks the end of an epoch with its mean training loss; called by backends. */
    public void recordEpoch(double meanLoss) {
        epochs++;
        record(LOSS, meanLoss);
    }

    /**
     * Adds a value to the per-epoch series {@code name} for the current epoch. Series that miss epochs are
     * padded with NaN so that every series is aligned with the epoch numbers.
     */
    public void record(String name, double value) {
        List<Double> series = epochSeries.computeIfAbsent(name, k -> new ArrayList<>());
        while (series.size() < epochs - 1) {
            series.add(Double.NaN);
        }
        if (series.size() >= epochs && epochs > 0) {
            series.set(epochs - 1, value);
        } else {
            series.add(value);
        }
    }

    public int steps() {
        return steps;
    }

    public int epochs() {
        return epochs;
    }

    public double[] stepLosses() {
        return java.util.Arrays.copyOf(stepLoss, steps);
    }

    public double[] stepGradientNorms() {
        return java.util.Arrays.copyOf(stepGradientNorm, steps);
    }

    /** Names of the per-epoch series, in the order they were first recorded. */
    public List<String> seriesNames() {
        return Collections.unmodifiableList(new ArrayList<>(epochSeries.keySet()));
    }

    /** The per-epoch series {@code name}, one value per epoch (NaN where it was not recorded). */
    public double[] series(String name) {
        List<Double> s = epochSeries.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no series '" + name + "' in this history; series are "
                    + epochSeries.keySet());
        }
        double[] out = new double[epochs];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = 0; i < Math.min(epochs, s.size()); i++) {
            out[i] = s.get(i);
        }
        return out;
    }

    public boolean hasSeries(String name) {
        return epochSeries.containsKey(name);
    }

    /** The last value of a per-epoch series. */
    public double last(String name) {
        double[] s = series(name);
        return s.length == 0 ? Double.NaN : s[s.length - 1];
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public void setWallSeconds(double seconds) {
        this.wallSeconds = seconds;
    }
}
