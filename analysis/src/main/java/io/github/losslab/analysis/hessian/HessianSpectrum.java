package io.github.losslab.analysis.hessian;

import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;

import java.util.Arrays;
import java.util.Objects;

/**
 * Eigenvalues of a Hessian (ascending) with how they were obtained: all {@link #dimension()} of them from a
 * {@link FullHessian}, or the extreme ones from a {@link LanczosEigensolver}; the number of Hessian-vector
 * products and the wall time spent; and whether the products were exact or finite differences.
 *
 * <p><b>Minimal ratio.</b> The fraction of eigenvalues that are positive, which is 1 at a strict local minimum and
 * smaller at a saddle point (the "index" of Dauphin et al. 2014 is the fraction of negative ones). Computed
 * Hessians are never exactly singular, so an eigenvalue counts as zero when {@code |lambda| <= tol * max|lambda|}.
 * The default relative tolerance {@link #DEFAULT_TOLERANCE} {@code = 1e-6} in float64 sits well above the error of
 * the eigenvalues (a dense symmetric solver is backward stable to about {@code n eps ||H||}, about {@code 1e-13}
 * relative for a few hundred parameters; finite-difference products add about {@code 1e-10}; a gradient of
 * {@code 1e-6} at an approximate critical point moves the zero eigenvalues of symmetries and dead units by a
 * comparable amount) and well below the curvature of the directions that matter; in float32, products are only
 * good to about {@code 1e-4} relative, hence {@link #DEFAULT_TOLERANCE_FLOAT32} {@code = 1e-3}.
 */
public final class HessianSpectrum {

    /** Relative tolerance below which an eigenvalue counts as zero, for float64 models. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Relative tolerance below which an eigenvalue counts as zero, for float32 models. */
    public static final double DEFAULT_TOLERANCE_FLOAT32 = 1e-3;

    /** How the eigenvalues were computed. */
    public enum Method {
        /** Every eigenvalue, from the dense Hessian. */
        FULL_DECOMPOSITION,
        /** The extreme eigenvalues, as Ritz values of a Lanczos process. */
        LANCZOS
    }

    /**
     * How many eigenvalues are negative, zero within the tolerance, and positive.
     *
     * @param threshold the absolute threshold {@code tolerance * max|lambda|}
     */
    public record SignCounts(int negative, int nearZero, int positive, double tolerance, double threshold) {
        public int total() {
            return negative + nearZero + positive;
        }
    }

    private final double[] eigenvalues;
    private final int dimension;
    private final Method method;
    private final long products;
    private final double wallSeconds;
    private final CurvatureMethod curvatureMethod;
    private final Precision precision;

