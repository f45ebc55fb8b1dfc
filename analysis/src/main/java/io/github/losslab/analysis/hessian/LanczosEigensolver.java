package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.Lanczos;
import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;

import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The top-k and bottom-k (algebraically largest and smallest) eigenvalues of a symmetric operator of any size, by
 * the Lanczos process with full reorthogonalisation ({@link Lanczos}) from a seeded random start, as
 * pytorch-hessian-eigenthings (Golmant et al. 2018, through ARPACK) and PyHessian (Yao et al. 2020) do for
 * neural-network Hessians. It stops when every wanted Ritz value has a residual
 * {@code ||H y - theta y|| <= tolerance * max|theta|} (each is then that close to an eigenvalue, and usually much
 * closer: the error of a Ritz value is about the squared residual over the gap) or after
 * {@code maxIterations} products. Memory: {@code 8 n} bytes per iteration for the basis.
 *
 * <p>A plain Lanczos process finds one copy of a repeated eigenvalue until its Krylov space is exhausted; several
 * equal top eigenvalues therefore need more iterations than distinct ones.
 *
 * <pre>{@code
 * LanczosResult r = LanczosEigensolver.builder().top(5).bottom(2).seed(1).build()
 *         .solve(HessianOperator.of(model, data));
 * }</pre>
 */
public final class LanczosEigensolver {

    public static final int DEFAULT_TOP = 1;
    public static final int DEFAULT_BOTTOM = 0;
    /** Relative residual tolerance of the Ritz pairs. */
    public static final double DEFAULT_TOLERANCE = 1e-8;
    public static final long DEFAULT_SEED = 0;

    private final int top;
    private final int bottom;
    private final int maxIterations;
    private final double tolerance;
    private final long seed;
    private final boolean computeVectors;

