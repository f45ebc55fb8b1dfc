package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.Lanczos;
import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The top-k and bottom-k (algebraically largest and smallest) eigenvalues of a symmetric operator of any size, by
 * the Lanczos process with full reorthogonalisation ({@link Lanczos}) from a seeded random start, or from a given
 * one ({@link Builder#start}). It stops when every wanted Ritz value has a residual
 * {@code ||H y - theta y|| <= tolerance * max|theta|} (each is then that close to an eigenvalue, and usually much
 * closer: the error of a Ritz value is about the squared residual over the gap) or after {@code maxIterations}
 * products. Memory: {@code 8 n} bytes per iteration for the basis.
 *
 * <p>The Krylov space of one start vector holds a single direction of each distinct eigenvalue, so a plain Lanczos
 * process reports a repeated eigenvalue once, and the next distinct one in place of its copies. After the first
 * process converges, the solver therefore runs another in the orthogonal complement of the Ritz vectors it found
 * (every Lanczos vector orthogonalised against them) and adds what enters the wanted ends, until such a check adds
 * nothing. With distinct extreme eigenvalues that is one check, which stops once it has run as many steps as the
 * first process without coming near the wanted values; {@link LanczosResult#iterations()} counts both. Asked for
 * one top and at most one bottom eigenvalue, the solver runs no check: the largest value is found whatever its
 * multiplicity. The
 * residuals of pairs found in a check are those of {@code P H P}, {@code P} projecting out the vectors found
 * before.
 *
 * <p>"Top" here means algebraically largest. pytorch-hessian-eigenthings (Golmant et al. 2018; ARPACK with
 * {@code which="LM"} by default) and PyHessian (Yao et al. 2020; power iteration) return the eigenvalues of largest
 * magnitude instead: at a saddle whose most negative eigenvalue outweighs the largest one, their "top eigenvalue"
 * is that negative one, which this solver reports as {@code bottom(1)}.
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
    private final double[] startVector;

    private LanczosEigensolver(Builder b) {
        this.top = b.top;
        this.bottom = b.bottom;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.computeVectors = b.computeVectors;
        this.startVector = b.start;
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

    /** Runs the Lanczos process on {@code op}, then checks the complement of what it found for further copies. */
    public LanczosResult solve(SymmetricOperator op) {
        long start = System.nanoTime();
        int n = op.dimension();
        if (n < 1) {
            throw new IllegalArgumentException("the operator has dimension " + n);
        }
        if (startVector != null && startVector.length != n) {
            throw new IllegalArgumentException("the start vector has " + startVector.length + " entries but the operator "
                    + "has dimension " + n);
        }
        int kTop = Math.min(top, n);
        int kBottom = Math.min(bottom, n);
        int limit = Math.min(n, maxIterations > 0 ? maxIterations : defaultIterations(n, kTop + kBottom));
        SplittableRandom random = new SplittableRandom(seed);
        boolean checks = Math.max(kTop, kBottom) > 1;
        Run first = run(op, List.of(), kTop, kBottom, limit, random, null, computeVectors || checks);
        List<Pair> found = new ArrayList<>(first.pairs());
        int steps = first.steps();
        boolean converged = first.converged();
        // The Krylov space of one start vector holds a single direction of each distinct eigenvalue, so copies of a
        // found eigenvalue can only hide in the complement of the found vectors: search it until nothing there
        // enters the wanted ends. Every check that finds something adds at least one pair to them. A single top
        // (or bottom) value is the largest distinct one whatever its multiplicity, so it needs no check.
        if (converged && !first.complete() && checks) {
            for (int check = 0; found.size() < n; check++) {
                if (check > kTop + kBottom) {
                    converged = false;
                    break;
                }
                Edges edges = edges(found, kTop, kBottom, first.steps());
                Run more = run(op, found, kTop, kBottom, limit, random, edges, true);
                steps += more.steps();
                converged &= more.converged();
                List<Pair> entering = more.pairs().stream().filter(edges::enters).toList();
                if (entering.isEmpty()) {
                    break;
                }
                found.addAll(entering);
            }
        }
        List<Pair> byValue = new ArrayList<>(found);
        byValue.sort(Comparator.comparingDouble(Pair::value));
        List<Pair> topPairs = new ArrayList<>(byValue.subList(byValue.size() - Math.min(kTop, byValue.size()),
                byValue.size()));
        java.util.Collections.reverse(topPairs);
        List<Pair> bottomPairs = byValue.subList(0, Math.min(kBottom, byValue.size()));
        Set<Pair> wanted = new LinkedHashSet<>(bottomPairs);
        wanted.addAll(topPairs);
        double[] all = wanted.stream().mapToDouble(Pair::value).sorted().toArray();
        double seconds = (System.nanoTime() - start) / 1e9;
        HessianSpectrum spectrum = new HessianSpectrum(all, n, HessianSpectrum.Method.LANCZOS, steps, seconds,
                op.curvatureMethod(), op.precision());
        return new LanczosResult(values(topPairs), residuals(topPairs), values(bottomPairs), residuals(bottomPairs),
                computeVectors ? vectors(topPairs) : null, computeVectors ? vectors(bottomPairs) : null, steps,
                converged, spectrum);
    }

    /** A Ritz pair: the value, the norm of its residual, the unit vector (null when nobody needs it). */
    private record Pair(double value, double residual, double[] vector) {
    }

    /**
     * One Lanczos process from a random start orthogonal to {@code locked}, until the wanted Ritz pairs meet the
     * tolerance, or the Krylov space is exhausted, or {@code limit} steps. The first run (nothing locked, no
     * {@code edges}) restarts after an invariant subspace. The checks stop there (their Ritz values are then exact),
     * when their basis spans the complement of the locked vectors, and once, after as many steps as the first run
     * took, none of their Ritz values comes near the {@code edges} (a copy of a found eigenvalue converges in the
     * complement at least as fast as the first run found it). Its pairs carry Ritz vectors only when {@code vectors}
     * is set: for the caller, or for the checks, which lock them.
     *
     * @param complete whether the run's basis spans the whole space, so that every Ritz value is exact
     */
    private record Run(List<Pair> pairs, int steps, boolean converged, boolean complete) {
    }

    private Run run(SymmetricOperator op, List<Pair> locked, int kTop, int kBottom, int limit,
                    SplittableRandom random, Edges edges, boolean vectors) {
        int n = op.dimension();
        double[] from = Vectors.gaussian(n, random.split());
        if (locked.isEmpty() && startVector != null) {
            from = startVector;
        }
        Lanczos lanczos = new Lanczos(op, from, locked.isEmpty() ? random.split() : null,
                locked.stream().map(Pair::vector).toList());
        int cap = Math.min(limit, n - locked.size());
        int minimum = Math.min(cap, Math.max(kTop, kBottom) + 2);
        boolean converged;
        SymmetricEigen ritz;
        while (true) {
            boolean moved = lanczos.step();
            int m = lanczos.steps();
            boolean last = !moved || m >= cap;
            if (last || m >= minimum && m % Math.max(1, m / 10) == 0) {
                ritz = lanczos.ritz(true);
                converged = residualsMet(ritz, lanczos.residualNorm(), kTop, kBottom)
                        || edges != null && m >= edges.steps() && edges.clear(ritz);
                if (converged || last) {
                    break;
                }
            }
        }
        int m = ritz.size();
        // a check that exhausted its Krylov space, or spans the complement, has exact Ritz values
        if (edges != null && lanczos.isExhausted()) {
            converged = true;
        }
        double beta = lanczos.residualNorm();
        TreeSet<Integer> wanted = new TreeSet<>();
        for (int i = 0; i < Math.min(kTop, m); i++) {
            wanted.add(m - 1 - i);
        }
        for (int i = 0; i < Math.min(kBottom, m); i++) {
            wanted.add(i);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int idx : wanted) {
            pairs.add(new Pair(ritz.value(idx), beta * Math.abs(ritz.vectorEntry(m - 1, idx)),
                    vectors ? lanczos.combine(ritz.vector(idx)) : null));
        }
        return new Run(pairs, m, converged, locked.isEmpty() && m == n);
    }

    /**
     * Where a value found in the complement enters the wanted ends: above the smallest of the {@code kTop} largest
     * values found so far ({@code top}), or below the largest of the {@code kBottom} smallest ({@code bottom}), by
     * more than {@code slack}; {@code steps} is the length of the first run.
     */
    private record Edges(double top, double bottom, double slack, int steps) {

        boolean enters(Pair p) {
            return p.value() > top + slack || p.value() < bottom - slack;
        }

        /** Whether every Ritz value lies clearly inside the edges. */
        boolean clear(SymmetricEigen ritz) {
            return ritz.value(ritz.size() - 1) < top - slack && ritz.value(0) > bottom + slack;
        }
    }

    private Edges edges(List<Pair> found, int kTop, int kBottom, int steps) {
        double[] values = found.stream().mapToDouble(Pair::value).sorted().toArray();
        double scale = Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
        return new Edges(kTop == 0 ? Double.POSITIVE_INFINITY : values[values.length - kTop],
                kBottom == 0 ? Double.NEGATIVE_INFINITY : values[kBottom - 1], tolerance * scale, steps);
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

    private static double[] values(List<Pair> pairs) {
        return pairs.stream().mapToDouble(Pair::value).toArray();
    }

    private static double[] residuals(List<Pair> pairs) {
        return pairs.stream().mapToDouble(Pair::residual).toArray();
    }

    private static double[][] vectors(List<Pair> pairs) {
        return pairs.stream().map(p -> p.vector().clone()).toArray(double[][]::new);
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

    /** The start vector of the first process, or null for a random one drawn from {@link #seed()}. */
    public double[] start() {
        return startVector == null ? null : startVector.clone();
    }

    /** A relative residual tolerance, checked: finite and above 0. */
    static double checkTolerance(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("tolerance must be finite and above 0, was " + value);
        }
        return value;
    }

    /** A limit of Lanczos steps, checked: at least 0, where 0 stands for the default. */
    static int checkMaxIterations(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("iteration limit must be at least 0 (0 = default), was " + value);
        }
        return value;
    }

    /** Configures a {@link LanczosEigensolver}; every setting has a default. */
    public static final class Builder {
        private int top = DEFAULT_TOP;
        private int bottom = DEFAULT_BOTTOM;
        private int maxIterations;
        private double tolerance = DEFAULT_TOLERANCE;
        private long seed = DEFAULT_SEED;
        private boolean computeVectors;
        private double[] start;

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

        /**
         * At most this many Lanczos steps in each process (the first, and each check of the complement); 0 (the
         * default) for {@link #defaultIterations}.
         */
        public Builder maxIterations(int m) {
            this.maxIterations = checkMaxIterations(m);
            return this;
        }

        /** Relative residual tolerance (default 1e-8, {@link LanczosEigensolver#DEFAULT_TOLERANCE}). */
        public Builder tolerance(double value) {
            this.tolerance = checkTolerance(value);
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

        /**
         * Starts the first Lanczos process from {@code vector} (copied; normalised by the process) instead of a
         * random vector: a warm start from the top eigenvector of a nearby operator, such as the Hessian a few
         * optimizer steps earlier, converges in fewer products. The checks of the complement still start at random.
         * {@code null} (the default) starts at random. A start that is exactly an eigenvector spans an invariant
         * subspace whose Ritz pair is exact at once, so the process stops at that eigenvalue even when it is not the
         * largest: mix a random direction into a warm start ({@link CurvatureTracker} mixes in a tenth).
         */
        public Builder start(double[] vector) {
            if (vector != null) {
                for (double v : vector) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("the start vector must be finite, held " + v);
                    }
                }
            }
            this.start = vector == null ? null : vector.clone();
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
