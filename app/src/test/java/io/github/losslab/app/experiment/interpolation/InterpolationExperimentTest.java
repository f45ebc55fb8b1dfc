package io.github.losslab.app.experiment.interpolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code interpolation} at a tiny size on the real TensorFlow backend: the files, and α = 0 and 1 are the models. */
class InterpolationExperimentTest {

    /** A few seconds: a 784-16-10 MLP, 2 epochs of 400 samples per model, 7 alphas from -1 to 2. */
    static InterpolationExperiment.Settings tiny() {
        return new InterpolationExperiment.Settings(List.of(16, 128), List.of(1e-3, 1e-2), List.of(16),
                OptimizerKind.ADAM, 2, 400, 200, -1, 2, 7);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new InterpolationExperiment(tiny()), dir.resolve("interpolation"), 3);
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("batch-size.png", "batch-size.svg", "batch-size.csv", "learning-rate.png",
                "learning-rate.svg", "learning-rate.csv", "summary.json")) {
            Path p = run.out().resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(run.result().files()).contains(p);
        }
        assertThat(run.printed()).contains("batch-size").contains("learning-rate");
    }

    @Test
    void everyTrainedModelIsATrialWhoseResultIsKept() throws IOException {
        InterpolationExperiment experiment = new InterpolationExperiment(tiny());
        assertThat(experiment.trialKeys()).containsExactly("batch-16-lr-0.001", "batch-128-lr-0.001",
                "batch-16-lr-0.01");
        try (Stream<Path> files = Files.list(run.out().resolve("trials"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(experiment.trialKeys().stream().map(k -> k + ".json")
                            .toList());
        }
    }

    @Test
    void withoutTheSharedFirstModelThereIsNoLineToInterpolate(@TempDir Path dir) {
        InterpolationExperiment experiment = new InterpolationExperiment(tiny());
        List<String> keys = experiment.trialKeys();
        TrialResults<InterpolationExperiment.Endpoint> diverged = new TrialResults<>(List.of(), keys, keys.size());
        ExperimentContext context = ExperimentContext.builder(Backends.create("tensorflow",
                BackendOptions.DEFAULT.withDeterministic(true)), dir).build();
        assertThatThrownBy(() -> experiment.reduce(diverged, context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trial batch-16-lr-0.001 (the first model of both pairs) diverged");
    }

    @Test
    void alphaZeroAndOneGiveBackTheTrainedModelsExactly() throws IOException {
        JsonNode models = summary().get("models");
        assertThat(models).hasSize(3);
        assertThat(models.get(0).get("model").asText()).isEqualTo("batch 16, lr 0.001");
        assertThat(models.get(1).get("model").asText()).isEqualTo("batch 128, lr 0.001");
        assertThat(models.get(2).get("model").asText()).isEqualTo("batch 16, lr 0.01");
        assertEndpoint("batch-size.csv", 0.0, models.get(0));
        assertEndpoint("batch-size.csv", 1.0, models.get(1));
        assertEndpoint("learning-rate.csv", 0.0, models.get(0));
        assertEndpoint("learning-rate.csv", 1.0, models.get(2));
    }

    @Test
    void theCsvHoldsEveryAlphaFromMinusOneToTwo() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("batch-size.csv"));
        assertThat(lines.get(0)).isEqualTo("alpha,train_loss,train_accuracy,test_loss,test_accuracy");
        assertThat(lines).hasSize(1 + 7);
        assertThat(Double.parseDouble(lines.get(1).split(",")[0])).isEqualTo(-1.0);
        assertThat(Double.parseDouble(lines.get(7).split(",")[0])).isEqualTo(2.0);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(Double.parseDouble(f[1])).isPositive();
            assertThat(Double.parseDouble(f[2])).isBetween(0.0, 1.0);
        }
    }

    @Test
    void summaryHoldsSettingsPairsAndProvenance() throws IOException {
        JsonNode s = summary();
        assertThat(s.get("settings").get("batch-sizes").toString()).isEqualTo("[16,128]");
        assertThat(s.get("settings").get("alpha-points").asInt()).isEqualTo(7);
        assertThat(s.get("pairs")).hasSize(2);
        assertThat(s.get("pairs").get(0).get("maxTrainLossBetween").asDouble()).isPositive();
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(3);
        assertThat(s.get("provenance").get("data").get("sizes").get("train").asInt()).isEqualTo(400);
        assertThat(s.get("provenance").get("data").get("sizes").get("test").asInt()).isEqualTo(200);
        assertThat(run.result().keyNumbers()).containsKey("batch-size / highest train loss between the models");
    }

    @Test
    void zeroAndOneAreAddedToAGridThatMissesThem() {
        InterpolationExperiment.Settings s = new InterpolationExperiment.Settings(List.of(64, 1024),
                List.of(1e-3, 1e-2), List.of(8), OptimizerKind.ADAM, 1, 0, 0, -1, 2, 5);
        assertThat(s.alphas()).containsExactly(-1.0, -0.25, 0.0, 0.5, 1.0, 1.25, 2.0);
        assertThat(InterpolationExperiment.Settings.quick().alphas()).hasSize(31).contains(0.0, 1.0);
    }

    @Test
    void invalidSettingsNameTheKey() {
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64), List.of(1e-3, 1e-2), List.of(8),
                OptimizerKind.ADAM, 1, 0, 0, -1, 2, 31))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("batchSizes");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 1, 0, 0, 2, -1, 31))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("alphaTo");
    }

    private static void assertEndpoint(String csv, double alpha, JsonNode model) throws IOException {
        String row = Files.readAllLines(run.out().resolve(csv)).stream().skip(1)
                .filter(l -> Double.parseDouble(l.split(",")[0]) == alpha).findFirst().orElseThrow();
        String[] f = row.split(",");
        assertThat(Double.parseDouble(f[1])).as("%s train loss at %s", csv, alpha)
                .isEqualTo(model.get("trainLoss").asDouble());
        assertThat(Double.parseDouble(f[2])).isEqualTo(model.get("trainAccuracy").asDouble());
        assertThat(Double.parseDouble(f[3])).isEqualTo(model.get("testLoss").asDouble());
        assertThat(Double.parseDouble(f[4])).isEqualTo(model.get("testAccuracy").asDouble());
    }

    private static JsonNode summary() throws IOException {
        return OutputWriter.json().readTree(run.out().resolve("summary.json").toFile());
    }
}
