package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.Lanczos;
import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;

import java.util.SplittableRandom;

/**
 * The eigenvalue density of a Hessian by stochastic Lanczos quadrature (Golub and Meurant 1994; Lin, Saad and
 * Yang, "Approximating spectral densities of large matrices", SIAM Review 2016; Ghorbani, Krishnan and Xiao, "An
 * investigation into neural net optimization via Hessian eigenvalue density", ICML 2019), as PyHessian's
 * {@code density}. For each of several Rademacher probes {@code v}, {@code m} Lanczos steps from {@code v} give a
 * tridiagonal {@code T} whose eigenvalues {@code theta_k} (nodes) and squared first eigenvector components
 * {@code w_k} (weights, summing to 1) form a Gauss quadrature of the spectral measure of {@code v}, whose
 * expectation is the eigenvalue density {@code (1/n) sum_i delta(x - lambda_i)}. The density is shown smoothed by
 * a Gaussian of width {@code sigma}; the spread across probes is the run-to-run variation.
 *
 * <p>The first moment of each probe's quadrature is exact: {@code sum_k w_k theta_k = v^T H v / ||v||^2}, a
 * Hutchinson estimate of {@code tr(H) / n}.
 */
public final class SpectralDensity {

    public static final int DEFAULT_PROBES = 5;
    /** Lanczos steps per probe (Ghorbani et al. use 90). */
    public static final int DEFAULT_STEPS = 90;
    /** Squared width of the smoothing Gaussian relative to {@code max(1, lambda_max - lambda_min)}, as PyHessian. */
    public static final double DEFAULT_RELATIVE_SIGMA_SQUARED = 1e-5;
    public static final int DEFAULT_POINTS = 1000;

    /**
     * A smoothed density on a grid.
     *
     * @param density the mean over probes of each probe's smoothed quadrature
     * @param spread  the sample standard deviation over probes at each point (0 for one probe)
     * @param sigma   the width of the Gaussian kernel
     */
    public record Curve(double[] grid, double[] density, double[] spread, double sigma) {
        public Curve {
            grid = grid.clone();
            density = density.clone();
            spread = spread.clone();
        }

        @Override
        public double[] grid() {
            return grid.clone();
        }

        @Override
        public double[] density() {
            return density.clone();
        }

        @Override
        public double[] spread() {
            return spread.clone();
        }

        /** The trapezoidal integral of the density over the grid (close to 1 when the grid covers the nodes). */
        public double integral() {
            double s = 0;
            for (int i = 1; i < grid.length; i++) {
                s += 0.5 * (density[i] + density[i - 1]) * (grid[i] - grid[i - 1]);
            }
            return s;
        }
    }

    private final int dimension;
    private final double[][] nodes;
    private final double[][] weights;
    private final long products;
    private final double wallSeconds;
    private final CurvatureMethod curvatureMethod;
    private final Precision precision;

    private SpectralDensity(int dimension, double[][] nodes, double[][] weights, long products, double wallSeconds,
                            CurvatureMethod curvatureMethod, Precision precision) {
        this.dimension = dimension;
        this.nodes = nodes;
        this.weights = weights;
        this.products = products;
        this.wallSeconds = wallSeconds;
        this.curvatureMethod = curvatureMethod;
        this.precision = precision;
    }

    /** The quadrature of {@link #DEFAULT_PROBES} probes of {@link #DEFAULT_STEPS} steps. */
    public static SpectralDensity estimate(SymmetricOperator op, long seed) {
        return estimate(op, DEFAULT_PROBES, DEFAULT_STEPS, seed);
    }

