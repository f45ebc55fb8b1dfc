package io.github.losslab.app.experiment.randomlabels;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code random-labels} at a tiny size on the real TensorFlow backend: the labels are really random, and a wide
 * network memorizes them while the test accuracy stays at chance.
 */
class RandomLabelsExperimentTest {

    private static final int SAMPLES = 300;

    /** 300 digits with random labels, 784-256-10, 40 epochs of Adam on batches of 20: a few seconds. */
    static RandomLabelsExperiment.Settings tiny() {
        return RandomLabelsExperiment.Settings.quick().withTraining(SAMPLES, List.of(256), 40, 20);
    }

    private static Path out;
    private static ExperimentResult result;
    private static JsonNode summary;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        out = dir.resolve("random-labels");
        result = new RandomLabelsExperiment(tiny()).run(ExperimentContext.builder(backend, out).seed(13).build());
        summary = OutputWriter.json().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void writesTheFigureItsDataTheLabelsAndTheSummary() {
        for (String file : List.of("random-labels.png", "random-labels.svg", "history.csv", "labels.csv",
                "summary.json")) {
            assertThat(out.resolve(file)).isRegularFile();
            assertThat(result.files()).contains(out.resolve(file));
        }
    }

    @Test
    void theTrainingIsTheOneTrialAndItsResultIsKept() throws IOException {
        RandomLabelsExperiment experiment = new RandomLabelsExperiment(tiny());
        assertThat(experiment.trialKeys()).containsExactly(RandomLabelsExperiment.TRIAL);
        try (Stream<Path> files = Files.list(out.resolve("trials"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(experiment.trialKeys().stream().map(k -> k + ".json")
                            .toList());
        }
    }

    @Test
    void aboutNinetyPercentOfTheLabelsChangeAndEveryClassIsDrawn() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("labels.csv"));
        assertThat(lines.get(0)).isEqualTo("sample,true_label,random_label");
        assertThat(lines).hasSize(1 + SAMPLES);
        int changed = 0;
        int[] counts = new int[10];
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",");
            changed += row[1].equals(row[2]) ? 0 : 1;
            counts[Integer.parseInt(row[2])]++;
        }
        double fraction = changed / (double) SAMPLES;
        assertThat(fraction).isBetween(0.85, 0.95);
        assertThat(summary.get("labels").get("fractionChanged").asDouble()).isEqualTo(fraction);
        assertThat(summary.get("labels").get("changed").asInt()).isEqualTo(changed);
        assertThat(summary.get("labels").get("test").asText()).isEqualTo("true");
        for (int c : counts) {
            assertThat(c).isBetween(10, 60);
        }
    }

    @Test
    void theRandomLabelsAreUniformDrawsOfTheirOwnGenerator() {
        int[] a = RandomLabelsExperiment.randomLabels(20_000, 10, new SplittableRandom(1));
        int[] b = RandomLabelsExperiment.randomLabels(20_000, 10, new SplittableRandom(1));
        assertThat(a).isEqualTo(b);
        int[] counts = new int[10];
        for (int l : a) {
            counts[l]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(1_800, 2_200);
        }
    }

    @Test
    void theNetworkMemorizesWhileTheTestAccuracyStaysAtChance() {
        assertThat(summary.get("finalTrainAccuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(summary.get("testAccuracy").asDouble()).isBetween(0.05, 0.15);
        JsonNode checks = summary.get("checks");
        assertThat(checks).hasSize(2);
        assertThat(checks.get(0).get("value").asDouble()).isEqualTo(summary.get("finalTrainAccuracy").asDouble());
        assertThat(checks.get(0).get("passed").asBoolean()).isTrue();
        assertThat(checks.get(1).get("passed").asBoolean()).isTrue();
        assertThat(summary.get("expectationMet").asBoolean()).isTrue();
        assertThat(result.keyNumbers().get("final training accuracy (random labels)")).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void historyStartsAtChanceAndHasEveryEpoch() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        assertThat(lines.get(0)).isEqualTo("epoch,train_loss,train_accuracy,test_loss,test_accuracy");
        assertThat(lines).hasSize(1 + 41);
        String[] initial = lines.get(1).split(",");
        assertThat(Double.parseDouble(initial[1])).isBetween(2.0, 2.6);
        assertThat(summary.get("provenance").get("data").get("sizes").get("train").asInt()).isEqualTo(SAMPLES);
        assertThat(summary.get("provenance").get("data").get("sizes").get("test").asInt())
                .isEqualTo(BundledMnist.TEST_SIZE);
    }
}
