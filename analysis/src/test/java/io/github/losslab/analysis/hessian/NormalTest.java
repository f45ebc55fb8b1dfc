package io.github.losslab.analysis.hessian;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The error function and normal probabilities against values computed to 40 digits (mpmath). */
class NormalTest {

    /** {@code {x, erfc(x)}}, either side of the switch from the series to the continued fraction at 1.5. */
    private static final double[][] ERFC = {
            {0, 1.0},
            {0.1, 0.8875370839817151},
            {0.5, 0.47950012218695346},
            {1, 0.15729920705028513},
            {1.4999, 0.033906748337704729},
            {1.5, 0.033894853524689273},
            {2, 0.0046777349810472658},
            {3, 2.2090496998585441e-5},
            {5, 1.5374597944280349e-12},
            {10, 2.0884875837625448e-45},
            {20, 5.3958656116079009e-176},
            {26.5, 2.2109076642637343e-307},
            {-1, 1.8427007929497149},
            {-3, 1.9999779095030014},
    };

    /** {@code {z, P(Z > z)}}. */
    private static final double[][] UPPER_TAIL = {
            {0, 0.5},
            {1, 0.15865525393145705},
            {1.96, 0.024997895148220436},
            {3, 0.0013498980316300945},
            {8.5, 9.4795348222033184e-18},
            {37, 5.7255712225245768e-300},
    };

    /** {@code {a, b, P(a < Z <= b)}}: tails on both sides, a bin of width 1e-7, and one beyond 30 sigma. */
    private static final double[][] PROBABILITY = {
            {-1, 1, 0.6826894921370859},
            {5, 6, 2.8566498423415621e-7},
            {-6, -5, 2.8566498423415621e-7},
            {0.25, 0.2500001, 3.8666811198061604e-8},
            {30, 31, 4.9067139271479175e-198},
    };

    @Test
    void erfcMatchesKnownValuesToRelativeAccuracy() {
        for (double[] c : ERFC) {
            assertThat(Normal.erfc(c[0])).as("erfc(%s)", c[0]).isCloseTo(c[1], within(2e-14 * c[1]));
        }
        assertThat(Normal.erfc(27)).isZero();
        assertThat(Normal.erfc(Double.POSITIVE_INFINITY)).isZero();
        assertThat(Normal.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2);
        assertThat(Normal.erfc(Double.NaN)).isNaN();
    }

    @Test
    void normalTailsAndBinsMatchKnownValues() {
        for (double[] c : UPPER_TAIL) {
            assertThat(Normal.upperTail(c[0])).as("Q(%s)", c[0]).isCloseTo(c[1], within(2e-14 * c[1]));
            assertThat(Normal.cdf(-c[0])).as("Phi(%s)", -c[0]).isCloseTo(c[1], within(2e-14 * c[1]));
        }
        // a bin of width 1e-7 loses about 7 digits to cancellation: still 1e-9 relative
        double[] tolerance = {2e-14, 1e-13, 1e-13, 1e-9, 1e-13};
        for (int i = 0; i < PROBABILITY.length; i++) {
            double[] c = PROBABILITY[i];
            assertThat(Normal.probability(c[0], c[1])).as("P(%s < Z <= %s)", c[0], c[1])
                    .isCloseTo(c[2], within(tolerance[i] * c[2]));
        }
    }
}