    /**
     * The quadrature of {@code probes} Rademacher probes drawn from {@code seed}, {@code steps} Lanczos steps each
     * (fewer where the Krylov space of a probe is exhausted, and at most the dimension).
     */
    public static SpectralDensity estimate(SymmetricOperator op, int probes, int steps, long seed) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, was " + probes);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("Lanczos steps must be at least 1, was " + steps);
        }
        long start = System.nanoTime();
        int n = op.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        double[][] nodes = new double[probes][];
        double[][] weights = new double[probes][];
        long products = 0;
        for (int p = 0; p < probes; p++) {
            Lanczos lanczos = new Lanczos(op, Vectors.rademacher(n, random), null);
            while (lanczos.steps() < steps && lanczos.step()) {
                // one product per step
            }
            products += lanczos.products();
            SymmetricEigen t = lanczos.ritz(true);
            nodes[p] = t.values();
            weights[p] = new double[t.size()];
            for (int k = 0; k < t.size(); k++) {
                double s = t.vectorEntry(0, k);
                weights[p][k] = s * s;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new SpectralDensity(n, nodes, weights, products, seconds, op.curvatureMethod(), op.precision());
    }

    /** The size of the operator. */
    public int dimension() {
        return dimension;
    }

    public int probes() {
        return nodes.length;
    }

    /** The quadrature nodes (Ritz values) of probe {@code p}, ascending. */
    public double[] nodes(int p) {
        return nodes[p].clone();
    }

    /** The quadrature weights of probe {@code p}, summing to 1. */
    public double[] weights(int p) {
        return weights[p].clone();
    }

    /** Each probe's first moment {@code sum_k w_k theta_k}, an estimate of {@code tr(H) / n}. */
    public double[] probeMeans() {
        double[] m = new double[nodes.length];
        for (int p = 0; p < nodes.length; p++) {
            for (int k = 0; k < nodes[p].length; k++) {
                m[p] += weights[p][k] * nodes[p][k];
            }
        }
        return m;
    }

    /** The mean eigenvalue estimated over the probes: {@code tr(H) / n}. */
    public double mean() {
        return HutchinsonTrace.mean(probeMeans());
    }

    /** The standard error of {@link #mean()} across probes (NaN for one probe). */
    public double meanStandardError() {
        return HutchinsonTrace.standardError(probeMeans());
    }

    /** The smallest node of all probes: close to the smallest eigenvalue. */
    public double minNode() {
        double m = Double.POSITIVE_INFINITY;
        for (double[] p : nodes) {
            m = Math.min(m, p[0]);
        }
        return m;
    }

    /** The largest node of all probes: close to the largest eigenvalue. */
    public double maxNode() {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] p : nodes) {
            m = Math.max(m, p[p.length - 1]);
        }
        return m;
    }

    /** PyHessian's kernel width: {@code sqrt(1e-5 * max(1, maxNode - minNode))}. */
    public double defaultSigma() {
        return Math.sqrt(DEFAULT_RELATIVE_SIGMA_SQUARED * Math.max(1, maxNode() - minNode()));
    }

    /** The density on {@link #DEFAULT_POINTS} points with {@link #defaultSigma()}. */
    public Curve density() {
        return density(DEFAULT_POINTS, defaultSigma());
    }

    /**
     * The density on {@code points} evenly spaced points from {@code minNode - pad} to {@code maxNode + pad},
     * {@code pad = 5 sigma + 1% of the range}, so that the curve holds nearly all of its mass.
     */
    public Curve density(int points, double sigma) {
        if (points < 2) {
            throw new IllegalArgumentException("a density grid needs at least 2 points, was " + points);
        }
        double lo = minNode();
        double hi = maxNode();
        double pad = 5 * sigma + 0.01 * (hi - lo);
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = lo - pad + (hi - lo + 2 * pad) * i / (points - 1);
        }
        return density(grid, sigma);
    }

    /** The density on a given grid with a Gaussian kernel of width {@code sigma}. */
    public Curve density(double[] grid, double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("kernel width must be finite and above 0, was " + sigma);
        }
        int probes = nodes.length;
        double[] mean = new double[grid.length];
        double[] spread = new double[grid.length];
        double norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
        double[] perProbe = new double[probes];
        for (int i = 0; i < grid.length; i++) {
            for (int p = 0; p < probes; p++) {
                double s = 0;
                for (int k = 0; k < nodes[p].length; k++) {
                    double z = (grid[i] - nodes[p][k]) / sigma;
                    s += weights[p][k] * norm * Math.exp(-0.5 * z * z);
                }
                perProbe[p] = s;
            }
            double m = HutchinsonTrace.mean(perProbe);
            mean[i] = m;
            if (probes > 1) {
                double ss = 0;
                for (double d : perProbe) {
                    ss += (d - m) * (d - m);
                }
                spread[i] = Math.sqrt(ss / (probes - 1));
            }
        }
        return new Curve(grid, mean, spread, sigma);
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

    @Override
    public String toString() {
        return "SpectralDensity[" + nodes.length + " probes, nodes in [" + minNode() + ", " + maxNode() + "], "
                + products + " products, " + curvatureMethod.configName() + "]";
    }
}
