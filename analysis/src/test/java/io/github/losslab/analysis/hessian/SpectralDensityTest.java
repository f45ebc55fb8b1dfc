package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricOperator;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The smoothed density of stochastic Lanczos quadrature on diagonal operators, whose spectral measure is known: for
 * a Rademacher probe {@code v} and {@code H = diag(lambda)}, the measure of {@code v} puts exactly {@code v_i^2 / n =
 * 1 / n} on each eigenvalue, so an isolated eigenvalue, once Lanczos has converged to it, is a node of weight
 * {@code 1 / n} in every probe.
 */
class SpectralDensityTest {

    /** A bulk of {@code n - 3} eigenvalues from N(0, 0.05^2) and three outliers at 40, 70 and 100. */
    private static final double[] OUTLIERS = {40, 70, 100};
    private static final int N = 300;

    private static SpectralDensity bulkAndOutliers() {
        SplittableRandom random = new SplittableRandom(11);
        double[] lambda = new double[N];
        for (int i = 0; i < N - OUTLIERS.length; i++) {
            lambda[i] = 0.05 * random.nextGaussian();
        }
        System.arraycopy(OUTLIERS, 0, lambda, N - OUTLIERS.length, OUTLIERS.length);
        return SpectralDensity.estimate(SymmetricOperator.diagonal(lambda), 5, 90, 3);
    }

    /** The mass of the curve in the bins whose points lie in {@code [from, to]} (bins of an evenly spaced grid). */
    private static double mass(SpectralDensity.Curve curve, double from, double to) {
        double[] x = curve.grid();
        double[] d = curve.density();
        double h = x[1] - x[0];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] >= from && x[i] <= to) {
                s += d[i] * h;
            }
        }
        return s;
    }

    /** A quadrature stored as numbers and read back draws the same density. */
    @Test
    void aStoredQuadratureDrawsTheSameDensity() {
        SpectralDensity d = bulkAndOutliers();
        double[][] nodes = new double[d.probes()][];
        double[][] weights = new double[d.probes()][];
        for (int p = 0; p < d.probes(); p++) {
            nodes[p] = d.nodes(p);
            weights[p] = d.weights(p);
        }
        SpectralDensity back = SpectralDensity.of(d.dimension(), nodes, weights, d.curvatureMethod(), d.precision());
        assertThat(back.density(50, 0.5).density()).containsExactly(d.density(50, 0.5).density());
        assertThat(back.mean()).isEqualTo(d.mean());
        assertThatThrownBy(() -> SpectralDensity.of(N, new double[][] {{1, 2}}, new double[][] {{1}},
                d.curvatureMethod(), d.precision())).hasMessageContaining("2 nodes and 1 weights");
    }

    @Test
    void outliersFarApartKeepTheirMassAtAnyResolution() {
        SpectralDensity sd = bulkAndOutliers();
        double sigma = sd.defaultSigma();
        // PyHessian's width for a range of about 100: sqrt(1e-5 * 100), far narrower than the grid spacing
        assertThat(sigma).isCloseTo(Math.sqrt(1e-5 * (sd.maxNode() - sd.minNode())), within(1e-15));
        assertThat(sigma).isLessThan(0.032);
        for (int points : new int[] {200, 1000}) {
            SpectralDensity.Curve curve = sd.density(points, sigma);
            double h = curve.grid()[1] - curve.grid()[0];
            assertThat(h).as("spacing at %d points", points).isGreaterThan(3 * sigma);
            System.out.printf("%d points, spacing %.3g, sigma %.3g: integral %.12f, outlier masses %.6g %.6g %.6g"
                            + " (expected %.6g), bulk %.6g%n", points, h, sigma, curve.integral(),
                    mass(curve, 39, 41), mass(curve, 69, 71), mass(curve, 99, 101), 1.0 / N, mass(curve, -1, 1));
            assertThat(curve.integral()).as("integral at %d points", points).isCloseTo(1, within(1e-12));
            for (double c : OUTLIERS) {
                assertThat(mass(curve, c - 1, c + 1)).as("mass around %s at %d points", c, points)
                        .isCloseTo(1.0 / N, within(1e-12));
            }
            assertThat(mass(curve, -1, 1)).as("bulk mass at %d points", points)
                    .isCloseTo(1 - 3.0 / N, within(1e-12));
        }
    }

    @Test
    void binsMuchNarrowerThanTheKernelGiveTheSampledGaussian() {
        SpectralDensity sd = bulkAndOutliers();
        double sigma = 0.02;
        double h = sigma / 20;
        double[] grid = new double[2001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -0.3 + i * h;
        }
        SpectralDensity.Curve curve = sd.density(grid, sigma);
        // the Gaussian sampled at each point, as the density was drawn before it was binned
        double[] sampled = new double[grid.length];
        for (int p = 0; p < sd.probes(); p++) {
            double[] nodes = sd.nodes(p);
            double[] weights = sd.weights(p);
            for (int i = 0; i < grid.length; i++) {
                for (int k = 0; k < nodes.length; k++) {
                    double z = (grid[i] - nodes[k]) / sigma;
                    sampled[i] += weights[k] * Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI))
                            / sd.probes();
                }
            }
        }
        // a bin average differs from the midpoint value by h^2 / 24 f''(xi) for some xi in the bin (the midpoint
        // rule's error), and |f''| <= sum_k w_k max|N''(.; theta_k, sigma^2)| = 1 / (sigma^2 sigma sqrt(2 pi))
        double bound = h * h / (24 * sigma * sigma) / (sigma * Math.sqrt(2 * Math.PI));
        double worst = 0;
        double peak = 0;
        double[] d = curve.density();
        for (int i = 0; i < grid.length; i++) {
            worst = Math.max(worst, Math.abs(d[i] - sampled[i]));
            peak = Math.max(peak, sampled[i]);
        }
        System.out.printf("bins of sigma/20: largest difference from the sampled Gaussian %.3g (bound %.3g), "
                + "peak %.4g%n", worst, bound, peak);
        assertThat(worst).isLessThanOrEqualTo(bound);
        assertThat(worst).isLessThan(1e-3 * peak);
    }

    @Test
    void refusesGridsWithoutBins() {
        SpectralDensity sd = SpectralDensity.estimate(SymmetricOperator.diagonal(1, 2, 3), 1, 3, 1);
        assertThatThrownBy(() -> sd.density(new double[] {1}, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 points");
        assertThatThrownBy(() -> sd.density(new double[] {1, 3, 2}, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("increasing");
    }
}
