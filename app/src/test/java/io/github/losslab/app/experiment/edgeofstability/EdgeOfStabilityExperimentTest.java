package io.github.losslab.app.experiment.edgeofstability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.TensorFlowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code edge-of-stability} at a tiny size on the real TensorFlow backend: at a learning rate whose 2/η the sharpness
 * reaches, it hovers there and the loss falls non-monotonically, as the figure shows; at one so small that 2/η is out
 * of reach, neither claim is reproduced.
 */
class EdgeOfStabilityExperimentTest {

    static final double EDGE = 1.0;
    static final double SMALL = 0.02;

    /** 300 digits, a 784-16-16-16-10 tanh MLP, 300 steps measured every 10, two learning rates, three seeds. */
    static EdgeOfStabilityExperiment.Settings tiny() {
        return EdgeOfStabilityExperiment.Settings.quick().withSize(300, List.of(16, 16, 16), 300, 10)
                .withLearningRates(List.of(SMALL, EDGE)).withCurvature(0, 4).withSeeds(3);
    }

    private static TensorFlowRun run;
    private static JsonNode summary;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new EdgeOfStabilityExperiment(tiny()), dir.resolve("edge-of-stability"), 5);
        summary = run.summary();
    }

    @Test
    void writesTheFigureAndItsData() {
        run.assertWrote(List.of("edge-of-stability.png", "edge-of-stability.svg", "sharpness.csv", "loss.csv",
                "summary.json"));
        assertThat(new EdgeOfStabilityExperiment(tiny()).trialKeys()).containsExactly("lr-0.02.seed-0",
                "lr-0.02.seed-1", "lr-0.02.seed-2", "lr-1.0.seed-0", "lr-1.0.seed-1", "lr-1.0.seed-2");
    }

    @Test
    void everyMeasurementAndEveryStepIsInTheTables() throws IOException {
        List<String> sharpness = Files.readAllLines(run.out().resolve("sharpness.csv"));
        assertThat(sharpness.get(0)).isEqualTo("learning_rate,seed,step,sharpness,two_over_eta,lanczos_iterations,"
                + "trace");
        // steps 0, 10, ..., 300 for 2 learning rates and 3 seeds
        assertThat(sharpness).hasSize(1 + 31 * 6);
        String[] row = sharpness.get(1).split(",");
        assertThat(row[2]).isEqualTo("0");
        assertThat(Double.parseDouble(row[4])).isEqualTo(2 / SMALL);
        assertThat(Double.parseDouble(row[6])).isPositive();
        assertThat(Files.readAllLines(run.out().resolve("loss.csv"))).hasSize(1 + 301 * 6);
    }

    @Test
    void atTheEdgeTheSharpnessHoversAtTwoOverEtaAndTheLossFallsNonMonotonically() {
        JsonNode verdicts = summary.get("verdicts");
        assertThat(verdicts).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(verdicts.get(3 + i).get("claim").asText()).contains("η = " + EDGE);
            assertThat(verdicts.get(3 + i).get("verdict").asText()).as(verdicts.get(3 + i).toString())
                    .isEqualTo("reproduced");
        }
        for (JsonNode run : summary.get("runs")) {
            if (run.get("learningRate").asDouble() == EDGE) {
                assertThat(run.get("medianSharpnessLastHalfOverTwoOverEta").asDouble()).isBetween(0.8, 1.25);
                assertThat(run.get("reachedEdgeAtStep").asInt()).isLessThan(150);
            }
        }
    }

    /** The phenomenon absent: at η = 0.02, 2/η = 100 is far above any sharpness of 300 steps, and GD is monotone. */
    @Test
    void aLearningRateWhoseThresholdIsOutOfReachReproducesNeitherTheEdgeNorTheRises() {
        JsonNode verdicts = summary.get("verdicts");
        assertThat(verdicts.get(0).get("claim").asText()).contains("hovers").contains("η = " + SMALL);
        assertThat(verdicts.get(0).get("verdict").asText()).isEqualTo("not reproduced");
        assertThat(verdicts.get(2).get("claim").asText()).contains("monotonically");
        assertThat(verdicts.get(2).get("verdict").asText()).isEqualTo("not reproduced");
        for (JsonNode run : summary.get("runs")) {
            if (run.get("learningRate").asDouble() == SMALL) {
                assertThat(run.get("maxSharpness").asDouble()).isLessThan(0.5 * 2 / SMALL);
                assertThat(run.get("reachedEdgeAtStep").isNull()).isTrue();
                assertThat(run.get("risingStepsLastHalf").asDouble()).isZero();
            }
        }
    }

    @Test
    void theStatisticsReadTheLastHalf() {
        // sharpness rising to 2/η = 10 at step 40, then about 10; loss falling, rising at every fifth step of the last half
        long[] steps = {0, 20, 40, 60, 80, 100};
        double[] sharpness = {2, 6, 10, 9, 11, 10};
        double[] loss = new double[101];
        for (int t = 0; t <= 100; t++) {
            loss[t] = 1.0 / (1 + t) * (t >= 50 && t % 5 == 0 ? 1.5 : 1);
        }
        EdgeOfStabilityExperiment.Run r = new EdgeOfStabilityExperiment.Run(0.2, 0, steps, sharpness,
                new int[6], new double[0], loss, 1, 1, 1, 10);
        EdgeOfStabilityExperiment.Statistics s = EdgeOfStabilityExperiment.Statistics.of(r, 100);
        assertThat(s.edgeRatio()).isCloseTo(1.0, within(1e-12)); // the median of 9, 11 and 10 over steps 60 to 100
        assertThat(s.reachedAt()).isEqualTo(40);
        // steps 50..99: the loss rises into each multiple of 5 from 55 to 100 (10 of 50 steps)
        assertThat(s.risingFraction()).isCloseTo(10 / 50.0, within(1e-12));
        // the medians of steps 50 to 54 (loss[52]) and 96 to 100 (loss[97])
        assertThat(s.lossFall()).isCloseTo(Math.log10(loss[52] / loss[97]), within(1e-12));
    }

    /** A seed whose sharpness starts at the edge shows the hover but not the climb, and the explanation says so. */
    @Test
    void theHoverExplanationCountsSeedsThatStartedAtTheEdge() {
        int n = tiny().steps();
        long[] steps = {0, n / 2, n};
        double[] loss = new double[n + 1];
        java.util.Arrays.fill(loss, 1);
        EdgeOfStabilityExperiment.Run atEdge = new EdgeOfStabilityExperiment.Run(0.2, 0, steps,
                new double[] {9.5, 10, 10}, new int[3], new double[0], loss, 1, 1, 1, 10);
        EdgeOfStabilityExperiment.Run climbing = new EdgeOfStabilityExperiment.Run(0.2, 1, steps,
                new double[] {2, 10, 10}, new int[3], new double[0], loss, 1, 1, 1, 10);
        EdgeOfStabilityExperiment experiment = new EdgeOfStabilityExperiment(tiny());
        double[] zeros = {0, 0};
        String both = experiment.verdicts(0.2, List.of(atEdge, climbing), zeros, zeros, zeros).get(0).explanation();
        assertThat(both).contains("1 of 2 seeds started there (initial sharpness 2.00 to 9.50)");
        String none = experiment.verdicts(0.2, List.of(climbing, climbing), zeros, zeros, zeros).get(0)
                .explanation();
        assertThat(none).doesNotContain("started there");
    }

    @Test
    void oneHotTargetsHoldAOneAtTheClass() {
        Dataset labelled = Dataset.classification("d", new int[] {2}, new float[] {1, 2, 3, 4}, new int[] {2, 0}, 3);
        Dataset t = EdgeOfStabilityExperiment.oneHot(labelled);
        assertThat(t.targets()).containsExactly(0, 0, 1, 1, 0, 0);
        assertThat(t.features()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> tiny().withCurvature(0, 1)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("traceProbes");
        assertThatThrownBy(() -> tiny().withCurvature(301, 0)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("curvatureSamples");
        assertThatThrownBy(() -> tiny().withLearningRates(List.of(0.1, 0.1)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("learningRates");
    }
}
