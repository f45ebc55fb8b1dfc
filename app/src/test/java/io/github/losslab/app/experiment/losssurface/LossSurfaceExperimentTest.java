package io.github.losslab.app.experiment.losssurface;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
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

/** {@code loss-surface} at a tiny size on the real TensorFlow backend: the files, and the centre is the model. */
class LossSurfaceExperimentTest {

    /**
     * A few seconds: a 784-8-10 MLP, 3 epochs of 300 samples, the last at a tenth of the learning rate; 5 x 5 planes
     * on 100 samples; 2 seeds.
     */
    static LossSurfaceExperiment.Settings tiny() {
        return new LossSurfaceExperiment.Settings(List.of(8), OptimizerKind.SGD, 0.1, 0.01, 32, 3, 1, 300, 100, 5, 1.0,
                2);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new LossSurfaceExperiment(tiny()), dir.resolve("loss-surface"), 13);
    }

    @Test
    void aTrajectoryAlongALineHasNoPrincipalPlane() {
        // differences from the trained model along one direction, and differences that are all 0
        double[] v = new double[500];
        for (int k = 0; k < v.length; k++) {
            v[k] = Math.sin(k) + 0.1;
        }
        List<double[]> line = new ArrayList<>();
        List<double[]> still = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            double[] d = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                d[k] = (3 - e) * 0.01 * v[k];
            }
            line.add(d);
            still.add(new double[v.length]);
        }
        assertThatThrownBy(() -> LossSurfaceExperiment.principalPlane(line)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the training trajectory has no principal plane")
                .hasMessageContaining("(rank 1)");
        assertThatThrownBy(() -> LossSurfaceExperiment.principalPlane(still))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("all equal (rank 0)");
    }

    @Test
    void theTrainingAndItsSurfaceAreOneTrialPerSeedAndItsResultIsKept() throws IOException {
        LossSurfaceExperiment experiment = new LossSurfaceExperiment(tiny());
        assertThat(experiment.trialKeys()).containsExactly("surface.seed-0", "surface.seed-1");
        run.assertOneTrialFilePer(experiment.trialKeys());
    }

    /** Two epochs at the learning rate, then one at a tenth of it: one model, its trajectory over all three. */
    @Test
    void theLastEpochsRunAtATenthOfTheLearningRateOnTheSameTrajectory() throws IOException {
        JsonNode s = run.summary();
        JsonNode model = s.get("model");
        assertThat(model.get("epochs").asInt()).isEqualTo(3);
        assertThat(model.get("optimizer").asText()).contains("lr=0.1)").contains(", then ").contains("lr=0.01)");
        assertThat(model.get("learningRate").asDouble()).isEqualTo(0.1);
        assertThat(s.get("pcaPlane").get("trajectoryPoints").asInt()).isEqualTo(4); // the start and every epoch
    }

    @Test
    void writesEveryFile() {
        run.assertWrote(List.of("random-plane.png", "random-plane.svg", "random-plane.csv", "pca-plane.png",
                "pca-plane.svg", "pca-plane.csv", "trajectory.csv", "summary.json"));
    }

    @Test
    void theCentreOfEachPlaneIsTheTrainedModelsLoss() throws IOException {
        JsonNode s = run.summary();
        double model = s.get("modelLoss").asDouble();
        assertThat(model).isPositive();
        assertThat(s.get("randomPlane").get("centreLoss").asDouble()).isEqualTo(model);
        assertThat(s.get("pcaPlane").get("centreLoss").asDouble()).isEqualTo(model);
        String centre = Files.readAllLines(run.out().resolve("random-plane.csv")).stream().skip(1)
                .filter(l -> l.startsWith("0.0,0.0,")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(centre.split(",")[2])).isEqualTo(model);
        assertThat(s.get("randomPlane").get("minLoss").asDouble()).isLessThanOrEqualTo(model);
    }

    @Test
    void theTrajectoryEndsAtTheCentreWithTheModelsLoss() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("trajectory.csv"));
        assertThat(lines.get(0)).isEqualTo("epoch,pc1,pc2,loss");
        assertThat(lines).hasSize(1 + 4);
        String[] last = lines.get(4).split(",");
        assertThat(Double.parseDouble(last[1])).isEqualTo(0.0);
        assertThat(Double.parseDouble(last[2])).isEqualTo(0.0);
        assertThat(Double.parseDouble(last[3])).isEqualTo(run.summary().get("modelLoss").asDouble());
        String[] first = lines.get(1).split(",");
        assertThat(Double.parseDouble(first[3])).as("the untrained model's loss").isGreaterThan(
                Double.parseDouble(last[3]));
    }

    @Test
    void gridsAndSummaryMatchTheSettings() throws IOException {
        assertThat(Files.readAllLines(run.out().resolve("random-plane.csv"))).hasSize(1 + 25);
        assertThat(Files.readAllLines(run.out().resolve("pca-plane.csv"))).hasSize(1 + 25);
        JsonNode s = run.summary();
        assertThat(s.get("randomPlane").get("xRange").toString()).isEqualTo("[-1.0,1.0]");
        double explained = s.get("pcaPlane").get("explainedVarianceRatio").get(0).asDouble()
                + s.get("pcaPlane").get("explainedVarianceRatio").get(1).asDouble();
        assertThat(explained).isBetween(0.5, 1.0 + 1e-9);
        assertThat(s.get("settings").get("grid-points").asInt()).isEqualTo(5);
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(13);
    }

    @Test
    void theVerdictComesFromEachSeedsPrincipalPlane() throws IOException {
        JsonNode s = run.summary();
        JsonNode verdict = s.get("verdicts").get(0);
        assertThat(verdict.get("values")).hasSize(2);
        assertThat(verdict.get("values").get(0).asDouble()).isEqualTo(
                s.get("seeds").get(0).get("pcaLog10BorderMinOverCentre").asDouble());
        double centre = s.get("pcaPlane").get("centreLoss").asDouble();
        double border = Double.POSITIVE_INFINITY;
        List<String> rows = Files.readAllLines(run.out().resolve("pca-plane.csv"));
        for (int r = 1; r < rows.size(); r++) {
            int i = (r - 1) % 5;
            int j = (r - 1) / 5;
            if (i == 0 || i == 4 || j == 0 || j == 4) {
                border = Math.min(border, Double.parseDouble(rows.get(r).split(",")[2]));
            }
        }
        assertThat(verdict.get("values").get(0).asDouble()).isCloseTo(Math.log10(border / centre),
                org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void theBorderMinimumReadsOnlyTheBorder() {
        double[][] grid = {{5, 6, 7}, {8, 0.5, 9}, {4, 3, 2}};
        assertThat(LossSurfaceExperiment.borderMin(grid)).isEqualTo(2);
        assertThat(LossSurfaceExperiment.centreBelowBorder(new LossSurfaceExperiment.Plane(new double[3],
                new double[3], grid, 0.2))).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
    }

    /**
     * The phenomenon absent: a model trained with a learning rate 100 times smaller for 2 epochs has hardly left its
     * initialization; the loss still falls past it along the trajectory, so it is no minimum of the principal plane,
     * and no clear one of the random plane.
     */
    @Test
    void anUntrainedModelIsNoMinimum(@TempDir Path dir) throws IOException {
        JsonNode summary = TensorFlowRun.of(new LossSurfaceExperiment(new LossSurfaceExperiment.Settings(List.of(8),
                OptimizerKind.SGD, 1e-3, 0.01, 32, 2, 0, 300, 100, 5, 1.0, 3)), dir.resolve("loss-surface"), 13)
                .summary();
        JsonNode verdicts = summary.get("verdicts");
        assertThat(verdicts).hasSize(2);
        for (JsonNode verdict : verdicts) {
            assertThat(verdict.get("verdict").asText()).as(verdict.toString()).isNotEqualTo("reproduced");
        }
        assertThat(verdicts.get(0).get("mean").asDouble()).isNegative();
    }

    /**
     * The phenomenon absent for want of weight decay: without it the cross-entropy of a training set the network
     * fits keeps falling as the weights grow along the direction training moved in, so a model trained for 20 epochs
     * (about 200 steps) is still no minimum of the principal plane, however well it fits.
     */
    @Test
    void withoutWeightDecayAFittedModelIsNoMinimumOfThePrincipalPlane(@TempDir Path dir) throws IOException {
        JsonNode summary = TensorFlowRun.of(new LossSurfaceExperiment(new LossSurfaceExperiment.Settings(List.of(8),
                OptimizerKind.SGD, 0.1, 0, 32, 20, 0, 300, 100, 5, 1.0, 3)), dir.resolve("loss-surface"), 13)
                .summary();
        JsonNode principal = summary.get("verdicts").get(0);
        assertThat(principal.get("verdict").asText()).as(principal.toString()).isEqualTo("not reproduced");
        assertThat(principal.get("explanation").asText()).contains("Without weight decay");
        assertThat(summary.get("surface").asText()).contains("training loss (cross-entropy, nats)");
    }

    /** The weight decay is applied in as few steps at once as keep each shrink within 1%. */
    @Test
    void theWeightDecayShrinksAtMostOnePercentAtOnce() {
        assertThat(LossSurfaceExperiment.decaySteps(0.1 * 0.02)).isEqualTo(5);
        assertThat(Math.pow(1 - 0.002, 5)).isGreaterThanOrEqualTo(0.99);
        assertThat(Math.pow(1 - 0.002, 6)).isLessThan(0.99);
        assertThat(LossSurfaceExperiment.decaySteps(0.5)).isEqualTo(1);
    }

    @Test
    void thePenaltyIsHalfTheWeightDecayTimesTheSquaredNormOfThePoint() {
        double[] theta = {1, 2};
        // theta + 1 * (1, 0) - 1 * (0, 1) = (2, 1), squared norm 5
        assertThat(LossSurfaceExperiment.penalty(0.5, theta, new double[] {1, 0}, new double[] {0, 1}, 1, -1))
                .isEqualTo(1.25);
        assertThat(LossSurfaceExperiment.penalty(0.5, theta, null, null, 0, 0)).isEqualTo(1.25);
        assertThat(LossSurfaceExperiment.penalty(0, theta, null, null, 0, 0)).isZero();
    }

    @Test
    void weightDecayNeedsSgd() {
        assertThatThrownBy(() -> new LossSurfaceExperiment.Settings(List.of(8), OptimizerKind.ADAM, 0.001, 0.01, 32,
                3, 0, 300, 100, 5, 1.0, 2)).hasMessageContaining("weightDecay").hasMessageContaining("sgd");
        assertThatThrownBy(() -> tiny().withDecayEpochs(3)).hasMessageContaining("decayEpochs");
        assertThat(tiny().withWeightDecay(0).weightDecay()).isZero();
    }
}
