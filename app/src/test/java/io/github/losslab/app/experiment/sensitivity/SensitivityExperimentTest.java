package io.github.losslab.app.experiment.sensitivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.run.ExperimentRunner;
import io.github.losslab.app.run.FakeExperiments;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code sensitivity} at a tiny size on the real TensorFlow backend: the files and what the figures show. */
class SensitivityExperimentTest {

    /** A few seconds: a 784-16-10 MLP at three batch sizes, 2 epochs of 400 samples, sensitivity on 50. */
    static SensitivityExperiment.Settings tiny() {
        return new SensitivityExperiment.Settings(List.of(16, 64, 256), List.of(16), OptimizerKind.ADAM, 1e-3, 2,
                400, 200, 50);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new SensitivityExperiment(tiny()), dir.resolve("sensitivity"), 5);
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "sensitivity.csv",
                "summary.json")) {
            Path p = run.out().resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(run.result().files()).contains(p);
        }
        assertThat(run.printed()).contains("‖∂softmax/∂x‖_F").contains("rank correlation");
    }

    @Test
    void oneRowPerBatchSizeWithBothSensitivities() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("sensitivity.csv"));
        assertThat(lines.get(0)).isEqualTo("batch_size,steps,train_loss,train_accuracy,test_loss,test_accuracy,"
                + "jacobian_norm,jacobian_norm_std,loss_gradient_norm,loss_gradient_norm_std,samples,wall_seconds");
        assertThat(lines).hasSize(1 + 3);
        int[] steps = {2 * 25, 2 * 7, 2 * 2};
        for (int i = 0; i < 3; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(List.of(16, 64, 256).get(i));
            assertThat(Integer.parseInt(f[1])).as("steps").isEqualTo(steps[i]);
            assertThat(Double.parseDouble(f[6])).as("Jacobian norm").isPositive();
            assertThat(Double.parseDouble(f[8])).as("loss-gradient norm").isPositive();
            assertThat(Integer.parseInt(f[10])).isEqualTo(50);
        }
    }

    @Test
    void summaryReportsBothSensitivitiesUnderTheirOwnNames() throws IOException {
        JsonNode s = OutputWriter.json().readTree(run.out().resolve("summary.json").toFile());
        assertThat(s.get("models")).hasSize(3);
        for (JsonNode m : s.get("models")) {
            assertThat(m.get("jacobianNorm").asDouble()).isPositive();
            assertThat(m.get("lossGradientNorm").asDouble()).isPositive();
            assertThat(m.get("testAccuracy").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(s.get("rankCorrelationWithBatchSize").get("jacobianNorm").asDouble()).isBetween(-1.0, 1.0);
        assertThat(s.get("settings").get("sensitivity-samples").asInt()).isEqualTo(50);
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(5);
        assertThat(s.get("provenance").get("wallSeconds").asDouble()).isPositive();
        assertThat(run.result().keyNumbers()).containsKey("batch 16 / Jacobian norm");
    }

    @Test
    void batchSizesMustIncrease() {
        assertThatThrownBy(() -> tiny().withBatchSizes(List.of(64, 16)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("batchSizes");
        assertThat(SensitivityExperiment.Settings.quick().batchSizes()).hasSizeGreaterThanOrEqualTo(5)
                .startsWith(16).endsWith(2048);
    }

    @Test
    void moreSensitivitySamplesThanTheTestSetHoldsAreRefusedBeforeTheRun(@TempDir Path dir) {
        LosslabConfig config = LosslabConfig.builder().out(dir).experiment(SensitivityExperiment.NAME,
                Map.of("test-samples", 200, "sensitivity-samples", 500)).build();
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(SensitivityExperiment.TYPE));
        List<Experiment> experiments = catalog.configure(catalog.select(List.of(SensitivityExperiment.NAME)), config);
        ExperimentRunner runner = new ExperimentRunner(config, FakeExperiments::backend, catalog);

        assertThatThrownBy(() -> runner.prepare(experiments)).isInstanceOf(ConfigException.class)
                .hasMessage("experiments.sensitivity.sensitivity-samples: 500 is not allowed; expected an integer in "
                        + "[1, 200] (mnist-subset[test] cut by test-samples holds 200 samples): lower "
                        + "sensitivity-samples, or use a larger test-samples");
        assertThat(dir.resolve(SensitivityExperiment.NAME)).doesNotExist();
    }
}
