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
 * a Gaussian of width {@code sigma} and averaged over the bin of each grid point
 * ({@link #density(double[], double)}), so that no mass falls between grid points; the spread across probes is the
 * run-to-run variation.
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
     * A smoothed density on a grid, one value per bin: the bin of point {@code i} runs from the midpoint with its
     * left neighbour to the midpoint with its right one, and the first and last bins reach as far beyond their
     * points as they reach inwards (see {@link #edges()}). Each value is the mass of the smoothed quadrature in the
     * bin divided by the bin's width, so {@code density[i] * width[i]} is the mass there.
     *
     * @param density the mean over probes of each probe's smoothed quadrature averaged over each bin
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

        /** The {@code grid.length + 1} bin edges: midpoints between grid points, and the two outer edges. */
        public double[] edges() {
            return SpectralDensity.edges(grid);
        }

        /**
         * The mass the curve holds: {@code sum_i density[i] * (edges[i + 1] - edges[i])}, the kernel's mass inside
         * the outer edges, which is 1 up to rounding when the grid reaches a few {@code sigma} past the nodes (as
         * {@link SpectralDensity#density(int, double)}'s grids do), however coarse the grid.
         */
        public double integral() {
            double[] e = edges();
            double s = 0;
            for (int i = 0; i < grid.length; i++) {
                s += density[i] * (e[i + 1] - e[i]);
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

    /**
     * A quadrature kept from an earlier {@link #estimate} (its {@link #nodes(int)} and {@link #weights(int)} per
     * probe, stored as numbers), so that densities of several runs can be drawn on one grid with one kernel. Its
     * {@link #products()} count one per node (a step of each probe's Lanczos process), its time 0.
     *
     * @throws IllegalArgumentException when there is no probe, a probe has no node, nodes and weights differ in
     *                                  length, or a value is not finite
     */
    public static SpectralDensity of(int dimension, double[][] nodes, double[][] weights,
                                     CurvatureMethod curvatureMethod, Precision precision) {
        if (nodes.length == 0 || nodes.length != weights.length) {
            throw new IllegalArgumentException("a quadrature needs nodes and weights for at least one probe, had "
                    + nodes.length + " and " + weights.length);
        }
        double[][] n = new double[nodes.length][];
        double[][] w = new double[nodes.length][];
        long products = 0;
        for (int p = 0; p < nodes.length; p++) {
            if (nodes[p].length == 0 || nodes[p].length != weights[p].length) {
                throw new IllegalArgumentException("probe " + p + " has " + nodes[p].length + " nodes and "
                        + weights[p].length + " weights; it needs as many of each, at least one");
            }
            for (int k = 0; k < nodes[p].length; k++) {
                if (!Double.isFinite(nodes[p][k]) || !Double.isFinite(weights[p][k])) {
                    throw new IllegalArgumentException("probe " + p + " has a node or weight that is not finite");
                }
            }
            n[p] = nodes[p].clone();
            w[p] = weights[p].clone();
            products += n[p].length;
        }
        return new SpectralDensity(dimension, n, w, products, 0, curvatureMethod, precision);
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
     * {@code pad = 5 sigma + 1% of the range}, so that the curve holds all of its mass but at most 3e-7 (the
     * Gaussian's mass beyond 5 sigma); each point stands for the bin of one spacing around it.
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

    /**
     * The density on a given increasing grid with a Gaussian kernel of width {@code sigma}: at point {@code i}, with
     * bin {@code [b_i, b_{i+1}]} ({@link Curve#edges()}), the mean over probes of
     * {@code sum_k w_k [Phi((b_{i+1} - theta_k) / sigma) - Phi((b_i - theta_k) / sigma)] / (b_{i+1} - b_i)}, the
     * smoothed quadrature {@code sum_k w_k N(x; theta_k, sigma^2)} averaged over the bin.
     *
     * <p>Averaging rather than sampling the smoothed density at the points keeps every node's mass whatever the
     * spacing: PyHessian's {@code sigma} is {@code sqrt(1e-5 * range)}, narrower than the spacing of 1000 points once
     * the range exceeds about 10, and a Gaussian sampled there can fall between points and vanish. Here the curve
     * integrates to 1 at any resolution, and a peak narrower than a bin keeps its mass {@code w} in the bin it falls
     * in (or the two it straddles), drawn with height {@code w / width} instead of {@code w / (sigma sqrt(2 pi))}.
     * Where the bins are much narrower than {@code sigma}, the average is the smoothed density sampled at the point,
     * within {@code h^2 / (24 sigma^2)} times the kernel's peak {@code 1 / (sigma sqrt(2 pi))} for points evenly
     * spaced {@code h} apart (the midpoint rule's error).
     *
     * @throws IllegalArgumentException for fewer than 2 points, a grid not strictly increasing or not finite, or a
     *                                  {@code sigma} not finite and positive
     */
    public Curve density(double[] grid, double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("kernel width must be finite and above 0, was " + sigma);
        }
        double[] edges = edges(grid);
        int points = grid.length;
        int probes = nodes.length;
        double[][] perProbe = new double[probes][points];
        double[] tails = new double[points + 1];
        double[] z = new double[points + 1];
        for (int p = 0; p < probes; p++) {
            for (int k = 0; k < nodes[p].length; k++) {
                // Q(|z|) at each edge: the tail on the edge's own side of the node, which keeps its relative accuracy
                for (int j = 0; j <= points; j++) {
                    z[j] = (edges[j] - nodes[p][k]) / sigma;
                    tails[j] = Normal.upperTail(Math.abs(z[j]));
                }
                for (int i = 0; i < points; i++) {
                    double mass;
                    if (z[i] >= 0) {
                        mass = tails[i] - tails[i + 1];
                    } else if (z[i + 1] <= 0) {
                        mass = tails[i + 1] - tails[i];
                    } else {
                        mass = 1 - tails[i] - tails[i + 1];
                    }
                    perProbe[p][i] += weights[p][k] * mass;
                }
            }
        }
        double[] mean = new double[points];
        double[] spread = new double[points];
        double[] at = new double[probes];
        for (int i = 0; i < points; i++) {
            double width = edges[i + 1] - edges[i];
            for (int p = 0; p < probes; p++) {
                at[p] = perProbe[p][i] / width;
            }
            double m = HutchinsonTrace.mean(at);
            mean[i] = m;
            if (probes > 1) {
                double ss = 0;
                for (double d : at) {
                    ss += (d - m) * (d - m);
                }
                spread[i] = Math.sqrt(ss / (probes - 1));
            }
        }
        return new Curve(grid, mean, spread, sigma);
    }

    /** The bin edges of a grid: midpoints between points, and the outer edges half a spacing past the ends. */
    static double[] edges(double[] grid) {
        int points = grid.length;
        if (points < 2) {
            throw new IllegalArgumentException("a density grid needs at least 2 points, was " + points);
        }
        for (int i = 0; i < points; i++) {
            if (!Double.isFinite(grid[i]) || (i > 0 && !(grid[i] > grid[i - 1]))) {
                throw new IllegalArgumentException("a density grid must be finite and strictly increasing, found "
                        + (i == 0 ? "" : grid[i - 1] + " then ") + grid[i] + " at point " + i);
            }
        }
        double[] edges = new double[points + 1];
        edges[0] = grid[0] - 0.5 * (grid[1] - grid[0]);
        for (int i = 1; i < points; i++) {
            edges[i] = 0.5 * (grid[i - 1] + grid[i]);
        }
        edges[points] = grid[points - 1] + 0.5 * (grid[points - 1] - grid[points - 2]);
        return edges;
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
