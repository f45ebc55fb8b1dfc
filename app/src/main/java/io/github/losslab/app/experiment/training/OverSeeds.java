package io.github.losslab.app.experiment.training;

import io.github.losslab.plotting.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quantity measured once per seed at each point of a sweep or epoch of a training: its mean and standard
 * deviation over the seeds at every point, for a figure's line and its band (mean ± sd). Non-finite values (a seed
 * that diverged) are left out of a point's statistics; a point without a finite value has NaN.
 *
 * @param mean the mean over the seeds at each point
 * @param sd   the sample standard deviation over the seeds at each point (0 for one seed)
 * @param min  the smallest value over the seeds at each point
 */
public record OverSeeds(double[] mean, double[] sd, double[] min) {

    /**
     * The statistics of {@code perSeed}, one array per seed over the same points; arrays of different lengths (a
     * training that stopped early) count up to the shortest.
     *
     * @throws IllegalArgumentException when there are no seeds
     */
    public static OverSeeds of(List<double[]> perSeed) {
        if (perSeed.isEmpty()) {
            throw new IllegalArgumentException("statistics over seeds need at least one seed, had none");
        }
        int n = perSeed.stream().mapToInt(a -> a.length).min().orElseThrow();
        double[] mean = new double[n];
        double[] sd = new double[n];
        double[] min = new double[n];
        for (int i = 0; i < n; i++) {
            int at = i;
            double[] v = perSeed.stream().mapToDouble(a -> a[at]).filter(Double::isFinite).toArray();
            mean[i] = v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElseThrow();
            double ss = 0;
            for (double x : v) {
                ss += (x - mean[i]) * (x - mean[i]);
            }
            sd[i] = v.length == 0 ? Double.NaN : v.length == 1 ? 0 : Math.sqrt(ss / (v.length - 1));
            min[i] = v.length == 0 ? Double.NaN : Arrays.stream(v).min().orElseThrow();
        }
        return new OverSeeds(mean, sd, min);
    }

    /** {@code of} for values given per point and then per seed ({@code perPoint[i][s]}). */
    public static OverSeeds ofPoints(double[][] perPoint) {
        int seeds = Arrays.stream(perPoint).mapToInt(a -> a.length).max().orElse(0);
        List<double[]> perSeed = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            double[] v = new double[perPoint.length];
            for (int i = 0; i < perPoint.length; i++) {
                v[i] = s < perPoint[i].length ? perPoint[i][s] : Double.NaN;
            }
            perSeed.add(v);
        }
        return of(perSeed);
    }

    /** The points. */
    public int size() {
        return mean.length;
    }

    /** The mean times {@code factor} (100 for percent), with its band, as a series. */
    public Series line(String name, double[] x, double factor) {
        double[] m = scaled(mean, factor);
        double[] low = new double[m.length];
        double[] high = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            low[i] = m[i] - factor * sd[i];
            high[i] = m[i] + factor * sd[i];
        }
        return Series.line(name, Arrays.copyOf(x, m.length), m).withBand(low, high);
    }

    /**
     * The mean with its band for a logarithmic axis: where mean − sd is not positive, the band starts at the
     * smallest value over the seeds instead, so that it stays drawable.
     */
    public Series logLine(String name, double[] x) {
        double[] low = new double[mean.length];
        double[] high = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            low[i] = mean[i] - sd[i] > 0 ? mean[i] - sd[i] : min[i];
            high[i] = mean[i] + sd[i];
        }
        return Series.line(name, Arrays.copyOf(x, mean.length), mean).withBand(low, high);
    }

    private static double[] scaled(double[] v, double factor) {
        return Arrays.stream(v).map(x -> factor * x).toArray();
    }
}
