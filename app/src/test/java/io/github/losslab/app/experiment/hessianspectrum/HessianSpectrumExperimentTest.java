package io.github.losslab.app.experiment.hessianspectrum;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * {@code hessian-spectrum} at a tiny size on the real TensorFlow backend: a 784-16-10 MLP trained on 600 digits,
 * its Hessian on 200, two seeds. What its figures claim: after training the top eigenvalues end in a gap after
 * about C of them, at initialization they do not; and the statistic's closed form on made-up spectra.
 */
class HessianSpectrumExperimentTest {

    static HessianSpectrumExperiment.Settings tiny() {
        return HessianSpectrumExperiment.Settings.quick().withSize(List.of(16), 600, 15, 200).withSpectra(14, 2, 30)
                .withSeeds(2);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new HessianSpectrumExperiment(tiny()), dir.resolve("hessian-spectrum"), 5);
    }

    @Test
    void writesItsFiguresAndTheirData() {
        run.assertWrote(List.of("density.png", "density.svg", "top-eigenvalues.png", "top-eigenvalues.svg",
                "density.csv", "eigenvalues.csv", "summary.json"));
    }

    /** After training: about C outliers above the widest gap, the verdict's values the per-seed statistics. */
    @Test
    void afterTrainingTheWidestGapFollowsAboutAsManyOutliersAsClasses() throws IOException {
        JsonNode s = run.summary();
        JsonNode verdict = s.get("verdicts").get(0);
        JsonNode seeds = s.get("seeds");
        assertThat(seeds).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode trained = seeds.get(i).get("trained");
            assertThat(trained.get("outliers").asInt()).isBetween(8, 11);
            assertThat(trained.get("gapStatistic").asDouble()).isPositive()
                    .isEqualTo(verdict.get("values").get(i).asDouble());
            assertThat(trained.get("trainAccuracy").asDouble()).isGreaterThan(0.9);
            JsonNode initial = seeds.get(i).get("initial");
            assertThat(initial.get("gapStatistic").asDouble()).isLessThan(trained.get("gapStatistic").asDouble());
            // the blocks of a partition: their traces add up to the whole Hessian's, within the probes' error
            JsonNode blocks = trained.get("blocks");
            assertThat(blocks.get("all").get("parameters").asInt()).isEqualTo(784 * 16 + 16 + 16 * 10 + 10);
            assertThat(blocks.get("layer0").get("parameters").asInt() + blocks.get("layer1").get("parameters")
                    .asInt()).isEqualTo(blocks.get("all").get("parameters").asInt());
        }
        assertThat(verdict.get("verdict").asText()).isIn("reproduced", "inconclusive");
    }

    /** The density table holds each block's two curves on one grid, each integrating to about 1. */
    @Test
    void eachDensityOfTheTableHoldsItsMass() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("density.csv"));
        assertThat(lines.get(0)).isEqualTo("block,parameters,stage,eigenvalue,density_mean,density_sd,seeds");
        int points = HessianSpectrumExperiment.DENSITY_POINTS;
        assertThat(lines).hasSize(1 + 3 * 2 * points);
        for (int curve = 0; curve < 6; curve++) {
            double mass = 0;
            double h = Double.parseDouble(lines.get(2 + curve * points).split(",")[3])
                    - Double.parseDouble(lines.get(1 + curve * points).split(",")[3]);
            for (int i = 0; i < points; i++) {
                mass += Double.parseDouble(lines.get(1 + curve * points + i).split(",")[4]) * h;
            }
            assertThat(mass).as("curve %d", curve).isCloseTo(1, within(1e-6));
        }
    }

    /**
     * The phenomenon absent: with a learning rate of 1e-12 nothing trains, so the "trained" model is the one at
     * initialization, whose top eigenvalues decay without a gap at the class count.
     */
    @Test
    void withoutTrainingTheOutliersAreNotReproduced(@TempDir Path dir) throws IOException {
        TensorFlowRun still = TensorFlowRun.of(new HessianSpectrumExperiment(tiny().withSeeds(3)
                .withLearningRate(1e-12)), dir.resolve("hessian-spectrum"), 5);
        JsonNode verdict = still.summary().get("verdicts").get(0);
        assertThat(verdict.get("verdict").asText()).isNotEqualTo("reproduced");
        assertThat(verdict.get("mean").asDouble()).isLessThan(0);
    }

    /** The statistic on made-up spectra: nine outliers over a smooth bulk, and a smooth decay. */
    @Test
    void theGapStatisticComparesTheGapAtTheClassCountWithTheOthers() {
        double[] nine = {9, 8, 7, 6, 5.5, 5, 4.5, 4, 3.6, 0.9, 0.8, 0.7, 0.6};
        HessianSpectrumExperiment.Gap g = HessianSpectrumExperiment.gap(nine, 10);
        assertThat(g.outliers()).isEqualTo(9);
        assertThat(g.atClasses()).isCloseTo(4, within(1e-12));
        assertThat(g.elsewhere()).isCloseTo(7.0 / 6, within(1e-12));
        assertThat(g.statistic()).isCloseTo(Math.log10(4 / (7.0 / 6)), within(1e-12));

        double[] smooth = new double[20];
        for (int k = 0; k < 20; k++) {
            smooth[k] = Math.pow(0.9, k) * (k == 2 ? 0.95 : 1);
        }
        HessianSpectrumExperiment.Gap s = HessianSpectrumExperiment.gap(smooth, 10);
        assertThat(s.outliers()).isEqualTo(2);
        assertThat(s.statistic()).isNegative();
        // ratios to non-positive eigenvalues are left out
        assertThat(HessianSpectrumExperiment.gap(new double[] {5, 4, 3, 2, 1, 0.5, 0.25, 0.2, 0.1, 0.01, -1, -2},
                10).outliers()).isEqualTo(9);
    }
}
