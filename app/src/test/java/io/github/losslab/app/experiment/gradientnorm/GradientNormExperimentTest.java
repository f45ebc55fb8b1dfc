package io.github.losslab.app.experiment.gradientnorm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code gradient-norm} at a tiny size on the real TensorFlow backend: one row per iteration, as plotted. */
class GradientNormExperimentTest {

    /**
     * 300 digits in batches of 50 for 2 epochs (12 iterations); x³ at 200 points in batches of 20 (30); two
     * seeds.
     */
    static GradientNormExperiment.Settings tiny() {
        return GradientNormExperiment.Settings.quick().withMnist(300, List.of(16), 2, 50)
                .withFunction(TargetFunction.CUBE, 200, 3, 20).withSmoothing(4).withSeeds(2);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new GradientNormExperiment(tiny()), dir.resolve("gradient-norm"), 3);
    }

    @Test
    void writesAFigureAndItsDataPerTraining() {
        run.assertWrote(List.of("mnist.png", "mnist.svg", "mnist.csv", "function.png", "function.svg",
                "function.csv", "summary.json"));
    }

    @Test
    void eachTrainingIsOneTrialWithItsOwnResultFile() throws IOException {
        List<String> keys = new GradientNormExperiment(tiny()).trialKeys();
        assertThat(keys).containsExactly("mnist.seed-0", "mnist.seed-1", "function.seed-0", "function.seed-1");
        run.assertOneTrialFilePer(keys);
    }

    @Test
    void everyIterationOfEverySeedHasItsLossAndGradientNorm() throws IOException {
        assertIterations("mnist.csv", 12, 6);
        assertIterations("function.csv", 30, 10);
    }

    @Test
    void eachTrainingHasAVerdictFromItsSeedsFalls() throws IOException {
        JsonNode s = run.summary();
        JsonNode verdicts = s.get("verdicts");
        assertThat(verdicts).hasSize(2);
        JsonNode models = s.get("models");
        for (int v = 0; v < 2; v++) {
            JsonNode verdict = verdicts.get(v);
            assertThat(verdict.get("claim").asText()).contains(v == 0 ? "MNIST" : "function");
            assertThat(verdict.get("values")).hasSize(2);
            for (int seed = 0; seed < 2; seed++) {
                JsonNode model = models.get(2 * v + seed);
                assertThat(model.get("seed").asInt()).isEqualTo(seed);
                assertThat(verdict.get("values").get(seed).asDouble())
                        .isEqualTo(model.get("gradientNormFallLog10").asDouble());
            }
            assertThat(verdict.get("verdict").asText()).isIn("reproduced", "not reproduced", "inconclusive");
        }
    }

    /** The phenomenon absent: with a learning rate of 1e-12 nothing trains, so the gradient norm cannot fall. */
    @Test
    void withoutTrainingTheFallIsNotReproduced(@TempDir Path dir) throws IOException {
        JsonNode verdicts = TensorFlowRun.of(new GradientNormExperiment(tiny().withSeeds(3).withLearningRate(1e-12)),
                dir.resolve("gradient-norm"), 3).summary().get("verdicts");
        assertThat(verdicts).hasSize(2);
        for (JsonNode v : verdicts) {
            assertThat(v.get("verdict").asText()).isNotEqualTo("reproduced");
            assertThat(Math.abs(v.get("mean").asDouble())).isLessThan(0.3);
        }
    }

    @Test
    void theFallComparesTheFirstAndLastTenthOfTheIterations() {
        double[] norms = new double[20];
        java.util.Arrays.fill(norms, 1);
        norms[0] = 10;
        norms[1] = 10;
        assertThat(GradientNormExperiment.fall(norms)).isCloseTo(1, within(1e-12));
        assertThat(GradientNormExperiment.fall(new double[] {2, 2, 2})).isCloseTo(0, within(1e-12));
    }

    @Test
    void summaryAgreesWithTheData() throws IOException {
        JsonNode s = run.summary();
        JsonNode models = s.get("models");
        assertThat(models.findValuesAsText("name")).containsExactly("mnist", "mnist", "function", "function");
        List<String> mnist = Files.readAllLines(run.out().resolve("mnist.csv"));
        String[] first = mnist.get(1).split(",");
        String[] last = mnist.get(12).split(",");
        assertThat(models.get(0).get("iterations").asInt()).isEqualTo(12);
        assertThat(models.get(0).get("firstLoss").asDouble()).isEqualTo(Double.parseDouble(first[3]));
        assertThat(models.get(0).get("finalGradientNorm").asDouble()).isEqualTo(Double.parseDouble(last[4]));
        assertThat(models.get(0).get("spec").asText()).startsWith("784-16-10");
        assertThat(models.get(0).get("testAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(models.get(2).get("spec").asText()).startsWith("1-").contains("mse");
        assertThat(models.get(2).get("parameters").asInt()).isBetween(990, 1010);
        assertThat(s.get("provenance").get("data").get("sizes").get("function").asInt()).isEqualTo(200);
        assertThat(run.result().keyNumbers()).containsKeys("mnist / final gradient norm", "function / final loss");
    }

    @Test
    void theMovingAverageIsCentred() {
        double[] avg = GradientNormExperiment.movingAverage(new double[] {1, 2, 3, 4, 5, 6}, 3);
        assertThat(avg).containsExactly(new double[] {1.5, 2, 3, 4, 5, 5.5}, within(1e-12));
        assertThat(GradientNormExperiment.movingAverage(new double[] {4, 8}, 1)).containsExactly(4, 8);
    }

    private static void assertIterations(String file, int iterations, int perEpoch) throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve(file));
        assertThat(lines.get(0)).isEqualTo("seed,iteration,epoch,loss,gradient_norm,loss_moving_average,"
                + "gradient_norm_moving_average");
        assertThat(lines).hasSize(1 + 2 * iterations);
        for (int r = 1; r <= 2 * iterations; r++) {
            int i = (r - 1) % iterations + 1;
            String[] row = lines.get(r).split(",");
            assertThat(row[0]).isEqualTo(Integer.toString((r - 1) / iterations));
            assertThat(row[1]).isEqualTo(Integer.toString(i));
            assertThat(row[2]).isEqualTo(Integer.toString((i - 1) / perEpoch + 1));
            assertThat(Double.parseDouble(row[3])).isPositive().isFinite();
            assertThat(Double.parseDouble(row[4])).isPositive().isFinite();
        }
    }
}
