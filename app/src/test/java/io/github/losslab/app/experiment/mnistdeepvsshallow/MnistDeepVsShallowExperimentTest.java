package io.github.losslab.app.experiment.mnistdeepvsshallow;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.model.Activation;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
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
 * {@code mnist-deep-vs-shallow} at a tiny size on the real TensorFlow backend: files, budgets, curves, and the
 * verdicts, which untrained networks do not reproduce.
 */
class MnistDeepVsShallowExperimentTest {

    private static final int EPOCHS = 3;

    private static final int SEEDS = 2;

    /** 500 training digits, 3 epochs of batches of 20 (75 steps), 2 seeds: a few seconds. */
    static MnistDeepVsShallowExperiment.Settings tiny() {
        return MnistDeepVsShallowExperiment.Settings.quick().withTraining(500, EPOCHS, 20).withSeeds(SEEDS);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new MnistDeepVsShallowExperiment(tiny()), dir.resolve("mnist-deep-vs-shallow"), 5);
    }

    @Test
    void writesTwoFiguresPerFamilyTheirDataAndTheSummary() {
        run.assertWrote(List.of("dense-loss.png", "dense-loss.svg", "dense-accuracy.png", "dense-accuracy.svg",
                "cnn-loss.png", "cnn-loss.svg", "cnn-accuracy.png", "cnn-accuracy.svg", "history.csv",
                "summary.json"));
    }

    @Test
    void eachFamilySharesOneBudgetAndTheCountsArePrinted() throws IOException {
        JsonNode s = run.summary();
        JsonNode dense = s.get("budgets").get("dense");
        JsonNode cnn = s.get("budgets").get("cnn");
        assertThat(dense.get("parameters")).hasSize(3);
        assertThat(cnn.get("parameters")).hasSize(2);
        assertThat(spread(dense.get("parameters"))).isLessThanOrEqualTo(0.01)
                .isCloseTo(dense.get("spread").asDouble(), within(1e-12));
        assertThat(spread(cnn.get("parameters"))).isLessThanOrEqualTo(0.02)
                .isCloseTo(cnn.get("spread").asDouble(), within(1e-12));
        for (JsonNode m : s.get("models")) {
            assertThat(run.printed()).contains(String.format("%,d parameters", m.get("parameters").asInt()));
        }
        assertThat(run.printed()).contains("differ by");
        assertThat(s.get("models").findValuesAsText("model")).containsExactly("1 hidden layer", "1 hidden layer",
                "2 hidden layers", "2 hidden layers", "4 hidden layers", "4 hidden layers", "1 conv layer",
                "1 conv layer", "3 conv layers", "3 conv layers");
    }

    @Test
    void historyHoldsEveryModelsCurvesAndTheSummaryItsLastPoint() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("history.csv"));
        assertThat(lines.get(0)).isEqualTo("family,model,widths,parameters,seed,epoch,train_loss,train_accuracy,"
                + "test_loss,test_accuracy,mean_batch_loss");
        assertThat(lines).hasSize(1 + 5 * SEEDS * (EPOCHS + 1));
        JsonNode models = run.summary().get("models");
        for (int m = 0; m < 5 * SEEDS; m++) {
            String[] initial = lines.get(1 + m * (EPOCHS + 1)).split(",");
            String[] last = lines.get((m + 1) * (EPOCHS + 1)).split(",");
            assertThat(initial[4]).isEqualTo(Integer.toString(m % SEEDS));
            assertThat(initial[5]).isEqualTo("0");
            assertThat(last[5]).isEqualTo(Integer.toString(EPOCHS));
            // trained: the loss fell from about ln 10 and the accuracy rose well above chance
            assertThat(Double.parseDouble(last[6])).isLessThan(Double.parseDouble(initial[6]));
            assertThat(Double.parseDouble(last[7])).as(last[1]).isGreaterThan(0.3);
            JsonNode model = models.get(m);
            assertThat(model.get("status").asText()).isEqualTo("ok");
            assertThat(model.get("seed").asInt()).isEqualTo(m % SEEDS);
            assertThat(model.get("finalTrainLoss").asDouble()).isEqualTo(Double.parseDouble(last[6]));
            assertThat(model.get("finalTrainAccuracy").asDouble()).isEqualTo(Double.parseDouble(last[7]));
            assertThat(model.get("testAccuracy").asDouble()).isEqualTo(Double.parseDouble(last[9]));
        }
        // the key number is the mean test accuracy over the seeds
        for (int m = 0; m < 5 * SEEDS; m += SEEDS) {
            JsonNode model = models.get(m);
            assertThat(run.result().keyNumbers().get(model.get("family").asText() + " / " + model.get("model").asText()
                    + " / test accuracy")).isCloseTo((model.get("testAccuracy").asDouble()
                    + models.get(m + 1).get("testAccuracy").asDouble()) / 2, within(1e-12));
        }
        // the seeds differ: their own initial weights and batch order
        assertThat(models.get(1).get("finalTrainLoss").asDouble())
                .isNotEqualTo(models.get(0).get("finalTrainLoss").asDouble());
    }

    @Test
    void eachFamilysVerdictComesFromEachSeedsShallowAndDeepestTrainingLoss() throws IOException {
        JsonNode s = run.summary();
        JsonNode models = s.get("models");
        assertThat(s.get("verdicts")).hasSize(2);
        // models: dense depths 1, 2, 4 then CNN depths 1, 3, each over SEEDS seeds
        int[][] shallowAndDeep = {{0, 2 * SEEDS}, {3 * SEEDS, 4 * SEEDS}};
        String[] families = {"dense", "cnn"};
        for (int f = 0; f < 2; f++) {
            JsonNode verdict = s.get("verdicts").get(f);
            assertThat(verdict.get("claim").asText()).contains(f == 0 ? "dense family: 4 hidden layers vs 1 hidden "
                    + "layer" : "CNN family: 3 conv layers vs 1 conv layer");
            assertThat(verdict.get("threshold").asDouble()).isEqualTo(Math.log10(1.01));
            assertThat(verdict.get("values")).hasSize(SEEDS);
            JsonNode comparison = s.get("comparisons").get(families[f]);
            for (int seed = 0; seed < SEEDS; seed++) {
                double shallow = models.get(shallowAndDeep[f][0] + seed).get("finalTrainLoss").asDouble();
                double deep = models.get(shallowAndDeep[f][1] + seed).get("finalTrainLoss").asDouble();
                assertThat(verdict.get("values").get(seed).asDouble()).isCloseTo(Math.log10(shallow / deep),
                        within(1e-12));
                assertThat(comparison.get("seeds").get(seed).get("advantageLog10").asDouble())
                        .isEqualTo(verdict.get("values").get(seed).asDouble());
            }
        }
        assertThat(run.printed()).contains("mnist-deep-vs-shallow dense: ").contains("mnist-deep-vs-shallow cnn: ");
    }

    /**
     * The phenomenon nearly absent: with a learning rate of 1e-7 neither dense network learns, so both keep the loss
     * of their initialization (about ln 10) and the deeper one reaches no lower training loss, up to the spread of
     * the initial losses over the seeds (about 0.5%). A family of one depth has no verdict.
     */
    @Test
    void untrainedNetworksDoNotReproduceTheClaim(@TempDir Path dir) throws IOException {
        JsonNode verdicts = TensorFlowRun.of(new MnistDeepVsShallowExperiment(tiny().withDepths(List.of(1, 4),
                List.of(1)).withLearningRate(1e-7).withTraining(200, 1, 50).withSeeds(3)),
                dir.resolve("mnist-deep-vs-shallow"), 5).summary().get("verdicts");
        assertThat(verdicts).hasSize(1);
        JsonNode dense = verdicts.get(0);
        assertThat(dense.get("claim").asText()).contains("dense family");
        assertThat(Math.abs(dense.get("mean").asDouble())).isLessThan(Math.log10(1.01));
        assertThat(dense.get("verdict").asText()).as(dense.toString()).isNotEqualTo("reproduced");
    }

    /**
     * The phenomenon absent: a deepest network whose training is the shallow one's (equal depths, which the
     * settings refuse) fits the training set exactly as well, so the claim is not reproduced.
     */
    @Test
    void aDeepNetworkThatTrainsLikeTheShallowOneDoesNotReproduceTheClaim(@TempDir Path dir) throws IOException {
        MnistDeepVsShallowExperiment experiment = new MnistDeepVsShallowExperiment(tiny()
                .withDepths(List.of(1, 4), List.of(1)).withTraining(200, 1, 50).withSeeds(2));
        ExperimentContext context = TensorFlowRun.context(dir.resolve("mnist-deep-vs-shallow"), 5);
        List<TrialResults.Trial<MnistDeepVsShallowExperiment.ModelResult>> trials = new ArrayList<>();
        List<String> keys = experiment.trialKeys();
        for (int seed = 0; seed < 2; seed++) {
            MnistDeepVsShallowExperiment.ModelResult shallow = experiment.runTrial(keys.get(seed), context);
            trials.add(new TrialResults.Trial<>(keys.get(seed), seed, shallow, 0));
            trials.add(new TrialResults.Trial<>(keys.get(2 + seed), 2 + seed, new MnistDeepVsShallowExperiment
                    .ModelResult(shallow.family(), 4, seed, shallow.epochs(), shallow.trainLoss(),
                    shallow.trainAccuracy(), shallow.testLoss(), shallow.testAccuracy(), shallow.batchLoss(),
                    shallow.wallSeconds(), shallow.failure()), 0));
        }
        JsonNode dense = TensorFlowRun.reduce(experiment, new TrialResults<>(trials, List.of(), keys.size()), context)
                .summary().get("verdicts").get(0);
        assertThat(dense.get("mean").asDouble()).isZero();
        assertThat(dense.get("verdict").asText()).isEqualTo("not reproduced");
    }

    /**
     * The dense family trains on its own digits for its own epochs ({@code dense-train-samples},
     * {@code dense-epochs}), the CNNs on theirs, and the figures, the history and the summary say which.
     */
    @Test
    void theDenseFamilyTrainsOnItsOwnDigitsForItsOwnEpochs(@TempDir Path dir) throws IOException {
        TensorFlowRun apart = TensorFlowRun.of(new MnistDeepVsShallowExperiment(tiny().withDepths(List.of(1, 4),
                List.of(1)).withTraining(200, 1, 50).withDenseTraining(100, 3).withSeeds(1)),
                dir.resolve("mnist-deep-vs-shallow"), 5);
        JsonNode s = apart.summary();
        assertThat(s.get("settings").get("dense-train-samples").asInt()).isEqualTo(100);
        assertThat(s.get("settings").get("dense-epochs").asInt()).isEqualTo(3);
        assertThat(s.get("denseData").get("sizes").get("train").asInt()).isEqualTo(100);
        assertThat(s.get("provenance").get("data").get("sizes").get("train").asInt()).isEqualTo(200);
        for (JsonNode m : s.get("models")) {
            assertThat(m.get("epochs").asInt()).as(m.toString())
                    .isEqualTo(m.get("family").asText().equals("dense") ? 3 : 1);
        }
        assertThat(apart.printed()).contains("After 3 epochs on 100 MNIST digits");
        List<String> history = Files.readAllLines(apart.out().resolve("history.csv"));
        assertThat(history).hasSize(1 + 2 * (3 + 1) + (1 + 1));
    }

    /**
     * An advantage smaller than its spread: with fewer seeds than the full preset's, more seeds are the remedy; with
     * as many, the explanation says so no more, and says when neither network has fitted its training set.
     */
    @Test
    void anUncertainAdvantageIsExplainedByWhatWouldNarrowIt() {
        double[] advantages = {0.05, -0.03, 0.04, -0.02, 0.03}; // mean 0.014, above the 1% threshold; CI below it
        double[] losses = {0.225, 0.218};
        double[] underfit = {0.917, 0.918};
        String five = new MnistDeepVsShallowExperiment(tiny().withSeeds(5))
                .verdict("dense", 1, 4, advantages, losses, underfit, "60,000 digits").explanation();
        assertThat(five).contains("(training accuracy 91.7% and 91.8%)").contains("3 of 5 seeds show it")
                .contains("Neither network has fitted its training set").doesNotContain("more seeds");
        String fitted = new MnistDeepVsShallowExperiment(tiny().withSeeds(5))
                .verdict("dense", 1, 4, advantages, losses, new double[] {0.99, 0.995}, "60,000 digits")
                .explanation();
        assertThat(fitted).contains("3 of 5 seeds show it").doesNotContain("Neither network");
        String three = new MnistDeepVsShallowExperiment(tiny().withSeeds(3))
                .verdict("dense", 1, 4, new double[] {0.05, -0.03, 0.04}, losses, underfit, "60,000 digits")
                .explanation();
        assertThat(three).contains("more seeds (the full preset's 5) narrow it");
    }

    @Test
    void summaryHoldsSettingsAndProvenance() throws IOException {
        JsonNode s = run.summary();
        assertThat(s.get("settings").get("train-samples").asInt()).isEqualTo(500);
        assertThat(s.get("settings").get("dense-train-samples").asInt()).isEqualTo(500);
        assertThat(s.get("settings").get("cnn-conv-layers")).hasSize(2);
        JsonNode p = s.get("provenance");
        assertThat(p.get("seed").asLong()).isEqualTo(5);
        assertThat(p.get("data").get("sizes").get("train").asInt()).isEqualTo(500);
        assertThat(p.get("data").get("sizes").get("test").asInt()).isEqualTo(2000);
        assertThat(p.get("data").get("source").asText()).contains("bundled MNIST").contains("subset of 500");
    }

    @Test
    void trialsHoldOneResultPerModel() throws IOException {
        List<String> expected = new ArrayList<>();
        for (String model : List.of("dense-1-hidden-layer", "dense-2-hidden-layers", "dense-4-hidden-layers",
                "cnn-1-conv-layer", "cnn-3-conv-layers")) {
            for (int seed = 0; seed < SEEDS; seed++) {
                expected.add(model + ".seed-" + seed + ".json");
            }
        }
        assertThat(new MnistDeepVsShallowExperiment(tiny()).trialKeys().stream().map(k -> k + ".json"))
                .containsExactlyElementsOf(expected);
        run.assertOneTrialFilePer(new MnistDeepVsShallowExperiment(tiny()).trialKeys());
    }

    @Test
    void validationNamesTrainSamplesBeyondTheData() {
        MnistDeepVsShallowExperiment e = new MnistDeepVsShallowExperiment(tiny().withTraining(9_000, 1, 50));
        ExperimentContext context = TensorFlowRun.context(run.out().resolveSibling("unused"));
        assertThatThrownBy(() -> e.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("trainSamples").hasMessageContaining("8000");
        MnistDeepVsShallowExperiment big = new MnistDeepVsShallowExperiment(tiny().withTraining(100, 1, 200));
        assertThatThrownBy(() -> big.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("batchSize");
        MnistDeepVsShallowExperiment dense = new MnistDeepVsShallowExperiment(tiny().withDenseTraining(9_000, 1));
        assertThatThrownBy(() -> dense.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("denseTrainSamples").hasMessageContaining("8000");
        MnistDeepVsShallowExperiment denseBatch = new MnistDeepVsShallowExperiment(tiny().withDenseTraining(10, 1));
        assertThatThrownBy(() -> denseBatch.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("batchSize").hasMessageContaining("dense-train-samples");
    }

    @Test
    void modelsThatCannotBeBuiltAreRefusedBeforeTrainingNamingTheSetting() {
        int[] mnist = {28, 28, 1};
        new MnistDeepVsShallowExperiment(MnistDeepVsShallowExperiment.Settings.quick()).checkModels(mnist, 10);
        assertThatThrownBy(() -> experiment(50_890, 10_000, List.of(1, 8)).checkModels(mnist, 10))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("cnnParameterBudget must be an integer >= 25383 (the smallest CNN of 8 "
                        + "convolutional layers on 28×28×1 images), or fewer cnn-conv-layers");
        assertThatThrownBy(() -> experiment(50_890, 10, List.of(1, 3)).checkModels(mnist, 10))
                .hasMessageStartingWith("cnnParameterBudget must be an integer >= 149");
        assertThatThrownBy(() -> experiment(10, 10_000, List.of(1, 3)).checkModels(mnist, 10))
                .hasMessageStartingWith("denseParameterBudget must be an integer >= 811 (the smallest dense network "
                        + "of 4 hidden layers for 784 inputs and 10 classes)");
        assertThatThrownBy(() -> experiment(50_890, Limits.PARAMETERS, List.of(1, 14)).checkModels(mnist, 10))
                .hasMessageStartingWith("cnnConvLayers must be depths whose smallest CNN has at most "
                        + Limits.PARAMETERS + " parameters");
        // filters of 2^28 in the 29th layer: a kernel of more than 2^31 elements
        assertThatThrownBy(() -> experiment(50_890, 10_000, List.of(1, 30)))
                .hasMessageStartingWith("cnnConvLayers must be a list of integers in [1, " + Limits.CONV_LAYERS + "]");
    }

    private static MnistDeepVsShallowExperiment experiment(int dense, int cnn, List<Integer> convLayers) {
        return new MnistDeepVsShallowExperiment(new MnistDeepVsShallowExperiment.Settings(0, 0, dense, List.of(1, 2, 4),
                cnn, convLayers, Activation.RELU, OptimizerKind.ADAM, 0.001, 1, 1, 64, 3));
    }

    private static double spread(JsonNode counts) {
        List<Integer> c = new ArrayList<>();
        counts.forEach(n -> c.add(n.asInt()));
        int max = c.stream().max(Integer::compare).orElseThrow();
        int min = c.stream().min(Integer::compare).orElseThrow();
        return (max - min) / (double) max;
    }
}
