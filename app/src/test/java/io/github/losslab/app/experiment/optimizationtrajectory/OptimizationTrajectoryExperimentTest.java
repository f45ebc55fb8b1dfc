package io.github.losslab.app.experiment.optimizationtrajectory;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.analysis.trajectory.TrajectoryPca;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;
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
import static org.assertj.core.api.Assertions.within;

/**
 * {@code optimization-trajectory} at a tiny size on the real TensorFlow backend: the coordinates in the files are
 * those of ONE PCA fitted on the snapshots of all runs, not of one PCA per run.
 */
class OptimizationTrajectoryExperimentTest {

    private static final int RUNS = 3;
    private static final int EPOCHS = 4;
    private static final int EVERY = 2;
    private static final int PER_RUN = EPOCHS / EVERY + 1;

    /** 3 runs of 784-16-8-10 on 300 digits, 4 epochs, a snapshot every 2: 9 snapshots in a few seconds. */
    static OptimizationTrajectoryExperiment.Settings tiny() {
        return OptimizationTrajectoryExperiment.Settings.quick().withHiddenWidths(List.of(16, 8))
                .withTraining(300, RUNS, EPOCHS, EVERY);
    }

    private static Path out;
    private static OptimizationTrajectoryExperiment.Outcome outcome;
    private static List<String[]> rows;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        out = dir.resolve("optimization-trajectory");
        outcome = new OptimizationTrajectoryExperiment(tiny()).execute(TensorFlowRun.context(out, 11));
        List<String> lines = Files.readAllLines(out.resolve("trajectory.csv"));
        assertThat(lines.get(0)).isEqualTo("run,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,"
                + "first_layer_pc1,first_layer_pc2,whole_model_pc1,whole_model_pc2");
        rows = new ArrayList<>();
        lines.subList(1, lines.size()).forEach(l -> rows.add(l.split(",")));
    }

    @Test
    void writesBothFiguresTheirDataAndTheSummary() {
        for (String file : List.of("first-layer.png", "first-layer.svg", "whole-model.png", "whole-model.svg",
                "trajectory.csv", "summary.json")) {
            assertThat(out.resolve(file)).isRegularFile();
            assertThat(outcome.result().files()).contains(out.resolve(file));
        }
    }

    @Test
    void everyRunIsOneTrialWithItsOwnResultFile() throws IOException {
        List<String> keys = new OptimizationTrajectoryExperiment(tiny()).trialKeys();
        assertThat(keys).containsExactly("run-1", "run-2", "run-3");
        try (Stream<Path> files = Files.list(out.resolve("trials"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> k + ".json").toList());
        }
    }

    @Test
    void everyRunHasItsSnapshotsFromTheStartEveryFewEpochs() {
        assertThat(rows).hasSize(RUNS * PER_RUN);
        assertThat(outcome.snapshots()).hasSize(RUNS * PER_RUN);
        List<String> seeds = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            for (int i = 0; i < PER_RUN; i++) {
                String[] row = rows.get(r * PER_RUN + i);
                assertThat(row[0]).isEqualTo(Integer.toString(r + 1));
                assertThat(row[2]).isEqualTo(Integer.toString(i * EVERY));
            }
            seeds.add(rows.get(r * PER_RUN)[1]);
        }
        assertThat(seeds).doesNotHaveDuplicates();
        // training moved the weights and raised the accuracy
        assertThat(Double.parseDouble(rows.get(PER_RUN - 1)[4])).isGreaterThan(Double.parseDouble(rows.get(0)[4]));
    }

    @Test
    void coordinatesComeFromOneJointFitOfAllSnapshots() {
        int firstLayer = 784 * 16 + 16;
        List<double[]> whole = new ArrayList<>();
        List<double[]> first = new ArrayList<>();
        for (OptimizationTrajectoryExperiment.Snapshot s : outcome.snapshots()) {
            whole.add(s.parameters());
            first.add(java.util.Arrays.copyOf(s.parameters(), firstLayer));
        }
        assertThat(first.get(0)).hasSize(outcome.spec().layout().segment("layer0/kernel").size() + 16);
        TrajectoryPca wholeFit = TrajectoryPca.fit(whole, 2);
        TrajectoryPca firstFit = TrajectoryPca.fit(first, 2);
        for (int i = 0; i < rows.size(); i++) {
            double[] w = wholeFit.project(whole.get(i));
            double[] f = firstFit.project(first.get(i));
            String[] row = rows.get(i);
            assertThat(Double.parseDouble(row[7])).isCloseTo(f[0], within(1e-9 * (1 + Math.abs(f[0]))));
            assertThat(Double.parseDouble(row[8])).isCloseTo(f[1], within(1e-9 * (1 + Math.abs(f[1]))));
            assertThat(Double.parseDouble(row[9])).isCloseTo(w[0], within(1e-9 * (1 + Math.abs(w[0]))));
            assertThat(Double.parseDouble(row[10])).isCloseTo(w[1], within(1e-9 * (1 + Math.abs(w[1]))));
        }
    }

    @Test
    void aPcaPerRunWouldGiveOtherCoordinates() {
        // a joint fit centres all snapshots together: the mean over all of them is 0, over one run it is not
        double all = 0;
        double largestRunMean = 0;
        double spread = 0;
        for (int r = 0; r < RUNS; r++) {
            double run = 0;
            for (int i = 0; i < PER_RUN; i++) {
                double x = Double.parseDouble(rows.get(r * PER_RUN + i)[9]);
                run += x / PER_RUN;
                all += x / rows.size();
                spread = Math.max(spread, Math.abs(x));
            }
            largestRunMean = Math.max(largestRunMean, Math.abs(run));
        }
        assertThat(Math.abs(all)).isLessThan(1e-9 * spread);
        assertThat(largestRunMean).isGreaterThan(0.05 * spread);
        // and a PCA of run 1 alone puts run 1's first snapshot elsewhere
        List<double[]> run1 = new ArrayList<>();
        for (int i = 0; i < PER_RUN; i++) {
            run1.add(outcome.snapshots().get(i).parameters());
        }
        double[] alone = TrajectoryPca.fit(run1, 2).project(run1.get(0));
        double[] joint = {Double.parseDouble(rows.get(0)[9]), Double.parseDouble(rows.get(0)[10])};
        assertThat(Math.hypot(alone[0] - joint[0], alone[1] - joint[1])).isGreaterThan(0.05 * spread);
    }

    @Test
    void snapshotsOnALineHaveNoPrincipalPlane() {
        // five snapshots on the line from run 1's start to its end: a plane's second axis would be rounding noise
        double[] start = outcome.snapshots().get(0).parameters();
        double[] end = outcome.snapshots().get(PER_RUN - 1).parameters();
        List<OptimizationTrajectoryExperiment.Snapshot> line = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double[] p = new double[start.length];
            for (int j = 0; j < p.length; j++) {
                p[j] = start[j] + 0.25 * i * (end[j] - start[j]);
            }
            line.add(new OptimizationTrajectoryExperiment.Snapshot(1, 0, i, p, 0, 0, 0, 0));
        }
        assertThatThrownBy(() -> OptimizationTrajectoryExperiment.project("whole-model", outcome.spec().layout(),
                line, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the whole-model parameters have no principal plane")
                .hasMessageContaining("span only 1 direction beyond rounding error (rank 1)");
    }

    @Test
    void summaryHoldsTheVarianceOfTheJointFitAndEveryRun() throws IOException {
        JsonNode s = OutputWriter.json().readTree(out.resolve("summary.json").toFile());
        assertThat(s.get("snapshots").asInt()).isEqualTo(RUNS * PER_RUN);
        assertThat(s.get("runs")).hasSize(RUNS);
        JsonNode projections = s.get("projections");
        assertThat(projections.findValuesAsText("part")).containsExactly("first-layer", "whole-model");
        for (int p = 0; p < 2; p++) {
            double[] expected = outcome.projections().get(p).pca().explainedVarianceRatio();
            assertThat(projections.get(p).get("explainedVarianceRatio").get(0).asDouble()).isEqualTo(expected[0]);
            assertThat(projections.get(p).get("fit").asText()).contains("one PCA on all 9 snapshots");
        }
        assertThat(projections.get(0).get("parameters").asInt()).isEqualTo(784 * 16 + 16);
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(11);
    }

    @Test
    void refusesSettingsWithTooFewSnapshotsForA2dPca() {
        assertThatThrownBy(() -> tiny().withTraining(300, 1, 3, 3)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("runs");
    }

    @Test
    void theVerdictIsTheRunsSeparation() throws IOException {
        JsonNode s = OutputWriter.json().readTree(out.resolve("summary.json").toFile());
        JsonNode verdict = s.get("verdicts").get(0);
        assertThat(verdict.get("values")).hasSize(RUNS);
        assertThat(verdict.get("threshold").asDouble()).isEqualTo(1.0);
        double[] expected = OptimizationTrajectoryExperiment.separation(outcome.snapshots());
        for (int r = 0; r < RUNS; r++) {
            assertThat(verdict.get("values").get(r).asDouble()).isEqualTo(expected[r]).isPositive();
            assertThat(s.get("runs").get(r).get("separation").asDouble()).isEqualTo(expected[r]);
        }
    }

    /**
     * The phenomenon absent: three runs from the same seed (the first run's trajectory, which a deterministic
     * backend reproduces exactly) end at one point, so their separation is 0 and the claim is not reproduced.
     */
    @Test
    void runsFromOneSeedEndTogether(@TempDir Path dir) throws IOException {
        OptimizationTrajectoryExperiment experiment = new OptimizationTrajectoryExperiment(tiny());
        List<OptimizationTrajectoryExperiment.Snapshot> first = outcome.snapshots().stream()
                .filter(x -> x.run() == 1).toList();
        List<TrialResults.Trial<OptimizationTrajectoryExperiment.Trajectory>> same = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            int r = run;
            List<OptimizationTrajectoryExperiment.Snapshot> copy = first.stream()
                    .map(x -> new OptimizationTrajectoryExperiment.Snapshot(r, x.seed(), x.epoch(), x.parameters(),
                            x.trainLoss(), x.trainAccuracy(), x.testLoss(), x.testAccuracy())).toList();
            same.add(new TrialResults.Trial<>(OptimizationTrajectoryExperiment.key(run), run - 1,
                    new OptimizationTrajectoryExperiment.Trajectory(run, first.get(0).seed(), copy), 0));
        }
        JsonNode verdict = TensorFlowRun.reduce(experiment, new TrialResults<>(same, List.of(), RUNS),
                TensorFlowRun.context(dir.resolve("optimization-trajectory"), 11)).summary().get("verdicts").get(0);
        assertThat(verdict.get("verdict").asText()).isEqualTo("not reproduced");
        assertThat(verdict.get("mean").asDouble()).isEqualTo(0.0);
    }
}
