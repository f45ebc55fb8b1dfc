package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;

import java.util.SplittableRandom;

/**
 * Hutchinson's estimate of the trace of a symmetric operator, {@code tr(H) = E[v^T H v]} for Rademacher vectors
 * {@code v} (Hutchinson, "A stochastic estimator of the trace of the influence matrix for Laplacian smoothing
 * splines", 1989; Avron and Toledo 2011), one product per probe, as PyHessian's {@code trace}. Its variance per
 * probe is {@code 2 sum_{i != j} H_ij^2}, the smallest among the usual probe distributions.
 */
public final class HutchinsonTrace {

    public static final int DEFAULT_PROBES = 100;

    private HutchinsonTrace() {
    }

    /** The estimate from {@link #DEFAULT_PROBES} probes. */
    public static TraceEstimate estimate(SymmetricOperator op, long seed) {
        return estimate(op, DEFAULT_PROBES, seed);
    }

    /**
     * The estimate from {@code probes} Rademacher probes drawn from {@code seed}.
     *
     * @param probes at least 2, so that the standard error exists
     */
    public static TraceEstimate estimate(SymmetricOperator op, int probes, long seed) {
        if (probes < 2) {
            throw new IllegalArgumentException("Hutchinson's estimate needs at least 2 probes for a standard error, "
                    + "was " + probes);
        }
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int n = op.dimension();
        double[] samples = new double[probes];
        // probes in blocks: operators that compute several products at once do so
        for (int from = 0; from < probes; from += FullHessian.COLUMN_BLOCK) {
            double[][] vs = new double[Math.min(FullHessian.COLUMN_BLOCK, probes - from)][];
            for (int k = 0; k < vs.length; k++) {
                vs[k] = Vectors.rademacher(n, random);
            }
            double[][] hvs = op.applyAll(vs);
            for (int k = 0; k < vs.length; k++) {
                samples[from + k] = Vectors.dot(vs[k], hvs[k]);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TraceEstimate(mean(samples), standardError(samples), samples, probes, seconds,
                op.curvatureMethod(), op.precision());
    }

    static double mean(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s / x.length;
    }

    /** The standard error of the mean, from the sample standard deviation; NaN for fewer than 2 values. */
    static double standardError(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        for (double d : x) {
            ss += (d - m) * (d - m);
        }
        return Math.sqrt(ss / (x.length - 1) / x.length);
    }
}
