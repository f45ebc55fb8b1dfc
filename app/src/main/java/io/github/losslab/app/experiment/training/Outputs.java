package io.github.losslab.app.experiment.training;

import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Small helpers for writing an experiment's figures and formatting its numbers. */
public final class Outputs {

    private Outputs() {
    }

    /** Writes {@code baseName.png} and {@code baseName.svg} into the writer's directory and records both. */
    public static void saveFigure(OutputWriter dir, Chart chart, String baseName) throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName)) {
            dir.record(p);
        }
    }

    /** {@code 0.9731} as {@code 97.3%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** Four significant digits. */
    public static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** {@code 1, 2, ..., n} as doubles. */
    public static double[] oneTo(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /**
     * The relative spread of parameter counts, {@code (max - min) / max}: 0 when all are equal.
     *
     * @throws IllegalArgumentException for no counts
     */
    public static double spread(int... counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no parameter counts");
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return (max - min) / (double) max;
    }
}
