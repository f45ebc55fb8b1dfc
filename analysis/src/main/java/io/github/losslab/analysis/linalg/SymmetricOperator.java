package io.github.losslab.analysis.linalg;

import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;
import org.ejml.data.DMatrixRMaj;

/**
 * A symmetric linear map {@code v -> A v} of {@code R^n} known only through its products, such as a Hessian
 * reached by Hessian-vector products. Implementations need not be thread-safe.
 */
public interface SymmetricOperator {

    /** The dimension {@code n}. */
    int dimension();

    /** {@code A v} for a vector of {@link #dimension()} values, which is not modified. */
    double[] apply(double[] v);

    /**
     * {@code A v} for each of several vectors, in order. Operators that can compute several products at once (in one
     * native call, on several cores) override this; the default applies them one by one.
     */
    default double[][] applyAll(double[][] vs) {
        double[][] out = new double[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            out[i] = apply(vs[i]);
        }
        return out;
    }

    /** How products are computed; an explicit matrix's are {@link CurvatureMethod#EXACT}. */
    default CurvatureMethod curvatureMethod() {
        return CurvatureMethod.EXACT;
    }

    /** The precision of the arithmetic behind the products. */
    default Precision precision() {
        return Precision.FLOAT64;
    }

    /** The operator of a dense symmetric matrix (only its symmetry is assumed, not checked beyond the shape). */
    static SymmetricOperator of(DMatrixRMaj matrix) {
        if (matrix.numRows != matrix.numCols) {
            throw new IllegalArgumentException("a symmetric operator needs a square matrix, got " + matrix.numRows
                    + " x " + matrix.numCols);
        }
        DMatrixRMaj a = matrix.copy();
        return new SymmetricOperator() {
            @Override
            public int dimension() {
                return a.numRows;
            }

            @Override
            public double[] apply(double[] v) {
                Vectors.checkLength(v, a.numRows);
                double[] out = new double[a.numRows];
                for (int i = 0; i < a.numRows; i++) {
                    double s = 0;
                    int row = i * a.numCols;
                    for (int j = 0; j < a.numCols; j++) {
                        s += a.data[row + j] * v[j];
                    }
                    out[i] = s;
                }
                return out;
            }
        };
    }

    /** The operator of the diagonal matrix {@code diag(d)}. */
    static SymmetricOperator diagonal(double... d) {
        double[] diag = d.clone();
        return new SymmetricOperator() {
            @Override
            public int dimension() {
                return diag.length;
            }

            @Override
            public double[] apply(double[] v) {
                Vectors.checkLength(v, diag.length);
                double[] out = new double[diag.length];
                for (int i = 0; i < diag.length; i++) {
                    out[i] = diag[i] * v[i];
                }
                return out;
            }
        };
    }
}
