package io.github.losslab.analysis.trajectory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrajectoryPcaTest {

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