    private LanczosEigensolver(Builder b) {
        this.top = b.top;
        this.bottom = b.bottom;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.computeVectors = b.computeVectors;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default iteration limit for {@code k = top + bottom} wanted eigenvalues of an operator of size {@code n}:
     * {@code min(n, max(3k + 20, 50))}.
     */
    public static int defaultIterations(int n, int k) {
        return Math.min(n, Math.max(3 * k + 20, 50));
    }

    /** Runs the Lanczos process on {@code op}. */
    public LanczosResult solve(SymmetricOperator op) {
        long start = System.nanoTime();
        int n = op.dimension();
        if (n < 1) {
            throw new IllegalArgumentException("the operator has dimension " + n);
        }
        int kTop = Math.min(top, n);
        int kBottom = Math.min(bottom, n);
        int limit = Math.min(n, maxIterations > 0 ? maxIterations : defaultIterations(n, kTop + kBottom));
        int minimum = Math.min(limit, Math.max(kTop, kBottom) + 2);
        SplittableRandom random = new SplittableRandom(seed);
        Lanczos lanczos = new Lanczos(op, Vectors.gaussian(n, random.split()), random.split());
        boolean converged = false;
        SymmetricEigen ritz = null;
        while (true) {
            boolean moved = lanczos.step();
            int m = lanczos.steps();
            boolean last = !moved || m >= limit;
            boolean check = m >= minimum && (last || m % Math.max(1, m / 10) == 0);
            if (check) {
                ritz = lanczos.ritz(true);
                converged = residualsMet(ritz, lanczos.residualNorm(), kTop, kBottom);
            }
            if (converged || last) {
                break;
            }
        }
        if (ritz == null || ritz.size() != lanczos.steps()) {
            ritz = lanczos.ritz(true);
        }
        int m = ritz.size();
        double beta = lanczos.residualNorm();
        int nt = Math.min(kTop, m);
        int nb = Math.min(kBottom, m);
        double[] topValues = new double[nt];
        double[] topRes = new double[nt];
        double[][] topVec = computeVectors ? new double[nt][] : null;
        TreeSet<Integer> wanted = new TreeSet<>();
        for (int i = 0; i < nt; i++) {
            int idx = m - 1 - i;
            topValues[i] = ritz.value(idx);
            topRes[i] = beta * Math.abs(ritz.vectorEntry(m - 1, idx));
            if (computeVectors) {
                topVec[i] = lanczos.combine(ritz.vector(idx));
            }
            wanted.add(idx);
        }
        double[] bottomValues = new double[nb];
        double[] bottomRes = new double[nb];
        double[][] bottomVec = computeVectors ? new double[nb][] : null;
        for (int i = 0; i < nb; i++) {
            bottomValues[i] = ritz.value(i);
            bottomRes[i] = beta * Math.abs(ritz.vectorEntry(m - 1, i));
            if (computeVectors) {
                bottomVec[i] = lanczos.combine(ritz.vector(i));
            }
            wanted.add(i);
        }
        double[] all = wanted.stream().mapToDouble(ritz::value).toArray();
        double seconds = (System.nanoTime() - start) / 1e9;
        HessianSpectrum spectrum = new HessianSpectrum(all, n, HessianSpectrum.Method.LANCZOS, lanczos.products(),
                seconds, op.curvatureMethod(), op.precision());
        return new LanczosResult(topValues, topRes, bottomValues, bottomRes, topVec, bottomVec, m,
                converged || m == n, spectrum);
    }

    private boolean residualsMet(SymmetricEigen ritz, double beta, int kTop, int kBottom) {
        int m = ritz.size();
        if (m < kTop || m < kBottom) {
            return false;
        }
        double scale = Math.max(Math.abs(ritz.value(0)), Math.abs(ritz.value(m - 1)));
        double bound = tolerance * scale;
        for (int i = 0; i < kTop; i++) {
            if (beta * Math.abs(ritz.vectorEntry(m - 1, m - 1 - i)) > bound) {
                return false;
            }
        }
        for (int i = 0; i < kBottom; i++) {
            if (beta * Math.abs(ritz.vectorEntry(m - 1, i)) > bound) {
                return false;
            }
        }
        return true;
    }

    public int top() {
        return top;
    }

    public int bottom() {
        return bottom;
    }

    /** The iteration limit, 0 for {@link #defaultIterations}. */
    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    public long seed() {
        return seed;
    }

    public boolean computeVectors() {
        return computeVectors;
    }

    /** Configures a {@link LanczosEigensolver}; every setting has a default. */
    public static final class Builder {
        private int top = DEFAULT_TOP;
        private int bottom = DEFAULT_BOTTOM;
        private int maxIterations;
        private double tolerance = DEFAULT_TOLERANCE;
        private long seed = DEFAULT_SEED;
        private boolean computeVectors;

        private Builder() {
        }

        /** How many of the largest eigenvalues to find (default 1). */
        public Builder top(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("top count must be at least 0, was " + k);
            }
            this.top = k;
            return this;
        }

        /** How many of the smallest (most negative) eigenvalues to find (default 0). */
        public Builder bottom(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("bottom count must be at least 0, was " + k);
            }
            this.bottom = k;
            return this;
        }

        /** At most this many Lanczos steps; 0 (the default) for {@link #defaultIterations}. */
        public Builder maxIterations(int m) {
            if (m < 0) {
                throw new IllegalArgumentException("iteration limit must be at least 0 (0 = default), was " + m);
            }
            this.maxIterations = m;
            return this;
        }

        /** Relative residual tolerance (default 1e-8, {@link LanczosEigensolver#DEFAULT_TOLERANCE}). */
        public Builder tolerance(double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException("tolerance must be finite and above 0, was " + value);
            }
            this.tolerance = value;
            return this;
        }

        /** Seed of the random start vector (default 0). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether to compute the Ritz vectors of the eigenvalues found (default false). */
        public Builder computeVectors(boolean value) {
            this.computeVectors = value;
            return this;
        }

        public LanczosEigensolver build() {
            if (top + bottom == 0) {
                throw new IllegalStateException("ask for at least one eigenvalue: top(k) or bottom(k)");
            }
            return new LanczosEigensolver(this);
        }
    }
}
