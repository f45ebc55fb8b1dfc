package io.github.losslab.app.experiment.interpolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.trial.TrialResults;
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
 * {@code interpolation} at a tiny size on the real TensorFlow backend: the files, α = 0 and 1 are the models, and the
 * verdicts come from each seed's barrier, which a line from a model to itself does not have.
 */
class InterpolationExperimentTest {

    /**
     * A few seconds: a 784-16-10 MLP, each model trained on 400 samples until a training loss of 0.5 or 3 epochs,
     * 7 alphas from -1 to 2, 2 seeds.
     */
    static InterpolationExperiment.Settings tiny() {
        return new InterpolationExperiment.Settings(List.of(16, 128), List.of(1e-3, 1e-2), List.of(16),
                OptimizerKind.ADAM, 0.5, 3, 0, 400, 200, -1, 2, 7, 2);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new InterpolationExperiment(tiny()), dir.resolve("interpolation"), 3);
    }

    @Test
    void writesEveryFile() {
        run.assertWrote(List.of("batch-size.png", "batch-size.svg", "batch-size.csv", "learning-rate.png",
                "learning-rate.svg", "learning-rate.csv", "summary.json"));
        assertThat(run.printed()).contains("batch-size").contains("learning-rate");
    }

    @Test
    void everyTrainedModelOfEverySeedIsATrialWhoseResultIsKept() throws IOException {
        InterpolationExperiment experiment = new InterpolationExperiment(tiny());
        // the large batch first: it trains the longest
        assertThat(experiment.trialKeys()).containsExactly("batch-128-lr-0.001.seed-0", "batch-128-lr-0.001.seed-1",
                "batch-16-lr-0.001.seed-0", "batch-16-lr-0.001.seed-1", "batch-16-lr-0.01.seed-0",
                "batch-16-lr-0.01.seed-1");
        run.assertOneTrialFilePer(experiment.trialKeys());
    }

    @Test
    void withoutTheSharedFirstModelThereIsNoLineToInterpolate(@TempDir Path dir) {
        InterpolationExperiment experiment = new InterpolationExperiment(tiny());
        List<String> keys = experiment.trialKeys();
        TrialResults<InterpolationExperiment.Endpoint> diverged = new TrialResults<>(List.of(), keys, keys.size());
        ExperimentContext context = TensorFlowRun.context(dir);
        assertThatThrownBy(() -> experiment.reduce(diverged, context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trial batch-16-lr-0.001.seed-0 (the first model of both pairs) diverged");
    }

    @Test
    void alphaZeroAndOneGiveBackTheTrainedModelsOfEachSeedExactly() throws IOException {
        JsonNode models = run.summary().get("models");
        assertThat(models).hasSize(6);
        for (int seed = 0; seed < 2; seed++) {
            JsonNode base = models.get(seed);
            JsonNode otherBatch = models.get(2 + seed);
            JsonNode otherRate = models.get(4 + seed);
            assertThat(base.get("model").asText()).isEqualTo("batch 16, lr 0.001");
            assertThat(otherBatch.get("model").asText()).isEqualTo("batch 128, lr 0.001");
            assertThat(otherRate.get("model").asText()).isEqualTo("batch 16, lr 0.01");
            for (JsonNode m : List.of(base, otherBatch, otherRate)) {
                assertThat(m.get("seed").asInt()).isEqualTo(seed);
            }
            assertEndpoint("batch-size.csv", seed, 0.0, base);
            assertEndpoint("batch-size.csv", seed, 1.0, otherBatch);
            assertEndpoint("learning-rate.csv", seed, 0.0, base);
            assertEndpoint("learning-rate.csv", seed, 1.0, otherRate);
        }
        // the seeds differ: their own initial parameters and batch order
        assertThat(models.get(1).get("trainLoss").asDouble()).isNotEqualTo(models.get(0).get("trainLoss").asDouble());
    }

    /**
     * Every model trains until the same training loss, so that both ends of a line are minima of about the same
     * loss, or until the epoch cap, which the summary reports.
     */
    @Test
    void everyModelTrainsUntilTheTargetLossOrTheEpochCap() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("trainingTarget").asText()).isEqualTo("training loss ≤ 0.5 nats (at most 3 epochs)");
        int reached = 0;
        for (JsonNode m : s.get("models")) {
            JsonNode byEpoch = m.get("trainLossByEpoch");
            int epochs = m.get("epochs").asInt();
            assertThat(byEpoch).hasSize(epochs);
            double last = byEpoch.get(epochs - 1).asDouble();
            assertThat(last).isEqualTo(m.get("trainLoss").asDouble());
            if (m.get("reachedTarget").asBoolean()) {
                assertThat(last).isLessThanOrEqualTo(0.5);
                for (int e = 0; e < epochs - 1; e++) {
                    assertThat(byEpoch.get(e).asDouble()).isGreaterThan(0.5);
                }
                reached++;
            } else {
                assertThat(epochs).isEqualTo(3);
                assertThat(last).isGreaterThan(0.5);
            }
        }
        assertThat(reached).as("models that reached the target").isPositive();
        for (JsonNode pair : s.get("pairs")) {
            for (JsonNode seed : pair.get("seeds")) {
                assertThat(seed.get("firstEpochs").asInt()).isBetween(1, 3);
                assertThat(seed.get("secondEpochs").asInt()).isBetween(1, 3);
                assertThat(seed.has("firstReachedTarget")).isTrue();
            }
        }
    }

    @Test
    void theCsvHoldsEveryAlphaFromMinusOneToTwoForEverySeed() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("batch-size.csv"));
        assertThat(lines.get(0)).isEqualTo("seed,alpha,train_loss,train_accuracy,test_loss,test_accuracy");
        assertThat(lines).hasSize(1 + 2 * 7);
        assertThat(lines.get(1).split(",")[0]).isEqualTo("0");
        assertThat(Double.parseDouble(lines.get(1).split(",")[1])).isEqualTo(-1.0);
        assertThat(Double.parseDouble(lines.get(7).split(",")[1])).isEqualTo(2.0);
        assertThat(lines.get(8).split(",")[0]).isEqualTo("1");
        assertThat(Double.parseDouble(lines.get(8).split(",")[1])).isEqualTo(-1.0);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(Double.parseDouble(f[2])).isPositive();
            assertThat(Double.parseDouble(f[3])).isBetween(0.0, 1.0);
        }
    }

    @Test
    void summaryHoldsSettingsPairsAndProvenance() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("settings").get("batch-sizes").toString()).isEqualTo("[16,128]");
        assertThat(s.get("settings").get("alpha-points").asInt()).isEqualTo(7);
        assertThat(s.get("settings").get("seeds").asInt()).isEqualTo(2);
        assertThat(s.get("pairs")).hasSize(2);
        assertThat(s.get("pairs").get(0).get("seeds")).hasSize(2);
        assertThat(s.get("pairs").get(0).get("seeds").get(0).get("maxTrainLossBetween").asDouble()).isPositive();
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(3);
        assertThat(s.get("provenance").get("data").get("sizes").get("train").asInt()).isEqualTo(400);
        assertThat(s.get("provenance").get("data").get("sizes").get("test").asInt()).isEqualTo(200);
        assertThat(run.result().keyNumbers()).containsKey("batch-size / highest train loss between the models");
    }

    @Test
    void eachPairsVerdictComesFromEachSeedsBarrier() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("verdicts")).hasSize(2);
        for (int p = 0; p < 2; p++) {
            JsonNode verdict = s.get("verdicts").get(p);
            JsonNode seeds = s.get("pairs").get(p).get("seeds");
            assertThat(verdict.get("threshold").asDouble()).isEqualTo(Math.log10(1.01));
            assertThat(verdict.get("values")).hasSize(2);
            for (int seed = 0; seed < 2; seed++) {
                JsonNode line = seeds.get(seed);
                double expected = Math.log10(line.get("maxTrainLossBetween").asDouble()
                        / Math.max(line.get("trainLossAtAlpha0").asDouble(), line.get("trainLossAtAlpha1").asDouble()));
                assertThat(verdict.get("values").get(seed).asDouble()).isCloseTo(expected, within(1e-12));
                assertThat(line.get("barrierLog10").asDouble()).isCloseTo(expected, within(1e-12));
            }
        }
        assertThat(run.printed()).contains("interpolation batch-size: ").contains("interpolation learning-rate: ");
    }

    @Test
    void theBarrierIsTheHighestLossBetweenTheModelsOverTheHigherOfTheirs() {
        double[] alphas = {-1, 0, 0.25, 0.5, 0.75, 1, 2};
        // a bump to 4 between losses 1 and 2: log10(4 / 2)
        assertThat(InterpolationExperiment.barrier(alphas, new double[] {9, 1, 3, 4, 3, 2, 9}))
                .isCloseTo(Math.log10(2), within(1e-15));
        // falling monotonically from 2 to 1 (a point outside [0, 1] higher still does not count): below 0
        assertThat(InterpolationExperiment.barrier(alphas, new double[] {50, 2, 1.8, 1.5, 1.2, 1, 0.9}))
                .isCloseTo(Math.log10(1.8 / 2), within(1e-15));
        assertThat(InterpolationExperiment.barrier(alphas, new double[] {1, 1, 1, 1, 1, 1, 1})).isZero();
        assertThat(InterpolationExperiment.barrier(new double[] {0, 1}, new double[] {1, 2})).isNaN();
    }

    /**
     * The phenomenon absent: the line from each seed's first model to itself is flat, so no barrier separates the
     * "two" models and the claim is not reproduced, for both pairs.
     */
    @Test
    void theLineFromAModelToItselfHasNoBarrier(@TempDir Path dir) throws IOException {
        InterpolationExperiment experiment = new InterpolationExperiment(tiny());
        ExperimentContext context = TensorFlowRun.context(dir.resolve("interpolation"), 3);
        List<TrialResults.Trial<InterpolationExperiment.Endpoint>> same = new ArrayList<>();
        List<String> keys = experiment.trialKeys();
        InterpolationExperiment.Endpoint[] base = new InterpolationExperiment.Endpoint[2];
        for (int seed = 0; seed < 2; seed++) {
            base[seed] = experiment.runTrial("batch-16-lr-0.001.seed-" + seed, context);
        }
        for (int k = 0; k < keys.size(); k++) {
            same.add(new TrialResults.Trial<>(keys.get(k), k, base[k % 2], 0));
        }
        JsonNode verdicts = TensorFlowRun.reduce(experiment, new TrialResults<>(same, List.of(), keys.size()), context)
                .summary().get("verdicts");
        assertThat(verdicts).hasSize(2);
        for (JsonNode v : verdicts) {
            assertThat(v.get("mean").asDouble()).isCloseTo(0, within(1e-6));
            assertThat(v.get("verdict").asText()).isEqualTo("not reproduced");
        }
    }

    @Test
    void zeroAndOneAreAddedToAGridThatMissesThem() {
        InterpolationExperiment.Settings s = new InterpolationExperiment.Settings(List.of(64, 1024),
                List.of(1e-3, 1e-2), List.of(8), OptimizerKind.ADAM, 0.02, 1, 0, 0, 0, -1, 2, 5, 3);
        assertThat(s.alphas()).containsExactly(-1.0, -0.25, 0.0, 0.5, 1.0, 1.25, 2.0);
        assertThat(InterpolationExperiment.Settings.quick().alphas()).hasSize(25).contains(0.0, 1.0);
    }

    @Test
    void invalidSettingsNameTheKey() {
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64), List.of(1e-3, 1e-2), List.of(8),
                OptimizerKind.ADAM, 0.02, 1, 0, 0, 0, -1, 2, 31, 3))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("batchSizes");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 0.02, 1, 0, 0, 0, 2, -1, 31, 3))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("alphaTo");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 0.02, 1, 0, 0, 0, -1, 2, 31, 0))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("seeds");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 0, 1, 0, 0, 0, -1, 2, 31, 3))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("targetTrainLoss");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 0.02, 0, 0, 0, 0, -1, 2, 31, 3))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("maxEpochs");
        assertThatThrownBy(() -> new InterpolationExperiment.Settings(List.of(64, 1024), List.of(1e-3, 1e-2),
                List.of(8), OptimizerKind.ADAM, 0.02, 10, -1, 0, 0, -1, 2, 31, 3))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("plateauEpochs");
    }

    private static void assertEndpoint(String csv, int seed, double alpha, JsonNode model) throws IOException {
        String row = Files.readAllLines(run.out().resolve(csv)).stream().skip(1)
                .filter(l -> Integer.parseInt(l.split(",")[0]) == seed && Double.parseDouble(l.split(",")[1]) == alpha)
                .findFirst().orElseThrow();
        String[] f = row.split(",");
        assertThat(Double.parseDouble(f[2])).as("%s seed %s train loss at %s", csv, seed, alpha)
                .isEqualTo(model.get("trainLoss").asDouble());
        assertThat(Double.parseDouble(f[3])).isEqualTo(model.get("trainAccuracy").asDouble());
        assertThat(Double.parseDouble(f[4])).isEqualTo(model.get("testLoss").asDouble());
        assertThat(Double.parseDouble(f[5])).isEqualTo(model.get("testAccuracy").asDouble());
    }
}
