package io.github.losslab.app.verdict;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VerdictTest {

    @Test
    void meanSdAndStudentIntervalOfThreeSeeds() {
        // 1, 2, 3: mean 2, sd 1, half width t(0.975, 2) * 1 / sqrt(3) = 4.303 / 1.7320508
        Verdict.Summary s = Verdict.Summary.of(new double[] {1, 2, 3});
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.sd()).isCloseTo(1.0, within(1e-15));
        assertThat(s.low()).isCloseTo(2 - 4.303 / Math.sqrt(3), within(1e-12));
        assertThat(s.high()).isCloseTo(2 + 4.303 / Math.sqrt(3), within(1e-12));
    }

    @Test
    void theOutcomeFollowsWhereTheIntervalLies() {
        double[] clearlyAbove = {5.0, 5.2, 4.9, 5.1};
        assertThat(test(clearlyAbove, Verdict.Direction.ABOVE, 1).outcome()).isEqualTo(Verdict.Outcome.REPRODUCED);
        assertThat(test(clearlyAbove, Verdict.Direction.BELOW, 1).outcome())
                .isEqualTo(Verdict.Outcome.NOT_REPRODUCED);
        double[] straddling = {0.5, 1.5, 0.8, 1.3};
        assertThat(test(straddling, Verdict.Direction.ABOVE, 1).outcome()).isEqualTo(Verdict.Outcome.INCONCLUSIVE);
        assertThat(test(new double[] {7, Double.NaN}, Verdict.Direction.ABOVE, 1).outcome())
                .as("one finite seed").isEqualTo(Verdict.Outcome.INCONCLUSIVE);
    }

    @Test
    void theSummaryEntryHoldsEverythingTheReportShows() {
        Verdict v = Verdict.test("deeper fits better", "the assignment", "log10 MSE ratio", new double[] {1, 2, 3},
                Verdict.Direction.ABOVE, -1, "trained 150 epochs");
        Map<String, Object> m = v.toMap();
        assertThat(m).containsEntry("verdict", "reproduced").containsEntry("seeds", 3)
                .containsEntry("direction", "above").containsEntry("threshold", -1.0);
        assertThat((String) m.get("explanation")).contains("log10 MSE ratio = 2 ± 1 (mean ± sd over 3 seeds; 95% CI")
                .contains("claimed > -1").endsWith("trained 150 epochs");
    }

    private static Verdict test(double[] values, Verdict.Direction d, double threshold) {
        return Verdict.test("claim", "source", "statistic", values, d, threshold, null);
    }
}
