package io.github.losslab.analysis.trajectory;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Principal component analysis of parameter snapshots, fitted once on all snapshots of all runs together.
 * Snapshots are few (hundreds) and long (up to millions of parameters), so the components come from the
 * eigen-decomposition of the snapshots' Gram matrix (size snapshots x snapshots) rather than of the covariance
 * (size parameters x parameters): if {@code X} is the centred snapshot matrix and {@code X Xᵀ u = λ u}, then
 * {@code Xᵀ u / sqrt(λ)} is a unit principal direction with variance {@code λ / (n - 1)}.
 *
 * <p>Only directions the snapshots really span are returned. The computed Gram matrix differs from the true one by
 * rounding: each entry, a dot product of {@code p} terms, is off by at most about {@code p u |x_a| |x_b|} (Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., 3.1), so by at most {@code p u tr(X Xᵀ)} in norm, and
 * the symmetric eigen-decomposition adds a backward error of a small multiple of {@code n u ||X Xᵀ||}, with
 * {@code u = 2^-53}. An eigenvalue at most {@code (n + p) eps tr(X Xᵀ)}, {@code eps = 2u}, cannot be told from 0,
 * and its {@code Xᵀ u} is rounding noise that leans on the earlier components: 10 collinear snapshots in 30
 * dimensions gave a unit second "component" with {@code p1 . p2 = 0.82}. Such components are refused (see
 * {@link #fit}), and each kept one is orthogonalised against the earlier ones (Gram-Schmidt, twice), so that the
 * components are orthonormal to rounding. On collinear snapshots ({@code p} from 5 to a million, {@code n} from 3
 * to 60, random or equal entries, means up to 10,000 times the spread) the rounding noise stayed 11 to 70 times
 * below that threshold, at most {@code 3.3e-12 tr} for a million equal entries, whose rounding errors add up.
 */
public final class TrajectoryPca {

    private final double[] mean;
    private final double[][] components;
    private final double[] explainedVariance;
    private final double totalVariance;

    private TrajectoryPca(double[] mean, double[][] components, double[] explainedVariance, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.totalVariance = totalVariance;
    }

    /**
     * Fits {@code k} components to the snapshots (each of the same length).
     *
     * @throws IllegalArgumentException with fewer than 2 snapshots, unequal lengths, {@code k} not in
     *                                  {@code [1, snapshots - 1]}, or centred snapshots that span fewer than
     *                                  {@code k} directions beyond rounding error (their rank, named in the
     *                                  message, is below {@code k}: collinear snapshots have rank 1)
     */
    public static TrajectoryPca fit(List<double[]> snapshots, int k) {
        int n = snapshots.size();
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 snapshots, got " + n);
        }
        int p = snapshots.get(0).length;
        for (double[] s : snapshots) {
            if (s.length != p) {
                throw new IllegalArgumentException("snapshots must have equal lengths, found " + p + " and " + s.length);
            }
        }
        if (k < 1 || k > Math.min(n - 1, p)) {
            throw new IllegalArgumentException("number of components must be in [1, " + Math.min(n - 1, p)
                    + "] for " + n + " snapshots of " + p + " parameters, was " + k);
        }
        double[] mean = new double[p];
        for (double[] s : snapshots) {
            for (int j = 0; j < p; j++) {
                mean[j] += s[j] / n;
            }
        }
        double[][] centred = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                centred[i][j] = snapshots.get(i)[j] - mean[j];
            }
        }
        DMatrixRMaj gram = new DMatrixRMaj(n, n);
        double total = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double dot = 0;
                double[] ra = centred[a];
                double[] rb = centred[b];
                for (int j = 0; j < p; j++) {
                    dot += ra[j] * rb[j];
                }
                gram.set(a, b, dot);
                gram.set(b, a, dot);
            }
            total += gram.get(a, a);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("eigen-decomposition of the " + n + "x" + n + " Gram matrix failed");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(y).real, eig.getEigenvalue(x).real));
        double tolerance = rankTolerance(n, p, total);
        int rank = 0;
        while (rank < k && eig.getEigenvalue(order[rank]).real > tolerance) {
            rank++;
        }
        if (rank < k) {
            if (!(total > 0)) {
                throw new IllegalArgumentException("the " + n + " snapshots are all equal (rank 0): they have no "
                        + "principal components");
            }
            double next = Math.max(0, eig.getEigenvalue(order[rank]).real);
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the %d snapshots span only %d direction%s"
                            + " beyond rounding error (rank %d), fewer than the %d components asked for: the "
                            + "variance along another direction is %.2g of the total, within the rounding threshold "
                            + "(snapshots + parameters) eps = %.2g of it; fit at most %d component%s, or use "
                            + "snapshots that move in more directions", n, rank, rank == 1 ? "" : "s", rank, k,
                    next / total, tolerance / total, rank, rank == 1 ? "" : "s"));
        }
        double[][] components = new double[k][];
        double[] variance = new double[k];
        for (int c = 0; c < k; c++) {
            double lambda = eig.getEigenvalue(order[c]).real;
            DMatrixRMaj u = eig.getEigenVector(order[c]);
            double[] dir = new double[p];
            for (int i = 0; i < n; i++) {
                double ui = u.get(i, 0);
                double[] row = centred[i];
                for (int j = 0; j < p; j++) {
                    dir[j] += ui * row[j];
                }
            }
            // Gram-Schmidt twice against the earlier components: X^T u carries rounding along them
            for (int pass = 0; pass < 2; pass++) {
                for (int e = 0; e < c; e++) {
                    double along = dot(dir, components[e]);
                    double[] earlier = components[e];
                    for (int j = 0; j < p; j++) {
                        dir[j] -= along * earlier[j];
                    }
                }
            }
            double norm = Math.sqrt(dot(dir, dir));
            for (int j = 0; j < p; j++) {
                dir[j] /= norm;
            }
            // a deterministic sign: the largest-magnitude entry is positive
            int big = 0;
            for (int j = 1; j < p; j++) {
                if (Math.abs(dir[j]) > Math.abs(dir[big])) {
                    big = j;
                }
            }
            if (dir[big] < 0) {
                for (int j = 0; j < p; j++) {
                    dir[j] = -dir[j];
                }
            }
            components[c] = dir;
            variance[c] = lambda / (n - 1);
        }
        return new TrajectoryPca(mean, components, variance, total / (n - 1));
    }

    /** Coordinates of one snapshot on the components: {@code (s - mean) . component_c}. */
    public double[] project(double[] snapshot) {
        if (snapshot.length != mean.length) {
            throw new IllegalArgumentException("snapshot has " + snapshot.length + " values, the PCA was fitted on "
                    + mean.length);
        }
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double s = 0;
            double[] dir = components[c];
            for (int j = 0; j < mean.length; j++) {
                s += (snapshot[j] - mean[j]) * dir[j];
            }
            out[c] = s;
        }
        return out;
    }

    /** Projections of several snapshots, one row each. */
    public List<double[]> projectAll(List<double[]> snapshots) {
        List<double[]> out = new ArrayList<>(snapshots.size());
        for (double[] s : snapshots) {
            out.add(project(s));
        }
        return out;
    }

    public int components() {
        return components.length;
    }

    /** Unit direction of component {@code c} (a copy). */
    public double[] component(int c) {
        return components[c].clone();
    }

    /** The mean snapshot (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** Variance along each component. */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** Fraction of the total variance along each component. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[explainedVariance.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = totalVariance == 0 ? 0 : explainedVariance[c] / totalVariance;
        }
        return r;
    }

    /**
     * The Gram eigenvalue at or below which a component is rounding noise: {@code (n + p) eps tr(X Xᵀ)}, the
     * rounding of the Gram matrix's entries ({@code p u tr}) and of its eigen-decomposition (a small multiple of
     * {@code n u ||X Xᵀ||}) with a margin of 2 ({@code eps = 2u = 2^-52}).
     */
    private static double rankTolerance(int snapshots, int parameters, double gramTrace) {
        return ((double) snapshots + parameters) * Math.ulp(1.0) * gramTrace;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
