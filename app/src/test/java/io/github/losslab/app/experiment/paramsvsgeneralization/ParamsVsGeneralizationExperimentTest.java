package io.github.losslab.app.experiment.paramsvsgeneralization;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.TensorFlowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code params-vs-generalization} at a tiny size on the real TensorFlow backend: ten widths, ten counts, three
 * seeds; the test loss falls with width, and a sweep whose networks have not learned does not reproduce that.
 */
class ParamsVsGeneralizationExperimentTest {

    private static final List<Integer> WIDTHS = List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 32);

    /** Ten widths, 2 epochs on 200 digits each, three seeds. */
    static ParamsVsGeneralizationExperiment.Settings tiny() {
        return ParamsVsGeneralizationExperiment.Settings.quick().withTraining(200, WIDTHS, 2, 50).withSeeds(3);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new ParamsVsGeneralizationExperiment(tiny()), dir.resolve("params-vs-generalization"),
                17);
    }

    @Test
    void writesBothFiguresTheirDataAndTheSummary() {
        run.assertWrote(List.of("loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "results.csv",
                "history.csv", "summary.json"));
    }

    @Test
    void theSweepHasAtLeastTenDistinctParameterCountsInOrder() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("results.csv"));
        assertThat(lines.get(0)).isEqualTo("width,seed,hidden_widths,parameters,train_loss,train_accuracy,"
                + "test_loss,test_accuracy,status");
        List<Integer> counts = new ArrayList<>();
        assertThat(lines).hasSize(1 + 10 * 3);
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",");
            int width = Integer.parseInt(row[0]);
            int parameters = Integer.parseInt(row[3]);
            assertThat(parameters).isEqualTo(784 * width + width + width * 10 + 10);
            assertThat(row[8]).isEqualTo("ok");
            for (int i = 4; i <= 7; i++) {
                assertThat(Double.parseDouble(row[i])).isFinite().isNotNegative();
            }
            if (row[1].equals("0")) {
                counts.add(parameters);
            }
        }
        assertThat(counts).hasSize(10).doesNotHaveDuplicates().isSorted();
        JsonNode s = run.summary();
        assertThat(s.get("distinctParameterCounts").asInt()).isEqualTo(10);
        assertThat(s.get("models")).hasSize(10);
    }

    @Test
    void historyHasEveryModelsEpochs() throws IOException {
        assertThat(Files.readAllLines(run.out().resolve("history.csv"))).hasSize(1 + 10 * 3 * 2);
    }

    @Test
    void trialsHoldOneResultPerWidthAndSeed() throws IOException {
        List<String> expected = WIDTHS.stream().flatMap(w -> Stream.of(0, 1, 2)
                .map(s -> "width-" + w + ".seed-" + s + ".json")).toList();
        assertThat(new ParamsVsGeneralizationExperiment(tiny()).trialKeys().stream().map(k -> k + ".json"))
                .containsExactlyElementsOf(expected);
        run.assertOneTrialFilePer(new ParamsVsGeneralizationExperiment(tiny()).trialKeys());
    }

    @Test
    void theTestLossFallsWithTheParameterCountOnEverySeed() throws IOException {
        JsonNode v = run.summary().get("verdicts").get(0);
        assertThat(v.get("verdict").asText()).as(v.toString()).isEqualTo("reproduced");
        assertThat(v.get("values")).hasSize(3);
        for (JsonNode value : v.get("values")) {
            assertThat(value.asDouble()).isLessThan(0);
        }
        assertThat(v.get("direction").asText()).isEqualTo("below");
        assertThat(run.result().keyNumbers().get("rank correlation of parameters and test loss")).isLessThan(0);
    }

    /**
     * The effect absent: ten widths from 40 to 49 units differ by less than a quarter in parameter count, too little
     * for the test loss to order them, so the claim is not reproduced (the rank correlations scatter around 0).
     * Untrained networks would not do: at initialization the test loss already falls with width here.
     */
    @Test
    void widthsThatBarelyDifferDoNotReproduceTheClaim(@TempDir Path dir) throws IOException {
        JsonNode v = TensorFlowRun.of(new ParamsVsGeneralizationExperiment(tiny().withTraining(200, List.of(40, 41,
                42, 43, 44, 45, 46, 47, 48, 49), 2, 50)), dir.resolve("params-vs-generalization"), 17).summary()
                .get("verdicts").get(0);
        assertThat(v.get("verdict").asText()).as(v.toString()).isNotEqualTo("reproduced");
    }

    @Test
    void refusesFewerThanTenWidths() {
        assertThatThrownBy(() -> tiny().withTraining(200, List.of(1, 2, 3), 2, 50))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("widths")
                .hasMessageContaining("at least 10");
    }
}
