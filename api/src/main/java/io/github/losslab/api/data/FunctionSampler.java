package io.github.losslab.api.data;

import java.util.function.DoubleUnaryOperator;

/** Samples a real function y = f(x) on an interval into a regression {@link Dataset}. */
public final class FunctionSampler {

    private FunctionSampler() {
    }

    /**
     * {@code n} evenly spaced points of {@code [from, to]}, both ends included, with targets {@code f(x)}.
     * Training shuffles them, so the order here is the order of x.
     */
    public static Dataset grid(String name, DoubleUnaryOperator f, double from, double to, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a function needs at least 2 sample points, was " + n);
        }
        requireInterval(from, to);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double xi = from + (to - from) * i / (n - 1);
            x[i] = (float) xi;
            y[i] = (float) f.applyAsDouble(x[i]);
        }
        return Dataset.regression(name, new int[] {1}, x, y, 1);
    }

    /**
     * {@code n} points drawn uniformly with a seeded generator: {@code x = from + (to - from) * u} with {@code u}
     * uniform in {@code [0, 1)}, so {@code to} itself is never drawn in double precision; the features are stored
     * as float, which can round a point just below {@code to} up to it, so the stored points lie in
     * {@code [from, to]}. Targets are {@code f} of the stored float.
     *
     * @throws IllegalArgumentException when {@code n < 1}, or the interval is not finite with {@code from < to}
     */
    public static Dataset uniform(String name, DoubleUnaryOperator f, double from, double to, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("a function needs at least 1 sample point, was " + n);
        }
        requireInterval(from, to);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (from + (to - from) * random.nextDouble());
            y[i] = (float) f.applyAsDouble(x[i]);
        }
        return Dataset.regression(name, new int[] {1}, x, y, 1);
    }

    private static void requireInterval(double from, double to) {
        if (!(from < to)) {
            throw new IllegalArgumentException("interval [" + from + ", " + to + "] must have from < to");
        }
        if (!Double.isFinite(to - from)) {
            throw new IllegalArgumentException("interval [" + from + ", " + to + "] must be finite, with a finite"
                    + " length");
        }
    }
}
