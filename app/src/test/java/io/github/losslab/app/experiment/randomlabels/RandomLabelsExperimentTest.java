package io.github.losslab.app.experiment.randomlabels;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.trial.TrialResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code random-labels} at a tiny size on the real TensorFlow backend: the labels are really random, a wide network
 * memorizes them later than the true ones while its test accuracy stays at chance, and the verdicts say so; a
 * network too small to memorize, and made-up results where the effects are absent, get other verdicts.
 */
class RandomLabelsExperimentTest {

    private static final int SAMPLES = 300;
    private static final int EPOCHS = 30;

    /** 300 digits, 784-256-10, 30 epochs of Adam on batches of 20, three seeds, true and random labels. */
    static RandomLabelsExperiment.Settings tiny() {
        return RandomLabelsExperiment.Settings.quick().withTraining(SAMPLES, List.of(256), EPOCHS, 20).withSeeds(3);
    }

    private static TensorFlowRun run;
    private static JsonNode summary;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new RandomLabelsExperiment(tiny()), dir.resolve("random-labels"), 13);
        summary = run.summary();
    }

    @Test
    void writesTheFigureItsDataTheLabelsAndTheSummary() {
        run.assertWrote(List.of("random-labels.png", "random-labels.svg", "history.csv", "labels.csv",
                "summary.json"));
    }

    @Test
    void theTrialsAreBothLabelKindsTimesTheSeedsAndTheirResultsAreKept() throws IOException {
        RandomLabelsExperiment experiment = new RandomLabelsExperiment(tiny());
        assertThat(experiment.trialKeys()).containsExactly("true.seed-0", "true.seed-1", "true.seed-2",
                "random.seed-0", "random.seed-1", "random.seed-2");
        run.assertOneTrialFilePer(experiment.trialKeys());
    }

    @Test
    void aboutNinetyPercentOfTheLabelsChangeEveryClassIsDrawnAndEachSeedDrawsItsOwn() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("labels.csv"));
        assertThat(lines.get(0)).isEqualTo("seed,sample,true_label,random_label");
        assertThat(lines).hasSize(1 + 3 * SAMPLES);
        List<String> randomOfSeed = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            int changed = 0;
            int[] counts = new int[10];
            StringBuilder random = new StringBuilder();
            for (String line : lines.subList(1 + seed * SAMPLES, 1 + (seed + 1) * SAMPLES)) {
                String[] row = line.split(",");
                assertThat(row[0]).isEqualTo(Integer.toString(seed));
                changed += row[2].equals(row[3]) ? 0 : 1;
                counts[Integer.parseInt(row[3])]++;
                random.append(row[3]);
            }
            randomOfSeed.add(random.toString());
            double fraction = changed / (double) SAMPLES;
            assertThat(fraction).isBetween(0.85, 0.95);
            assertThat(summary.get("labels").get("fractionChanged").get(seed).asDouble()).isEqualTo(fraction);
            for (int c : counts) {
                assertThat(c).isBetween(10, 60);
            }
        }
        assertThat(randomOfSeed).doesNotHaveDuplicates();
        assertThat(summary.get("labels").get("test").asText()).isEqualTo("true");
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
    void theNetworkMemorizesLaterThanTrueLabelsWhileTheTestAccuracyStaysAtChance() {
        JsonNode verdicts = summary.get("verdicts");
        assertThat(verdicts).hasSize(3);
        for (JsonNode v : verdicts) {
            assertThat(v.get("verdict").asText()).as(v.toString()).isEqualTo("reproduced");
            assertThat(v.get("values")).hasSize(3);
            assertThat(v.get("source").asText()).isEqualTo("Zhang et al. 2017");
        }
        JsonNode random = summary.get("final").get("random");
        JsonNode truth = summary.get("final").get("true");
        for (int s = 0; s < 3; s++) {
            assertThat(random.get("trainAccuracy").get(s).asDouble()).isGreaterThanOrEqualTo(0.9);
            assertThat(random.get("testAccuracy").get(s).asDouble()).isBetween(0.05, 0.15);
            assertThat(truth.get("testAccuracy").get(s).asDouble()).isGreaterThan(0.6);
            assertThat(verdicts.get(0).get("values").get(s).asDouble())
                    .isEqualTo(random.get("trainAccuracy").get(s).asDouble());
            assertThat(verdicts.get(1).get("values").get(s).asDouble())
                    .isEqualTo(random.get("epochsTo90PercentTrainAccuracy").get(s).asDouble()
                            - truth.get("epochsTo90PercentTrainAccuracy").get(s).asDouble());
        }
        assertThat(run.result().keyNumbers().get("final training accuracy (random labels)"))
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void historyStartsAtChanceAndHasEveryTrainingsEpochs() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("history.csv"));
        assertThat(lines.get(0)).isEqualTo("labels,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy");
        assertThat(lines).hasSize(1 + 6 * (EPOCHS + 1));
        String[] initial = lines.get(1).split(",");
        assertThat(initial[0]).isEqualTo("true");
        assertThat(Double.parseDouble(initial[3])).isBetween(2.0, 2.6);
        assertThat(summary.get("provenance").get("data").get("sizes").get("train").asInt()).isEqualTo(SAMPLES);
        assertThat(summary.get("provenance").get("data").get("sizes").get("test").asInt())
                .isEqualTo(BundledMnist.TEST_SIZE);
    }

    /** The effect absent: 784-4-10 cannot memorize 300 random labels; the memorization is not reproduced. */
    @Test
    void aNetworkTooSmallToMemorizeDoesNotReproduceMemorization(@TempDir Path dir) throws IOException {
        RandomLabelsExperiment.Settings small = tiny().withTraining(SAMPLES, List.of(4), 8, 20);
        JsonNode verdicts = TensorFlowRun.of(new RandomLabelsExperiment(small), dir.resolve("random-labels"), 13)
                .summary().get("verdicts");
        assertThat(verdicts.get(0).get("verdict").asText()).isEqualTo("not reproduced");
        assertThat(verdicts.get(0).get("ci95High").asDouble()).isLessThan(0.5);
        assertThat(verdicts.get(1).get("verdict").asText()).isNotEqualTo("reproduced");
    }

    /**
     * The effects absent in made-up results, through the real reduce step: random labels fitted before the true
     * ones, and a random-label model at 50% test accuracy, far from chance.
     */
    @Test
    void resultsWithoutTheEffectsGetNotReproduced(@TempDir Path dir) throws IOException {
        RandomLabelsExperiment experiment = new RandomLabelsExperiment(tiny());
        List<TrialResults.Trial<RandomLabelsExperiment.History>> made = new ArrayList<>();
        int index = 0;
        for (String key : experiment.trialKeys()) {
            boolean random = key.startsWith("random");
            int seed = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
            // random labels reach 90% at epoch 1 + seed, true ones two epochs later
            double[] train = new double[EPOCHS + 1];
            for (int e = 0; e <= EPOCHS; e++) {
                train[e] = e >= (random ? 1 + seed : 3 + seed) ? 0.95 : 0.5;
            }
            double[] test = new double[EPOCHS + 1];
            Arrays.fill(test, random ? 0.5 : 0.9);
            double[] loss = new double[EPOCHS + 1];
            Arrays.fill(loss, 1.0);
            int[] epochs = new int[EPOCHS + 1];
            Arrays.setAll(epochs, e -> e);
            made.add(new TrialResults.Trial<>(key, index++, new RandomLabelsExperiment.History(random ? "random"
                    : "true", seed, epochs, loss, train, loss, test, 1.0), 1.0));
        }
        JsonNode verdicts = TensorFlowRun.reduce(experiment, new TrialResults<>(made, List.of(), made.size()),
                TensorFlowRun.context(dir.resolve("random-labels"), 13)).summary().get("verdicts");
        assertThat(verdicts.get(0).get("verdict").asText()).isEqualTo("reproduced");
        assertThat(verdicts.get(1).get("verdict").asText()).isEqualTo("not reproduced");
        assertThat(verdicts.get(1).get("mean").asDouble()).isEqualTo(-2.0);
        assertThat(verdicts.get(2).get("verdict").asText()).isEqualTo("not reproduced");
        assertThat(verdicts.get(2).get("mean").asDouble()).isCloseTo(0.4, within(1e-12));
    }
}
