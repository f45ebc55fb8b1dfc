package io.github.losslab.app.experiment.sharpness;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code sharpness} at a tiny size on the real TensorFlow backend: the files, the target, the verdicts. */
class SharpnessExperimentTest {

    /**
     * A few seconds: a 784-16-10 MLP on 300 samples, batch 10 against 120 (40%), trained to a loss of 0.5 (at most
     * 60 epochs), 2 seeds; 3 ascent steps from 2 starts on 100 samples.
     */
    static SharpnessExperiment.Settings tiny() {
        return new SharpnessExperiment.Settings(10, 0.4, List.of(16), OptimizerKind.ADAM, 1e-3, 0.5, 60, 0, 300, 100,
                2, List.of(1e-3, 5e-4), 3, 1, 100);
    }

    /**
     * The phenomenon absent: the "large" batch is the small one (10% of 300 samples is 30), so both trainings of a
     * seed are the same, and a cap of 2 epochs that stops both before the target.
     */
    static SharpnessExperiment.Settings sameBatch() {
        return new SharpnessExperiment.Settings(30, 0.1, List.of(16), OptimizerKind.ADAM, 1e-3, 1e-3, 2, 0, 300, 100,
                2, List.of(1e-3), 3, 0, 100);
    }

    /**
     * A training that stalls: a learning rate of 1e-7 hardly moves the loss, so with a plateau stop of 1 epoch every
     * training ends after its second epoch, far from the target and from the cap of 50.
     */
    static SharpnessExperiment.Settings stalled() {
        return new SharpnessExperiment.Settings(10, 0.4, List.of(16), OptimizerKind.ADAM, 1e-7, 1e-3, 50, 1, 300, 100,
                1, List.of(1e-3), 3, 0, 100);
    }

    private static TensorFlowRun run;
    private static TensorFlowRun absent;
    private static TensorFlowRun plateau;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new SharpnessExperiment(tiny()), dir.resolve("sharpness"), 11);
        absent = TensorFlowRun.of(new SharpnessExperiment(sameBatch()), dir.resolve("absent"), 11);
        plateau = TensorFlowRun.of(new SharpnessExperiment(stalled()), dir.resolve("plateau"), 11);
    }

    @Test
    void writesEveryFile() {
        run.assertWrote(List.of("sharpness.png", "sharpness.svg", "training.png", "training.svg",
                "sharpness.csv", "summary.json"));
    }

    @Test
    void everyModelIsTrainedToTheTargetOrReportedAtTheCap() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("sharpness.csv"));
        assertThat(lines.get(0)).isEqualTo("batch,seed,batch_size,epochs,steps,reached_target,train_loss,"
                + "train_accuracy,test_loss,test_accuracy,sharpness_percent_eps_0.001,sharpness_percent_eps_5.0E-4,"
                + "hessian_top_eigenvalue,samples,wall_seconds");
        assertThat(lines).hasSize(1 + 2 * 2);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int batch = Integer.parseInt(f[2]);
            assertThat(batch).isEqualTo(f[0].equals("small") ? 10 : 120);
            int epochs = Integer.parseInt(f[3]);
            assertThat(Integer.parseInt(f[4])).as("steps").isEqualTo(epochs * ((300 + batch - 1) / batch));
            assertThat(Boolean.parseBoolean(f[5])).as("reached the target").isTrue();
            assertThat(Double.parseDouble(f[6])).as("train loss").isLessThanOrEqualTo(0.5);
            assertThat(epochs).isLessThan(60);
            assertThat(Double.parseDouble(f[10])).as("sharpness").isPositive();
            assertThat(Double.parseDouble(f[12])).as("top eigenvalue").isPositive();
        }
        JsonNode s = run.summary();
        assertThat(s.get("epochCapHit")).isEmpty();
        assertThat(s.get("largeBatch").asInt()).isEqualTo(120);
    }

    @Test
    void verdictsAreComputedFromTheSeeds() throws IOException {
        JsonNode s = run.summary();
        JsonNode verdicts = s.get("verdicts");
        assertThat(verdicts).hasSize(4);
        for (JsonNode v : verdicts) {
            assertThat(v.get("source").asText()).isEqualTo("Keskar et al. 2017");
            assertThat(v.get("values")).hasSize(2);
            assertThat(v.get("verdict").asText()).isIn("reproduced", "not reproduced", "inconclusive");
        }
        // the first verdict's statistic is log10 of the large batch's sharpness over the small batch's, per seed
        JsonNode models = s.get("models");
        for (int seed = 0; seed < 2; seed++) {
            double small = Double.NaN;
            double large = Double.NaN;
            for (JsonNode m : models) {
                if (m.get("seed").asInt() == seed) {
                    double v = m.get(SharpnessExperiment.sharpnessName(1e-3)).asDouble();
                    if (m.get("group").asText().equals("small")) {
                        small = v;
                    } else {
                        large = v;
                    }
                }
            }
            assertThat(verdicts.get(0).get("values").get(seed).asDouble()).isCloseTo(Math.log10(large / small),
                    within(1e-9));
        }
        assertThat(run.printed()).contains("Keskar et al. 2017");
    }

    @Test
    void theSameBatchOnBothSidesIsNotReproducedAndTheCapIsReported() throws IOException {
        JsonNode s = absent.summary();
        assertThat(s.get("largeBatch").asInt()).isEqualTo(30);
        for (JsonNode v : s.get("verdicts")) {
            assertThat(v.get("verdict").asText()).as(v.get("claim").asText()).isNotEqualTo("reproduced");
            for (JsonNode x : v.get("values")) {
                assertThat(x.asDouble()).isEqualTo(0.0);
            }
            assertThat(v.get("explanation").asText()).contains("hit the cap of 2 epochs");
        }
        assertThat(s.get("epochCapHit")).hasSize(4);
        assertThat(s.get("plateaued")).isEmpty();
        List<String> lines = Files.readAllLines(absent.out().resolve("sharpness.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f[3]).as("epochs").isEqualTo("2");
            assertThat(f[5]).as("reached the target").isEqualTo("false");
        }
        assertThat(absent.printed()).contains("hit the cap of 2 epochs");
    }

    @Test
    void aStalledTrainingStopsAtThePlateauAndIsReportedSo() throws IOException {
        JsonNode s = plateau.summary();
        assertThat(s.get("epochCapHit")).isEmpty();
        assertThat(s.get("plateaued")).extracting(JsonNode::asText).containsExactly("small.seed-0", "large.seed-0");
        for (JsonNode m : s.get("models")) {
            assertThat(m.get("epochs").asInt()).isEqualTo(2);
            assertThat(m.get("reachedTarget").asBoolean()).isFalse();
            assertThat(m.get("plateaued").asBoolean()).isTrue();
        }
        for (JsonNode v : s.get("verdicts")) {
            assertThat(v.get("explanation").asText()).contains("plateaued before the target")
                    .contains("less than 1% in 1 epochs").contains("raise plateau-epochs (1)")
                    .doesNotContain("hit the cap");
        }
        assertThat(plateau.printed()).contains("2 of 2 trainings plateaued");
        assertThat(s.get("trainingTarget").asText()).contains("stopped when it falls by less than 1% in 1 epochs");
    }
}
