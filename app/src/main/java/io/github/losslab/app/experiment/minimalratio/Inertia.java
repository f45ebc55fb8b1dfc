package io.github.losslab.app.experiment.minimalratio;

import io.github.losslab.analysis.hessian.HessianSpectrum;

/**
 * The inertia of a Hessian at a critical point (Sylvester's law of inertia: the numbers of negative, zero and
 * positive eigenvalues), with the two minimal ratios read from it. Computed eigenvalues are never exactly zero, so
 * an eigenvalue counts as zero when {@code |lambda| <= tolerance * max|lambda|}.
 *
 * <ul>
 *   <li>The <b>index</b> is the number of negative eigenvalues: the number of independent directions in which the
 *       loss falls. 0 at a minimum, at least 1 at a saddle point (Bray and Dean, "Statistics of critical points of
 *       Gaussian fields on large-dimensional spaces", PRL 2007; Dauphin et al., "Identifying and attacking the
 *       saddle point problem in high-dimensional non-convex optimization", NeurIPS 2014, use its fraction).</li>
 *   <li>The <b>minimal ratio</b> of the assignment is the fraction of all eigenvalues that are positive. At a
 *       degenerate minimum, where many eigenvalues are zero (an over-parameterised network that interpolates its
 *       data), it is far below 1 although no direction leads down.</li>
 *   <li>The <b>robust minimal ratio</b> leaves the zero eigenvalues out: positive over positive plus negative. It is
 *       1 at every minimum, degenerate or not, and below 1 at every saddle; NaN when every eigenvalue is zero.</li>
 * </ul>
 *
 * @param negative  eigenvalues below {@code -threshold}
 * @param zero      eigenvalues within {@code threshold} of zero
 * @param positive  eigenvalues above {@code threshold}
 * @param tolerance the relative tolerance
 * @param threshold {@code tolerance * max|lambda|}
 */
public record Inertia(int negative, int zero, int positive, double tolerance, double threshold) {

    public Inertia {
        if (negative < 0 || zero < 0 || positive < 0) {
            throw new IllegalArgumentException("eigenvalue counts must be at least 0, were " + negative + ", " + zero
                    + ", " + positive);
        }
    }

    /** The inertia of a complete spectrum with a relative zero tolerance. */
    public static Inertia of(HessianSpectrum spectrum, double tolerance) {
        if (!spectrum.isComplete()) {
            throw new IllegalArgumentException("the inertia needs every eigenvalue, but the spectrum holds "
                    + spectrum.count() + " of " + spectrum.dimension() + "; use FullHessian");
        }
        HessianSpectrum.SignCounts c = spectrum.signCounts(tolerance);
        return new Inertia(c.negative(), c.nearZero(), c.positive(), tolerance, c.threshold());
    }

    /** The inertia of the given eigenvalues (all of a Hessian's) with a relative zero tolerance. */
    public static Inertia of(double[] eigenvalues, double tolerance) {
        return of(HessianSpectrum.of(eigenvalues), tolerance);
    }

    /** The number of eigenvalues. */
    public int total() {
        return negative + zero + positive;
    }

    /** The number of negative eigenvalues beyond the tolerance: 0 at a minimum. */
    public int index() {
        return negative;
    }

    /** Whether some direction leads down: the index is at least 1. */
    public boolean isSaddle() {
        return negative > 0;
    }

    /** The assignment's minimal ratio: positive eigenvalues over all of them; NaN for none. */
    public double minimalRatio() {
        return total() == 0 ? Double.NaN : (double) positive / total();
    }

    /** Positive eigenvalues over the positive and negative ones (zero ones left out); NaN when there are none. */
    public double robustRatio() {
        return positive + negative == 0 ? Double.NaN : (double) positive / (positive + negative);
    }
}
