package io.github.losslab.analysis.linalg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Lanczos process with full reorthogonalisation, one step at a time: it builds an orthonormal basis
 * {@code Q_m} of the Krylov space of a {@link SymmetricOperator} and the tridiagonal {@code T_m = Q_m^T A Q_m},
 * whose eigenvalues (Ritz values) approximate the extreme eigenvalues of {@code A} (Lanczos 1950; Paige 1972).
 *
 * <p>Each new vector is orthogonalised against the whole basis twice (classical Gram-Schmidt, "twice is
 * enough", Giraud et al. 2005), so no spurious copies of converged eigenvalues appear, as in PyHessian and
 * pytorch-hessian-eigenthings. This keeps {@code m} vectors of length {@code n}: {@code 8 m n} bytes.
 *
 * <p>Given orthonormal {@code locked} vectors (eigenvectors found before), the process runs in their orthogonal
 * complement: every vector is orthogonalised against them as well, which is the Lanczos process of {@code P A P}
 * with {@code P} projecting them out, without a projection's rounding errors piling up in the basis.
 *
 * <p>When the Krylov space becomes invariant ({@code beta} below {@value #BREAKDOWN} times the norm estimate),
 * the process either stops (for quadrature, whose measure lives in that space) or, given a random generator,
 * restarts from a random vector orthogonal to the basis with a zero coupling, so that repeated eigenvalues are
 * still found once the space is exhausted.
 */
public final class Lanczos {

    /** Relative size of the new residual below which the Krylov space counts as invariant. */
    public static final double BREAKDOWN = 1e-10;

    private final SymmetricOperator op;
    private final int n;
    private final SplittableRandom restart;
    private final List<double[]> locked;
    private final int span;
    private final List<double[]> basis = new ArrayList<>();
    private double[] alpha = new double[16];
    private double[] beta = new double[16];
    private int steps;
    private double lastBeta;
    private double normEstimate;
    private long products;
    private boolean exhausted;
    private int restarts;

    /**
     * Starts the process from {@code start} (normalised here).
     *
     * @param restartRandom where restart vectors are drawn from after a breakdown, or {@code null} to stop there
     */
    public Lanczos(SymmetricOperator op, double[] start, SplittableRandom restartRandom) {
        this(op, start, restartRandom, List.of());
    }

    /**
     * Starts the process from {@code start} in the orthogonal complement of {@code locked} (orthonormal vectors;
     * {@code start} is orthogonalised against them and normalised here).
     *
     * @param restartRandom where restart vectors are drawn from after a breakdown, or {@code null} to stop there
     */
    public Lanczos(SymmetricOperator op, double[] start, SplittableRandom restartRandom, List<double[]> locked) {
        this.op = op;
        this.n = op.dimension();
        this.locked = List.copyOf(locked);
        this.span = n - this.locked.size();
        Vectors.checkLength(start, n);
        double[] q = start.clone();
        orthogonalise(q);
        orthogonalise(q);
        double norm = Vectors.norm(q);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("the Lanczos start vector must be finite and non-zero (outside the "
                    + "locked vectors), its norm was " + norm);
        }
        Vectors.scale(1 / norm, q);
        basis.add(q);
        this.restart = restartRandom;
        this.exhausted = span <= 0;
    }

    /**
     * One Lanczos step (one operator product).
     *
     * @return false, doing nothing, when the process cannot continue: the basis spans the whole space, or the
     *         Krylov space is invariant and no restart was asked for
     */
    public boolean step() {
        if (exhausted) {
            return false;
        }
        int j = steps;
        double[] q = basis.get(j);
        double[] w = op.apply(q);
        products++;
        double a = Vectors.dot(q, w);
        Vectors.axpy(-a, q, w);
        if (j > 0) {
            Vectors.axpy(-beta[j - 1], basis.get(j - 1), w);
        }
        orthogonalise(w);
        orthogonalise(w);
        double b = Vectors.norm(w);
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new ArithmeticException("the operator returned a non-finite product at Lanczos step " + (j + 1));
        }
        grow(j + 1);
        alpha[j] = a;
        steps++;
        normEstimate = Math.max(normEstimate, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
        lastBeta = b;
        if (steps == span) {
            exhausted = true;
            beta[j] = b;
        } else if (b <= BREAKDOWN * normEstimate) {
            if (restart == null) {
                exhausted = true;
                beta[j] = b;
            } else {
                double[] fresh = Vectors.gaussian(n, restart);
                orthogonalise(fresh);
                orthogonalise(fresh);
                Vectors.scale(1 / Vectors.norm(fresh), fresh);
                basis.add(fresh);
                beta[j] = 0;
                restarts++;
            }
        } else {
            Vectors.scale(1 / b, w);
            basis.add(w);
            beta[j] = b;
        }
        return true;
    }

    private void orthogonalise(double[] w) {
        for (double[] y : locked) {
            Vectors.axpy(-Vectors.dot(y, w), y, w);
        }
        for (int i = 0; i < basis.size(); i++) {
            double[] qi = basis.get(i);
            Vectors.axpy(-Vectors.dot(qi, w), qi, w);
        }
    }

    private void grow(int size) {
        if (size > alpha.length) {
            alpha = Arrays.copyOf(alpha, 2 * size);
            beta = Arrays.copyOf(beta, 2 * size);
        }
    }

    /** Steps taken so far: the size {@code m} of {@code T_m}. */
    public int steps() {
        return steps;
    }

    /** Operator products so far. */
    public long products() {
        return products;
    }

    /** Times the process restarted after an invariant subspace. */
    public int restarts() {
        return restarts;
    }

    /** Whether {@link #step()} can no longer continue: the basis spans the space (outside the locked vectors). */
    public boolean isExhausted() {
        return exhausted;
    }

    /** The diagonal of {@code T_m}. */
    public double[] diagonal() {
        return Arrays.copyOf(alpha, steps);
    }

    /** The off-diagonal of {@code T_m}: {@code m - 1} values (zero where the process restarted). */
    public double[] offDiagonal() {
        return Arrays.copyOf(beta, Math.max(0, steps - 1));
    }

    /**
     * The norm {@code beta_m} of the part of {@code A q_m} outside the basis: the Ritz pair {@code (theta, Q s)}
     * has residual {@code ||A Q s - theta Q s|| = beta_m |s_m|}.
     */
    public double residualNorm() {
        return steps == span ? 0 : lastBeta;
    }

    /** A rough upper estimate of {@code ||A||} from the entries of {@code T}. */
    public double normEstimate() {
        return normEstimate;
    }

    /** The eigen-decomposition of {@code T_m}: Ritz values ascending and, with vectors, their coordinates. */
    public SymmetricEigen ritz(boolean vectors) {
        return SymmetricEigen.tridiagonal(diagonal(), offDiagonal(), vectors);
    }

    /** {@code Q_m^T x}: the coordinates of the projection of {@code x} onto the basis. */
    public double[] coordinates(double[] x) {
        Vectors.checkLength(x, n);
        double[] c = new double[steps];
        for (int i = 0; i < steps; i++) {
            c[i] = Vectors.dot(basis.get(i), x);
        }
        return c;
    }

    /** {@code Q_m s}: the vector with coordinates {@code s} in the basis, such as a Ritz vector. */
    public double[] combine(double[] s) {
        Vectors.checkLength(s, steps);
        double[] out = new double[n];
        for (int i = 0; i < steps; i++) {
            Vectors.axpy(s[i], basis.get(i), out);
        }
        return out;
    }
}
