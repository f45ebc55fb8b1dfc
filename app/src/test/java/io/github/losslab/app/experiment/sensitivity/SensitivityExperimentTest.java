package io.github.losslab.app.experiment.sensitivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
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

/** {@code sensitivity} at a tiny size on the real TensorFlow backend: the files, the target, the verdict. */
class SensitivityExperimentTest {

    /** A few seconds: a 784-16-10 MLP at three batch sizes on 400 samples, trained to a loss of 0.5, 2 seeds. */
    static SensitivityExperiment.Settings tiny() {
        return new SensitivityExperiment.Settings(List.of(16, 64, 256), List.of(16), OptimizerKind.ADAM, 1e-3, 0.5,
                80, 0, 400, 200, 2, 50);
    }

    /**
     * The phenomenon absent: four batch sizes that hardly differ (32 to 35), so that the models differ by chance
     * alone and their Jacobian norms and gaps have no reason to move together.
     */
    static SensitivityExperiment.Settings nearlyTheSameBatch() {
        return new SensitivityExperiment.Settings(List.of(32, 33, 34, 35), List.of(16), OptimizerKind.ADAM, 1e-3,
                0.5, 80, 0, 400, 200, 3, 50);
    }

    private static TensorFlowRun run;
    private static TensorFlowRun absent;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new SensitivityExperiment(tiny()), dir.resolve("sensitivity"), 5);
        absent = TensorFlowRun.of(new SensitivityExperiment(nearlyTheSameBatch()), dir.resolve("absent"), 5);
    }

    @Test
    void writesEveryFile() {
        run.assertWrote(List.of("sensitivity.png", "sensitivity.svg", "gap.png", "gap.svg", "training.png",
                "training.svg", "sensitivity.csv", "summary.json"));
        assertThat(run.printed()).contains("‖∂softmax/∂x‖_F").contains("Novak et al. 2018");
    }

    @Test
    void oneRowPerBatchSizeAndSeedTrainedToTheTarget() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("sensitivity.csv"));
        assertThat(lines.get(0)).isEqualTo("batch_size,seed,epochs,steps,reached_target,train_loss,train_accuracy,"
                + "test_loss,test_accuracy,jacobian_norm,jacobian_norm_std,loss_gradient_norm,loss_gradient_norm_std,"
                + "samples,wall_seconds");
        assertThat(lines).hasSize(1 + 3 * 2);
        int[] stepsPerEpoch = {25, 7, 2};
        for (int i = 0; i < 6; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(List.of(16, 64, 256).get(i / 2));
            assertThat(Integer.parseInt(f[1])).as("seed").isEqualTo(i % 2);
            int epochs = Integer.parseInt(f[2]);
            assertThat(Integer.parseInt(f[3])).as("steps").isEqualTo(epochs * stepsPerEpoch[i / 2]);
            assertThat(f[4]).as("reached the target").isEqualTo("true");
            assertThat(Double.parseDouble(f[5])).as("train loss").isLessThanOrEqualTo(0.5);
            assertThat(Double.parseDouble(f[9])).as("Jacobian norm").isPositive();
            assertThat(Double.parseDouble(f[11])).as("loss-gradient norm").isPositive();
            assertThat(Integer.parseInt(f[13])).isEqualTo(50);
        }
        // a larger batch needs more epochs to reach the same training loss
        assertThat(Integer.parseInt(lines.get(5).split(",")[2])).isGreaterThan(
                Integer.parseInt(lines.get(1).split(",")[2]));
    }

    @Test
    void summaryReportsBothSensitivitiesAndTheVerdict() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("models")).hasSize(6);
        for (JsonNode m : s.get("models")) {
            assertThat(m.get("jacobianNorm").asDouble()).isPositive();
            assertThat(m.get("lossGradientNorm").asDouble()).isPositive();
            assertThat(m.get("testAccuracy").asDouble()).isBetween(0.0, 1.0);
        }
        JsonNode v = s.get("verdicts").get(0);
        assertThat(v.get("source").asText()).isEqualTo("Novak et al. 2018");
        assertThat(v.get("values")).hasSize(2);
        for (int seed = 0; seed < 2; seed++) {
            assertThat(v.get("values").get(seed).asDouble()).isEqualTo(
                    s.get("rankCorrelationsPerSeed").get("jacobianNormWithLossGap").get(seed).asDouble())
                    .isBetween(-1.0, 1.0);
        }
        assertThat(s.get("epochCapHit")).isEmpty();
        assertThat(s.get("settings").get("sensitivity-samples").asInt()).isEqualTo(50);
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(5);
        assertThat(run.result().keyNumbers()).containsKey("batch 16 / Jacobian norm");
    }

    @Test
    void batchSizesThatHardlyDifferDoNotReproduceTheCorrelation() throws IOException {
        JsonNode v = absent.summary().get("verdicts").get(0);
        assertThat(v.get("values")).hasSize(3);
        assertThat(v.get("verdict").asText()).isNotEqualTo("reproduced");
    }

    @Test
    void batchSizesMustIncrease() {
        assertThatThrownBy(() -> tiny().withBatchSizes(List.of(64, 16)))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("batchSizes");
        assertThat(SensitivityExperiment.Settings.quick().batchSizes()).hasSizeGreaterThanOrEqualTo(5)
                .startsWith(32).endsWith(512);
        assertThat(SensitivityExperiment.Settings.quick().seeds()).isGreaterThanOrEqualTo(3);
        assertThat(SensitivityExperiment.Settings.full().seeds()).isGreaterThanOrEqualTo(5);
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

    @Test
    void theExplanationNamesTheTestLossWhenTheLossGapRunsAgainstTheAccuracyGap() {
        List<Integer> batches = List.of(16, 64, 256);
        double[] testLoss = {1.38, 0.68, 0.75};
        double[] testAccuracy = {0.8841, 0.8845, 0.8800};
        double[] batch = {1, 0.9, 1};
        // the loss gap falls with the Jacobian norm in every seed, the accuracy gap rises with it
        String against = SensitivityExperiment.explain(new double[] {-0.9, -0.7, -0.8}, new double[] {0.5, 0.9, 0.8},
                batch, batches, testLoss, testAccuracy);
        assertThat(against).contains("above 0 in 3 of 3 seeds").contains("1.38 nats at batch 16 against 0.680 at "
                + "batch 64, the lowest").contains("differ by 0.04 points (88.41% and 88.45%)")
                .contains("more confident on the test images they get wrong").doesNotContain("coarse");
        // the loss gap with the norm, or both gaps against it: no such cause to name
        for (double[][] c : new double[][][] {{{0.5, -0.1, 0.9}, {0.5, 0.9, 0.8}}, {{-0.9, -0.7, -0.8},
                {-0.5, -0.9, 0.2}}}) {
            String other = SensitivityExperiment.explain(c[0], c[1], batch, batches, testLoss, testAccuracy);
            assertThat(other).contains("3 batch sizes per seed give a coarse rank correlation")
                    .doesNotContain("confident");
        }
    }
}
