package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;
import org.ejml.data.DMatrixRMaj;

import java.util.Locale;

/**
 * The dense Hessian of a small model, built column by column from {@code n} Hessian-vector products
 * ({@code H e_i}), symmetrised as {@code (H + H^T) / 2}, and its symmetric eigen-decomposition
 * ({@link SymmetricEigen}, EJML). The asymmetry {@code ||H - H^T||_F} of the matrix as built is reported: it
 * measures the error of the products (rounding for exact products, truncation for finite differences).
 *
 * <p>The matrix takes {@code 8 n^2} bytes and its eigenvectors as much again, so models above a limit
 * ({@link #DEFAULT_MAX_PARAMETERS} parameters unless raised) are refused up front, with the memory they would
 * need; {@link LanczosEigensolver}, {@link HutchinsonTrace} and {@link SpectralDensity} work at any size.
 */
public final class FullHessian {

    /** The largest model built unless the caller raises the limit: 5,000 parameters, a 191 MiB matrix. */
    public static final int DEFAULT_MAX_PARAMETERS = 5_000;

    private final DMatrixRMaj matrix;
    private final double asymmetryNorm;
    private final double frobeniusNorm;
    private final long products;
    private final double buildSeconds;
    private final CurvatureMethod curvatureMethod;
    private final Precision precision;
    private HessianSpectrum spectrum;
    private SymmetricEigen eigen;

    private FullHessian(DMatrixRMaj matrix, double asymmetryNorm, long products, double buildSeconds,
                        CurvatureMethod curvatureMethod, Precision precision) {
        this.matrix = matrix;
        this.asymmetryNorm = asymmetryNorm;
        double f = 0;
        for (double d : matrix.data) {
            f += d * d;
        }
        this.frobeniusNorm = Math.sqrt(f);
        this.products = products;
        this.buildSeconds = buildSeconds;
        this.curvatureMethod = curvatureMethod;
        this.precision = precision;
    }

    /** Builds the Hessian of an operator of at most {@link #DEFAULT_MAX_PARAMETERS} dimensions. */
    public static FullHessian compute(SymmetricOperator op) {
        return compute(op, DEFAULT_MAX_PARAMETERS);
    }

    /** Columns requested from the operator at once. */
    static final int COLUMN_BLOCK = 16;

