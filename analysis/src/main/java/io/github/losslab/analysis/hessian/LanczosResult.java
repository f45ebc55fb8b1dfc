package io.github.losslab.analysis.hessian;

import java.util.Arrays;

/**
 * The extreme eigenvalues found by a {@link LanczosEigensolver}: the top ones (largest first) and the bottom ones
 * (smallest first), each with the norm of its Ritz residual {@code ||H y - theta y||} (an eigenvalue of {@code H}
 * lies within that distance of {@code theta}), the unit Ritz vectors if they were asked for, and the spectrum of
 * all of them together with the products and time spent.
 */
public final class LanczosResult {

    private final double[] top;
    private final double[] topResiduals;
    private final double[] bottom;
    private final double[] bottomResiduals;
    private final double[][] topVectors;
    private final double[][] bottomVectors;
    private final int iterations;
    private final boolean converged;
    private final HessianSpectrum spectrum;

    LanczosResult(double[] top, double[] topResiduals, double[] bottom, double[] bottomResiduals,
                  double[][] topVectors, double[][] bottomVectors, int iterations, boolean converged,
                  HessianSpectrum spectrum) {
        this.top = top;
        this.topResiduals = topResiduals;
        this.bottom = bottom;
        this.bottomResiduals = bottomResiduals;
        this.topVectors = topVectors;
        this.bottomVectors = bottomVectors;
        this.iterations = iterations;
        this.converged = converged;
        this.spectrum = spectrum;
    }

    /** The largest eigenvalues, largest first. */
    public double[] top() {
        return top.clone();
    }

    /** The smallest (most negative) eigenvalues, smallest first. */
    public double[] bottom() {
        return bottom.clone();
    }

    /** The largest eigenvalue (needs at least one top eigenvalue asked for). */
    public double largest() {
        if (top.length == 0) {
            throw new IllegalStateException("no top eigenvalue was asked for");
        }
        return top[0];
    }

    /** The smallest eigenvalue (needs at least one bottom eigenvalue asked for). */
    public double smallest() {
        if (bottom.length == 0) {
            throw new IllegalStateException("no bottom eigenvalue was asked for");
        }
        return bottom[0];
    }

    /** Ritz residual norms of {@link #top()}, in the same order. */
    public double[] topResiduals() {
        return topResiduals.clone();
    }

    /** Ritz residual norms of {@link #bottom()}, in the same order. */
    public double[] bottomResiduals() {
        return bottomResiduals.clone();
    }

    public boolean hasVectors() {
        return topVectors != null;
    }

    /** The unit Ritz vector of {@code top()[i]}. */
    public double[] topVector(int i) {
        requireVectors();
        return topVectors[i].clone();
    }

    /** The unit Ritz vector of {@code bottom()[i]}. */
    public double[] bottomVector(int i) {
        requireVectors();
        return bottomVectors[i].clone();
    }

    /** Lanczos steps taken (one Hessian-vector product each). */
    public int iterations() {
        return iterations;
    }

    /** Whether every eigenvalue asked for met the residual tolerance. */
    public boolean converged() {
        return converged;
    }

    /** All eigenvalues found, with products, time and curvature method. */
    public HessianSpectrum spectrum() {
        return spectrum;
    }

    private void requireVectors() {
        if (topVectors == null) {
            throw new IllegalStateException("Ritz vectors were not computed; ask with computeVectors(true)");
        }
    }

    @Override
    public String toString() {
        return "LanczosResult[top " + Arrays.toString(top) + ", bottom " + Arrays.toString(bottom) + ", "
                + iterations + " iterations" + (converged ? "" : ", NOT converged") + "]";
    }
}
