package io.github.losslab.analysis.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The eigen-decomposition {@code A = V diag(lambda) V^T} of a dense symmetric matrix, by EJML's symmetric QR
 * algorithm (Householder tridiagonalisation, then implicit QR steps): eigenvalues sorted ascending, orthonormal
 * eigenvectors optional, column {@code i} of {@code V} belonging to eigenvalue {@code i}.
 */
public final class SymmetricEigen {

    private final double[] values;
    private final DMatrixRMaj vectors;

    private SymmetricEigen(double[] values, DMatrixRMaj vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes a symmetric matrix, which is not modified; only its lower triangle matters in theory. */
    public static SymmetricEigen decompose(DMatrixRMaj a, boolean computeVectors) {
        if (a.numRows != a.numCols) {
            throw new IllegalArgumentException("expected a square matrix, got " + a.numRows + " x " + a.numCols);
        }
        int n = a.numRows;
        if (n == 0) {
            return new SymmetricEigen(new double[0], computeVectors ? new DMatrixRMaj(0, 0) : null);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, computeVectors, true);
        if (!eig.decompose(eig.inputModified() ? a.copy() : a)) {
            throw new ArithmeticException("the symmetric eigen-decomposition of a " + n + " x " + n
                    + " matrix did not converge (does it hold NaN or infinite values?)");
        }
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            raw[i] = eig.getEigenvalue(i).real;
        }
        int[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> raw[i]))
                .mapToInt(Integer::intValue).toArray();
        double[] values = new double[n];
        DMatrixRMaj vectors = computeVectors ? new DMatrixRMaj(n, n) : null;
        for (int k = 0; k < n; k++) {
            values[k] = raw[order[k]];
            if (computeVectors) {
                DMatrixRMaj v = eig.getEigenVector(order[k]);
                for (int r = 0; r < n; r++) {
                    vectors.unsafe_set(r, k, v.data[r]);
                }
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** Decomposes the symmetric tridiagonal matrix with diagonal {@code diag} and off-diagonal {@code off}. */
    public static SymmetricEigen tridiagonal(double[] diag, double[] off, boolean computeVectors) {
        int m = diag.length;
        if (off.length < Math.max(0, m - 1)) {
            throw new IllegalArgumentException("a tridiagonal matrix of size " + m + " needs " + (m - 1)
                    + " off-diagonal values, got " + off.length);
        }
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.unsafe_set(i, i, diag[i]);
            if (i + 1 < m) {
                t.unsafe_set(i, i + 1, off[i]);
                t.unsafe_set(i + 1, i, off[i]);
            }
        }
        return decompose(t, computeVectors);
    }

    public int size() {
        return values.length;
    }

    /** The eigenvalues, ascending. */
    public double[] values() {
        return values.clone();
    }

    public double value(int i) {
        return values[i];
    }

    public boolean hasVectors() {
        return vectors != null;
    }

    /** The unit eigenvector of eigenvalue {@code i}. */
    public double[] vector(int i) {
        requireVectors();
        double[] v = new double[vectors.numRows];
        for (int r = 0; r < v.length; r++) {
            v[r] = vectors.unsafe_get(r, i);
        }
        return v;
    }

    /** Entry {@code row} of the eigenvector of eigenvalue {@code i}. */
    public double vectorEntry(int row, int i) {
        requireVectors();
        return vectors.unsafe_get(row, i);
    }

    /** A copy of the eigenvector matrix: column {@code i} belongs to eigenvalue {@code i}. */
    public DMatrixRMaj vectors() {
        requireVectors();
        return vectors.copy();
    }

    private void requireVectors() {
        if (vectors == null) {
            throw new IllegalStateException("eigenvectors were not computed; decompose with computeVectors = true");
        }
    }

    @Override
    public String toString() {
        return "SymmetricEigen[" + values.length + " values" + (values.length > 0 ? " in [" + values[0] + ", "
                + values[values.length - 1] + "]" : "") + (vectors != null ? ", with vectors]" : "]")
                + (values.length <= 8 ? " " + Arrays.toString(values) : "");
    }
}
