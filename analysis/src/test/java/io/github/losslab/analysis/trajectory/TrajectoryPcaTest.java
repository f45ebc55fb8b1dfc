package io.github.losslab.analysis.trajectory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrajectoryPcaTest {

    /** Three directions in 30 dimensions, none orthogonal to another. */
    private static final int P = 30;
    private static final double[] D = new double[P];
    private static final double[] E = new double[P];
    private static final double[] F = new double[P];

    static {
        for (int j = 0; j < P; j++) {
            D[j] = (j % 3 - 1) + 0.1 * j;
            E[j] = Math.cos(j);
            F[j] = (j % 2 == 0 ? 1 : -1) * Math.sqrt(j + 1);
        }
    }

    @Test
    void recoversAPlaneEmbeddedInManyDimensions() {
        // points c + a e1' + b e2' with e1', e2' orthonormal in 48 dimensions, variance of a larger than of b
        int p = 48;
        double[] e1 = new double[p];
        double[] e2 = new double[p];
        for (int j = 0; j < p; j++) {
            e1[j] = (j % 2 == 0 ? 1 : -1) / Math.sqrt(p);
            e2[j] = (j < p / 2 ? 1 : -1) / Math.sqrt(p);
        }
        // an ellipse: uncorrelated coordinates with zero mean, variances 9/2 and 1/2
        List<double[]> points = new ArrayList<>();
        double[][] coords = new double[40][];
        for (int i = 0; i < 40; i++) {
            double a = 3 * Math.cos(2 * Math.PI * i / 40);
            double b = Math.sin(2 * Math.PI * i / 40);
            coords[i] = new double[] {a, b};
            double[] x = new double[p];
            for (int j = 0; j < p; j++) {
                x[j] = 5 + a * e1[j] + b * e2[j];
            }
            points.add(x);
        }
        TrajectoryPca pca = TrajectoryPca.fit(points, 2);
        assertThat(Math.abs(dot(pca.component(0), e1))).isCloseTo(1, within(1e-9));
        assertThat(Math.abs(dot(pca.component(1), e2))).isCloseTo(1, within(1e-9));
        assertThat(pca.explainedVarianceRatio()[0] + pca.explainedVarianceRatio()[1]).isCloseTo(1, within(1e-9));
        // distances between projected points equal distances in the plane
        double[] p0 = pca.project(points.get(0));
        double[] p1 = pca.project(points.get(1));
        double d2 = Math.pow(coords[0][0] - coords[1][0], 2) + Math.pow(coords[0][1] - coords[1][1], 2);
        assertThat(Math.pow(p0[0] - p1[0], 2) + Math.pow(p0[1] - p1[1], 2)).isCloseTo(d2, within(1e-9));
    }

    @Test
    void oneJointFitPlacesSeparateRunsInOneFrame() {
        // two "runs" that move along different directions: a joint fit sees both, a per-run fit would not
        int p = 20;
        List<double[]> runA = new ArrayList<>();
        List<double[]> runB = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            double[] a = new double[p];
            double[] b = new double[p];
            a[0] = t;
            b[1] = 2 * t;
            runA.add(a);
            runB.add(b);
        }
        List<double[]> all = new ArrayList<>(runA);
        all.addAll(runB);
        TrajectoryPca joint = TrajectoryPca.fit(all, 2);
        // run A stays on one line and run B on another, and the two lines are not parallel in the projection
        double[] a0 = joint.project(runA.get(0));
        double[] a9 = joint.project(runA.get(9));
        double[] b0 = joint.project(runB.get(0));
        double[] b9 = joint.project(runB.get(9));
        double cross = (a9[0] - a0[0]) * (b9[1] - b0[1]) - (a9[1] - a0[1]) * (b9[0] - b0[0]);
        assertThat(Math.abs(cross)).isGreaterThan(1);
        // both runs start at the same point (all zeros), so their first snapshots project to the same coordinates
        assertThat(a0).containsExactly(b0, within(1e-12));
    }

    /** {@code n} snapshots {@code c + a_i d + b_i e + g_i f}, {@code a} a ramp, {@code b} and {@code g} waves. */
    private static List<double[]> snapshots(int n, double bScale, double gScale) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = 0.3 * i - 1.1;
            double b = bScale * Math.sin(i);
            double g = gScale * Math.cos(2.5 * i);
            double[] x = new double[P];
            for (int j = 0; j < P; j++) {
                x[j] = 0.5 - 0.02 * j + a * D[j] + b * E[j] + g * F[j];
            }
            out.add(x);
        }
        return out;
    }

    @Test
    void collinearSnapshotsHaveOneComponentAndRefuseASecond() {
        List<double[]> line = snapshots(10, 0, 0);
        TrajectoryPca one = TrajectoryPca.fit(line, 1);
        // the one direction is d / |d|, with the variance of a times |d|^2
        double norm = Math.sqrt(dot(D, D));
        assertThat(Math.abs(dot(one.component(0), D)) / norm).isCloseTo(1, within(1e-14));
        double varianceA = 0;
        for (int i = 0; i < 10; i++) {
            varianceA += Math.pow(0.3 * i - 1.1 - (0.3 * 4.5 - 1.1), 2) / 9;
        }
        double expected = varianceA * norm * norm;
        assertThat(one.explainedVariance()[0]).isCloseTo(expected, within(1e-13 * expected));
        assertThat(one.explainedVarianceRatio()[0]).isCloseTo(1, within(1e-14));
        // a second component would be rounding noise (before: unit length, at 0.82 to the first)
        assertThatThrownBy(() -> TrajectoryPca.fit(line, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("span only 1 direction beyond rounding error (rank 1)")
                .hasMessageContaining("fit at most 1 component");
    }

    @Test
    void aPlaneHasTwoOrthonormalComponentsAndRefusesAThird() {
        List<double[]> plane = snapshots(10, 1, 0);
        TrajectoryPca two = TrajectoryPca.fit(plane, 2);
        double[] p1 = two.component(0);
        double[] p2 = two.component(1);
        assertThat(dot(p1, p1)).isCloseTo(1, within(1e-15));
        assertThat(dot(p2, p2)).isCloseTo(1, within(1e-15));
        assertThat(Math.abs(dot(p1, p2))).isLessThan(1e-15);
        // both components lie in span(d, e): each snapshot is rebuilt from the mean and its two coordinates
        assertThat(reconstructionError(two, plane)).isLessThan(1e-13);
        assertThat(two.explainedVarianceRatio()[0] + two.explainedVarianceRatio()[1]).isCloseTo(1, within(1e-14));
        // a third component would be rounding noise (before: at 0.95 to the second)
        assertThatThrownBy(() -> TrajectoryPca.fit(plane, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("span only 2 directions beyond rounding error (rank 2)");
    }

    @Test
    void aSmallButRealThirdDirectionIsKeptAndOrthogonalised() {
        // f's variance is 2.5e-12 of the total: far above rounding (40 eps = 8.9e-15) but small enough that X^T u
        // leans on the first two components by about 1e-10 before Gram-Schmidt
        List<double[]> snapshots = snapshots(10, 1, 1e-6);
        TrajectoryPca three = TrajectoryPca.fit(snapshots, 3);
        double[] ratio = three.explainedVarianceRatio();
        assertThat(ratio[2]).isBetween(1e-12, 1e-11);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertThat(dot(three.component(a), three.component(b))).as("p%d . p%d", a + 1, b + 1)
                        .isCloseTo(a == b ? 1 : 0, within(1e-15));
            }
        }
        assertThat(reconstructionError(three, snapshots)).isLessThan(1e-13);
    }

    @Test
    void equalSnapshotsHaveNoComponents() {
        List<double[]> same = List.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertThatThrownBy(() -> TrajectoryPca.fit(same, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all equal (rank 0)");
    }

    /** The largest {@code |s - mean - sum_c (coordinate_c) component_c|} over the snapshots, relative to |s - mean|. */
    private static double reconstructionError(TrajectoryPca pca, List<double[]> snapshots) {
        double worst = 0;
        double[] mean = pca.mean();
        double[][] components = new double[pca.components()][];
        for (int c = 0; c < components.length; c++) {
            components[c] = pca.component(c);
        }
        for (double[] s : snapshots) {
            double[] coords = pca.project(s);
            double err = 0;
            double size = 0;
            for (int j = 0; j < s.length; j++) {
                double r = s[j] - mean[j];
                size += r * r;
                for (int c = 0; c < coords.length; c++) {
                    r -= coords[c] * components[c][j];
                }
                err += r * r;
            }
            worst = Math.max(worst, Math.sqrt(err / size));
        }
        return worst;
    }

    @Test
    void refusesTooFewSnapshotsOrComponents() {
        assertThatThrownBy(() -> TrajectoryPca.fit(List.of(new double[3]), 1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> TrajectoryPca.fit(List.of(new double[3], new double[3]), 2))
                .hasMessageContaining("[1, 1]");
        assertThatThrownBy(() -> TrajectoryPca.fit(List.of(new double[3], new double[4]), 1))
                .hasMessageContaining("equal lengths");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