    /**
     * Builds the Hessian of an operator of at most {@code maxParameters} dimensions.
     *
     * @throws IllegalArgumentException naming the size and the memory needed when the operator is larger, or
     *                                  when the JVM's heap could not hold the matrix twice
     */
    public static FullHessian compute(SymmetricOperator op, int maxParameters) {
        int n = op.dimension();
        checkSize(n, maxParameters);
        long start = System.nanoTime();
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        // columns in blocks: operators that compute several products at once do so
        for (int from = 0; from < n; from += COLUMN_BLOCK) {
            int count = Math.min(COLUMN_BLOCK, n - from);
            double[][] units = new double[count][n];
            for (int k = 0; k < count; k++) {
                units[k][from + k] = 1;
            }
            double[][] columns = op.applyAll(units);
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < n; i++) {
                    h.data[i * n + from + k] = columns[k][i];
                }
            }
        }
        double asym = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double a = h.data[i * n + j];
                double b = h.data[j * n + i];
                asym += 2 * (a - b) * (a - b);
                double mean = 0.5 * (a + b);
                h.data[i * n + j] = mean;
                h.data[j * n + i] = mean;
            }
        }
        for (double d : h.data) {
            if (!Double.isFinite(d)) {
                throw new ArithmeticException("the Hessian holds non-finite values (is the loss finite here?)");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new FullHessian(h, Math.sqrt(asym), n, seconds, op.curvatureMethod(), op.precision());
    }

    /**
     * Throws when a Hessian of {@code n} parameters is above {@code maxParameters} or could not fit in the heap.
     */
    public static void checkSize(int n, int maxParameters) {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("the parameter limit must be at least 1, was " + maxParameters);
        }
        String alternatives = "; for models this large use LanczosEigensolver (extreme eigenvalues), "
                + "HutchinsonTrace (trace) and SpectralDensity (eigenvalue density), which need only "
                + "Hessian-vector products";
        if (n > maxParameters) {
            throw new IllegalArgumentException("a full Hessian of " + n + " parameters needs n^2 * 8 bytes = "
                    + formatBytes(bytesNeeded(n)) + " for the matrix alone (as much again for its eigenvectors), "
                    + "above the limit of " + maxParameters + " parameters" + alternatives);
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && 2 * bytesNeeded(n) > heap) {
            throw new IllegalArgumentException("a full Hessian of " + n + " parameters needs n^2 * 8 bytes = "
                    + formatBytes(bytesNeeded(n)) + " for the matrix and as much again to decompose it, but this "
                    + "JVM may use at most " + formatBytes(heap) + " (raise it with -Xmx)" + alternatives);
        }
    }

    /** Bytes of a dense {@code n x n} matrix of doubles. */
    public static long bytesNeeded(int n) {
        return 8L * n * n;
    }

    /** Bytes in MiB below one GiB, else in GiB. */
    static String formatBytes(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        return mib < 1024 ? String.format(Locale.ROOT, "%.1f MiB", mib)
                : String.format(Locale.ROOT, "%.1f GiB", mib / 1024);
    }

    public int dimension() {
        return matrix.numRows;
    }

    /** A copy of the symmetrised Hessian. */
    public DMatrixRMaj matrix() {
        return matrix.copy();
    }

    /** Entry {@code (i, j)} of the symmetrised Hessian. */
    public double get(int i, int j) {
        return matrix.get(i, j);
    }

    /** {@code ||H - H^T||_F} of the matrix as built from the products, before symmetrising. */
    public double asymmetryNorm() {
        return asymmetryNorm;
    }

    /** {@link #asymmetryNorm()} divided by {@code ||H||_F} (0 for a zero matrix). */
    public double relativeAsymmetry() {
        return frobeniusNorm == 0 ? 0 : asymmetryNorm / frobeniusNorm;
    }

    /** {@code ||H||_F} of the symmetrised Hessian. */
    public double frobeniusNorm() {
        return frobeniusNorm;
    }

    /** The sum of the diagonal: the exact trace. */
    public double trace() {
        double t = 0;
        for (int i = 0; i < matrix.numRows; i++) {
            t += matrix.get(i, i);
        }
        return t;
    }

    /** Hessian-vector products spent building the matrix: one per parameter. */
    public long products() {
        return products;
    }

    /** Wall time of building the matrix. */
    public double buildSeconds() {
        return buildSeconds;
    }

    public CurvatureMethod curvatureMethod() {
        return curvatureMethod;
    }

    public Precision precision() {
        return precision;
    }

    /** All eigenvalues; the wall time includes building the matrix. Computed once. */
    public synchronized HessianSpectrum spectrum() {
        if (spectrum == null) {
            long start = System.nanoTime();
            double[] values = eigen != null ? eigen.values() : SymmetricEigen.decompose(matrix, false).values();
            double seconds = buildSeconds + (System.nanoTime() - start) / 1e9;
            spectrum = new HessianSpectrum(values, dimension(), HessianSpectrum.Method.FULL_DECOMPOSITION, products,
                    seconds, curvatureMethod, precision);
        }
        return spectrum;
    }

    /** Eigenvalues (ascending) and orthonormal eigenvectors. Computed once. */
    public synchronized SymmetricEigen eigen() {
        if (eigen == null) {
            eigen = SymmetricEigen.decompose(matrix, true);
        }
        return eigen;
    }

    @Override
    public String toString() {
        return "FullHessian[" + dimension() + " x " + dimension() + ", relative asymmetry "
                + String.format(Locale.ROOT, "%.1e", relativeAsymmetry()) + ", "
                + curvatureMethod.configName() + "]";
    }
}
