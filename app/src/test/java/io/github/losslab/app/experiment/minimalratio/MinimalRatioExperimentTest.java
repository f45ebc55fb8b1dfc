package io.github.losslab.app.experiment.minimalratio;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.model.Activation;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment.Found;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment.Point;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment.Run;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.verdict.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code minimal-ratio} at a tiny size on the real TensorFlow backend (every file, ratios, indices, the verdict in
 * the summary), and its statistic and verdict on hand-made critical points: reproduced where saddles lie above the
 * minima in loss, not reproduced where every point is a minimum or the ratio rises with the loss.
 */
class MinimalRatioExperimentTest {

    /** A few seconds: 2 seeds of one training of a 1-3-1 tanh net (10 parameters) on 40 points of sin(x). */
    static MinimalRatioExperiment.Settings tiny() {
        return new MinimalRatioExperiment.Settings(TargetFunction.SIN, 40, List.of(3), Activation.TANH, 2, 1,
                List.of(0, 100), 40, 0.01, 40, 1e-6, 1e-6);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new MinimalRatioExperiment(tiny()), dir.resolve("minimal-ratio"), 3);
    }

    @Test
    void writesEveryFile() {
        run.assertWrote(List.of("minimal-ratio.png", "minimal-ratio.svg", "rank-correlation.png",
                "rank-correlation.svg", "eigenvalues.png", "eigenvalues.svg", "critical-points.csv",
                "eigenvalues.csv", "summary.json"));
        assertThat(run.printed()).contains("minimal-ratio 4 searches, 10 parameters");
    }

    @Test
    void everySearchHasItsIndexAndBothRatios() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("critical-points.csv"));
        assertThat(lines.get(0)).startsWith("seed,run,stage,epochs,trained_loss,loss,gradient_norm,converged,");
        assertThat(lines).hasSize(1 + 4);
        JsonNode points = run.summary().get("points");
        assertThat(points).hasSize(4);
        for (JsonNode p : points) {
            assertThat(p.get("status").asText()).isEqualTo("ok");
            int negative = p.get("index").asInt();
            int zero = p.get("nearZero").asInt();
            int positive = p.get("positive").asInt();
            assertThat(negative + zero + positive).isEqualTo(10);
            assertThat(p.get("minimalRatio").asDouble()).isCloseTo(positive / 10.0, within(1e-12));
            assertThat(p.get("robustRatio").asDouble()).isCloseTo((double) positive / (positive + negative),
                    within(1e-12));
            if (p.get("converged").asBoolean()) {
                assertThat(p.get("gradientNorm").asDouble()).isLessThan(1e-6);
            }
        }
        assertThat(points.get(0).get("epochs").asInt()).isZero();
        assertThat(points.get(1).get("epochs").asInt()).isEqualTo(100);
        assertThat(Files.readAllLines(run.out().resolve("eigenvalues.csv"))).hasSize(1 + 4 * 10);
    }

    @Test
    void summaryHoldsTheVerdictOverTheSeedsAndFloat64Provenance() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("parameters").asInt()).isEqualTo(10);
        assertThat(s.get("settings").get("seeds").asInt()).isEqualTo(2);
        assertThat(s.get("provenance").get("precision").asText()).isEqualTo("float64");
        JsonNode verdict = s.get("verdicts").get(0);
        assertThat(verdict.get("values")).hasSize(2);
        assertThat(verdict.get("threshold").asDouble()).isEqualTo(MinimalRatioExperiment.CORRELATION_THRESHOLD);
        assertThat(verdict.get("direction").asText()).isEqualTo("below");
        // two searches per seed are fewer than the three critical points the statistic needs
        assertThat(verdict.get("verdict").asText()).isEqualTo("inconclusive");
        assertThat(s.get("stages")).hasSize(2);
        assertThat(run.printed()).contains("inconclusive: critical points of lower loss");
        assertThat(run.result().keyNumbers()).containsKeys("critical points", "saddle points",
                "rank correlation loss vs robust ratio");
    }

    @Test
    void everyTrainingIsOneTrialWithItsOwnResultFile() throws IOException {
        List<String> keys = new MinimalRatioExperiment(tiny()).trialKeys();
        assertThat(keys).containsExactly("seed-0.run-0", "seed-1.run-0");
        run.assertOneTrialFilePer(keys);
    }

    /** Closed form: eigenvalues -2, -1, 1e-9, 0, 3, 4, 5 with a zero threshold of 1e-6 * 5. */
    @Test
    void inertiaOfAKnownSpectrum() {
        Inertia saddle = Inertia.of(new double[] {5, -1, 1e-9, 0, 3, -2, 4}, 1e-6);
        assertThat(saddle.threshold()).isCloseTo(5e-6, within(1e-18));
        assertThat(saddle.index()).isEqualTo(2);
        assertThat(saddle.zero()).isEqualTo(2);
        assertThat(saddle.positive()).isEqualTo(3);
        assertThat(saddle.isSaddle()).isTrue();
        assertThat(saddle.minimalRatio()).isEqualTo(3.0 / 7);
        assertThat(saddle.robustRatio()).isEqualTo(3.0 / 5);

        // a degenerate minimum: the assignment's ratio is 2/5, the robust one 1
        Inertia flat = Inertia.of(new double[] {0, 1e-8, -1e-8, 1, 2}, 1e-6);
        assertThat(flat.isSaddle()).isFalse();
        assertThat(flat.minimalRatio()).isEqualTo(0.4);
        assertThat(flat.robustRatio()).isEqualTo(1.0);
        // with no tolerance the rounding noise -1e-8 makes it a saddle of index 1
        assertThat(Inertia.of(new double[] {0, 1e-8, -1e-8, 1, 2}, 0).index()).isEqualTo(1);
        assertThat(Inertia.of(new double[] {0, 0}, 1e-6).robustRatio()).isNaN();
    }

    @Test
    void saddlesAboveMinimaInLossReproduce() {
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            // per seed: minima near 1e-7, saddles of index 1 at 0.03, index 3 at 0.07, index 4 at 0.5
            runs.add(run(s, point(1e-7 * (1 + s), 0, 10), point(0.03, 1, 9), point(0.07, 3, 7),
                    point(0.5, 4, 5), point(2e-7, 0, 10)));
        }
        Verdict v = verdict(runs);
        assertThat(v.values()).hasSize(3);
        for (double rho : v.values()) {
            assertThat(rho).isLessThan(-0.8);
        }
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.REPRODUCED);
    }

    /** The phenomenon absent: every critical point an interpolating minimum, the losses spread or all equal. */
    @Test
    void onlyMinimaDoNotReproduce() {
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            runs.add(run(s, point(1e-7, 0, 10), point(3e-7, 0, 8), point(1e-6, 0, 10), point(1e-6, 0, 9)));
        }
        Verdict v = verdict(runs);
        assertThat(v.values()).containsExactly(0, 0, 0);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.NOT_REPRODUCED);
        assertThat(v.explanation()).contains("0 are saddles").contains("Without saddles");
    }

    /** The phenomenon absent: saddles whose ratio rises with the loss, or does not depend on it. */
    @Test
    void aRatioThatDoesNotFallWithTheLossDoesNotReproduce() {
        List<Run> rising = new ArrayList<>();
        List<Run> unrelated = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            rising.add(run(s, point(0.01, 4, 6), point(0.03, 3, 7), point(0.1, 2, 8), point(0.3, 1, 9)));
            // the same ratios at shuffled losses: rank correlations 0.2, -0.2, 0 across the seeds
            double[][] losses = {{0.03, 0.01, 0.3, 0.1}, {0.1, 0.3, 0.01, 0.03}, {0.01, 0.3, 0.03, 0.1}};
            unrelated.add(run(s, point(losses[s][0], 4, 6), point(losses[s][1], 3, 7), point(losses[s][2], 2, 8),
                    point(losses[s][3], 1, 9)));
        }
        Verdict up = verdict(rising);
        assertThat(up.values()).containsExactly(1, 1, 1);
        assertThat(up.outcome()).isEqualTo(Verdict.Outcome.NOT_REPRODUCED);
        assertThat(verdict(unrelated).outcome()).isNotEqualTo(Verdict.Outcome.REPRODUCED);
    }

    @Test
    void searchesThatDidNotConvergeAreNoCriticalPoints() {
        Point stalled = new Point(0, 0, 1, 0.5, 1e-3, false, "step_limit", 100, 9, 0, 1, new double[0], null);
        assertThat(MinimalRatioExperiment.rankCorrelation(List.of(point(0.01, 0, 10), point(0.1, 1, 9), stalled)))
                .isNaN();
        assertThat(MinimalRatioExperiment.rankCorrelation(List.of(point(0.01, 0, 10), point(0.1, 1, 9),
                point(0.5, 2, 8), stalled))).isEqualTo(-1.0);
    }

    @Test
    void aFailedSearchSurvivesItsJsonRoundTrip() throws IOException {
        Point failed = new Point(1, 20, Double.NaN, Double.NaN, Double.NaN, false, "failed", 0, 0, 0, 0,
                new double[0], "the gradient norm is NaN after 3 steps");
        Run r = new Run(1, 2, List.of(point(0.1, 1, 9), failed), 0.25, null);
        Run back = OutputWriter.json().readValue(OutputWriter.json().writeValueAsString(r), Run.class);
        assertThat(back.points()).hasSize(2);
        Point p = back.points().get(1);
        assertThat(p.succeeded()).isFalse();
        assertThat(p.failure()).isEqualTo("the gradient norm is NaN after 3 steps");
        assertThat(p.loss()).isNaN();
        assertThat(p.robustRatio()).isNaN();
        assertThat(back.points().get(0).robustRatio()).isEqualTo(0.9);
    }

    @Test
    void presetsHaveEnoughSeedsAndCriticalPoints() {
        MinimalRatioExperiment.Settings quick = MinimalRatioExperiment.Settings.of(Preset.QUICK);
        MinimalRatioExperiment.Settings full = MinimalRatioExperiment.Settings.of(Preset.FULL);
        assertThat(quick.seeds()).isGreaterThanOrEqualTo(3);
        assertThat(quick.criticalPoints()).isGreaterThanOrEqualTo(30);
        assertThat(full.seeds()).isGreaterThanOrEqualTo(5);
        assertThat(full.criticalPoints()).isEqualTo(100);
        assertThat(full.spec().parameterCount()).isEqualTo(13);
        assertThatThrownBy(() -> new MinimalRatioExperiment.Settings(TargetFunction.SIN, 40, List.of(3),
                Activation.TANH, 2, 1, List.of(100, 0), 40, 0.01, 40, 1e-6, 1e-6))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("stages");
    }

    /** A converged search with the given loss and eigenvalue counts (no zero eigenvalues). */
    private static Point point(double loss, int negative, int positive) {
        return new Point(0, 0, loss, loss, 1e-8, true, "converged", 10, negative, 0, positive, new double[0], null);
    }

    private static Run run(int seed, Point... points) {
        return new Run(seed, 0, List.of(points), 1, null);
    }

    private static Verdict verdict(List<Run> runs) {
        List<Found> critical = MinimalRatioExperiment.found(runs).stream().filter(x -> x.point().critical())
                .toList();
        return MinimalRatioExperiment.verdict(MinimalRatioExperiment.perSeedCorrelations(runs, 3), critical,
                tiny());
    }
}