    /**
     * @param eigenvalues     in any order (they are sorted ascending)
     * @param dimension       the size of the Hessian
     * @param products        Hessian-vector products spent
     * @param wallSeconds     wall time spent
     */
    public HessianSpectrum(double[] eigenvalues, int dimension, Method method, long products, double wallSeconds,
                           CurvatureMethod curvatureMethod, Precision precision) {
        if (eigenvalues.length > dimension) {
            throw new IllegalArgumentException(eigenvalues.length + " eigenvalues cannot belong to a matrix of size "
                    + dimension);
        }
        for (double e : eigenvalues) {
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("eigenvalues must be finite, found " + e);
            }
        }
        this.eigenvalues = eigenvalues.clone();
        Arrays.sort(this.eigenvalues);
        this.dimension = dimension;
        this.method = Objects.requireNonNull(method, "method");
        this.products = products;
        this.wallSeconds = wallSeconds;
        this.curvatureMethod = Objects.requireNonNull(curvatureMethod, "curvatureMethod");
        this.precision = Objects.requireNonNull(precision, "precision");
    }

    /** The complete spectrum of a matrix given by its eigenvalues, for example a hand-made one. */
    public static HessianSpectrum of(double... eigenvalues) {
        return new HessianSpectrum(eigenvalues, eigenvalues.length, Method.FULL_DECOMPOSITION, 0, 0,
                CurvatureMethod.EXACT, Precision.FLOAT64);
    }

    /** The eigenvalues known, ascending. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The number of eigenvalues known. */
    public int count() {
        return eigenvalues.length;
    }

    /** The size of the Hessian (the number of parameters). */
    public int dimension() {
        return dimension;
    }

    /** Whether every eigenvalue is known. */
    public boolean isComplete() {
        return eigenvalues.length == dimension;
    }

    public Method method() {
        return method;
    }

    public long products() {
        return products;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public CurvatureMethod curvatureMethod() {
        return curvatureMethod;
    }

    public Precision precision() {
        return precision;
    }

    /** The largest eigenvalue known. */
    public double max() {
        requireAny();
        return eigenvalues[eigenvalues.length - 1];
    }

    /** The smallest eigenvalue known. */
    public double min() {
        requireAny();
        return eigenvalues[0];
    }

    /** The largest magnitude among the eigenvalues known. */
    public double maxAbs() {
        requireAny();
        return Math.max(Math.abs(eigenvalues[0]), Math.abs(eigenvalues[eigenvalues.length - 1]));
    }

    /** The sum of all eigenvalues; needs the complete spectrum. */
    public double trace() {
        requireComplete("the trace");
        double s = 0;
        for (double e : eigenvalues) {
            s += e;
        }
        return s;
    }

    /** The default zero tolerance for this spectrum's precision. */
    public double defaultTolerance() {
        return precision == Precision.FLOAT32 ? DEFAULT_TOLERANCE_FLOAT32 : DEFAULT_TOLERANCE;
    }

    /** Sign counts with {@link #defaultTolerance()}. */
    public SignCounts signCounts() {
        return signCounts(defaultTolerance());
    }

    /**
     * How many of the known eigenvalues are below {@code -tol * max|lambda|}, within it, and above it.
     *
     * @param tolerance relative to the largest magnitude, at least 0
     */
    public SignCounts signCounts(double tolerance) {
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and at least 0, was " + tolerance);
        }
        double threshold = eigenvalues.length == 0 ? 0 : tolerance * maxAbs();
        int negative = 0;
        int positive = 0;
        for (double e : eigenvalues) {
            if (e > threshold) {
                positive++;
            } else if (e < -threshold) {
                negative++;
            }
        }
        return new SignCounts(negative, eigenvalues.length - negative - positive, positive, tolerance, threshold);
    }

    /** The minimal ratio with {@link #defaultTolerance()}. */
    public double minimalRatio() {
        return minimalRatio(defaultTolerance());
    }

    /**
     * The fraction of eigenvalues greater than {@code tolerance * max|lambda|}; needs the complete spectrum.
     *
     * @throws IllegalStateException for a partial (Lanczos) spectrum
     */
    public double minimalRatio(double tolerance) {
        requireComplete("the minimal ratio");
        if (eigenvalues.length == 0) {
            return Double.NaN;
        }
        return (double) signCounts(tolerance).positive() / eigenvalues.length;
    }

    private void requireAny() {
        if (eigenvalues.length == 0) {
            throw new IllegalStateException("the spectrum holds no eigenvalues");
        }
    }

    private void requireComplete(String what) {
        if (!isComplete()) {
            throw new IllegalStateException(what + " needs every eigenvalue, but this " + method
                    + " spectrum holds " + eigenvalues.length + " of " + dimension + "; use FullHessian");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HessianSpectrum[").append(method).append(", ")
                .append(eigenvalues.length).append(" of ").append(dimension).append(" eigenvalues");
        if (eigenvalues.length > 0) {
            sb.append(" in [").append(min()).append(", ").append(max()).append(']');
        }
        return sb.append(", ").append(products).append(" products, ")
                .append(String.format(java.util.Locale.ROOT, "%.3f s", wallSeconds)).append(", ")
                .append(curvatureMethod.configName()).append(']').toString();
    }
}
