package io.github.losslab.analysis.linalg;

import java.util.SplittableRandom;

/** The few dense vector operations the solvers need, on plain {@code double[]}. */
public final class Vectors {

    private Vectors() {
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code y += alpha x}. */
    public static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** {@code x *= alpha}. */
    public static void scale(double alpha, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }

    /** {@code a + alpha b} as a new vector. */
    public static double[] plus(double[] a, double alpha, double[] b) {
        double[] out = a.clone();
        axpy(alpha, b, out);
        return out;
    }

    /** A vector of independent standard normal values. */
    public static double[] gaussian(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** A Rademacher vector: independent values of +1 and -1 with equal probability. */
    public static double[] rademacher(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextBoolean() ? 1 : -1;
        }
        return v;
    }

    /** Throws when {@code v} does not have {@code n} values. */
    public static void checkLength(double[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException("expected a vector of " + n + " values, got " + v.length);
        }
    }
}
