package io.github.losslab.analysis.linalg;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LanczosTest {

    /** A random symmetric matrix with the given eigenvalues: Q diag(values) Q^T for a random orthogonal Q. */
    static DMatrixRMaj withEigenvalues(double[] values, long seed) {
        int n = values.length;
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = r.nextGaussian();
        }
        DMatrixRMaj sym = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sym.set(i, j, g.get(i, j) + g.get(j, i));
            }
        }
        DMatrixRMaj q = SymmetricEigen.decompose(sym, true).vectors();
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q.get(i, k) * values[k] * q.get(j, k);
                }
                a.set(i, j, s);
            }
        }
        return a;
    }

    @Test
    void symmetricEigenSortsAscendingWithOrthonormalVectors() {
        double[] values = {3, -1, 0.5, 7, -4};
        DMatrixRMaj a = withEigenvalues(values, 1);
        SymmetricEigen eig = SymmetricEigen.decompose(a, true);
        assertThat(eig.values()).containsExactly(new double[] {-4, -1, 0.5, 3, 7}, within(1e-12));
        for (int i = 0; i < 5; i++) {
            double[] v = eig.vector(i);
            assertThat(Vectors.norm(v)).isCloseTo(1, within(1e-12));
            double[] av = SymmetricOperator.of(a).apply(v);
            for (int r = 0; r < 5; r++) {
                assertThat(av[r]).isCloseTo(eig.value(i) * v[r], within(1e-12));
            }
        }
    }

    @Test
    void tridiagonalMatrixIsTheProjectionOfTheOperatorOnAnOrthonormalBasis() {
        double[] values = new double[40];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.pow(1.3, i) - 5;
        }
        DMatrixRMaj a = withEigenvalues(values, 2);
        SymmetricOperator op = SymmetricOperator.of(a);
        Lanczos lanczos = new Lanczos(op, gaussian(40, 3), null);
        for (int i = 0; i < 15; i++) {
            assertThat(lanczos.step()).isTrue();
        }
        assertThat(lanczos.steps()).isEqualTo(15);
        assertThat(lanczos.products()).isEqualTo(15);
        double[][] q = new double[15][];
        for (int i = 0; i < 15; i++) {
            double[] e = new double[15];
            e[i] = 1;
            q[i] = lanczos.combine(e);
        }
        double[] diag = lanczos.diagonal();
        double[] off = lanczos.offDiagonal();
        for (int i = 0; i < 15; i++) {
            double[] aq = op.apply(q[i]);
            for (int j = 0; j < 15; j++) {
                double t = i == j ? diag[i] : Math.abs(i - j) == 1 ? off[Math.min(i, j)] : 0;
                assertThat(Vectors.dot(q[j], aq)).as("T[%d][%d]", i, j).isCloseTo(t, within(1e-10));
                assertThat(Vectors.dot(q[i], q[j])).isCloseTo(i == j ? 1 : 0, within(1e-13));
            }
        }
        assertThat(lanczos.coordinates(q[4])).containsExactly(unit(15, 4), within(1e-13));
    }

    @Test
    void restartsFindRepeatedEigenvaluesOnceTheKrylovSpaceIsExhausted() {
        double[] d = {5, 5, 5, 1, 1, 0, -2, -2, 3, 4};
        SymmetricOperator op = SymmetricOperator.diagonal(d);

        Lanczos plain = new Lanczos(op, gaussian(10, 4), null);
        while (plain.step()) {
            assertThat(plain.steps()).isLessThanOrEqualTo(10);
        }
        // six distinct eigenvalues: the Krylov space of any start vector has dimension 6
        assertThat(plain.steps()).isEqualTo(6);
        assertThat(plain.isExhausted()).isTrue();
        assertThat(plain.ritz(false).values()).containsExactly(new double[] {-2, 0, 1, 3, 4, 5}, within(1e-10));

        Lanczos restarted = new Lanczos(op, gaussian(10, 4), new SplittableRandom(5));
        while (restarted.step()) {
            assertThat(restarted.steps()).isLessThanOrEqualTo(10);
        }
        assertThat(restarted.steps()).isEqualTo(10);
        assertThat(restarted.restarts()).isGreaterThan(0);
        assertThat(restarted.ritz(false).values())
                .containsExactly(new double[] {-2, -2, 0, 1, 1, 3, 4, 5, 5, 5}, within(1e-10));
    }

    @Test
    void refusesAZeroStartVector() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Lanczos(SymmetricOperator.diagonal(1, 2), new double[2], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-zero");
    }

    static double[] gaussian(int n, long seed) {
        return Vectors.gaussian(n, new SplittableRandom(seed));
    }

    static double[] unit(int n, int i) {
        double[] e = new double[n];
        e[i] = 1;
        return e;
    }
}
