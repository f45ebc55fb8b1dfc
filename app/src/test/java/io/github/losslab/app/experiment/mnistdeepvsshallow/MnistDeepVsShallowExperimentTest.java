package io.github.losslab.app.experiment.mnistdeepvsshallow;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.model.Activation;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code mnist-deep-vs-shallow} at a tiny size on the real TensorFlow backend: files, budgets and curves. */
class MnistDeepVsShallowExperimentTest {

    private static final int EPOCHS = 3;

    /** 500 training digits, 3 epochs of batches of 20 (75 steps): a few seconds. */
    static MnistDeepVsShallowExperiment.Settings tiny() {
        return MnistDeepVsShallowExperiment.Settings.quick().withTraining(500, EPOCHS, 20);
    }

    private static Backend backend;
    private static Path out;
    private static ExperimentResult result;
    private static String printed;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        out = dir.resolve("mnist-deep-vs-shallow");
        StringWriter results = new StringWriter();
        ExperimentContext context = ExperimentContext.builder(backend, out).seed(5)
                .results(new PrintWriter(results)).build();
        result = new MnistDeepVsShallowExperiment(tiny()).run(context);
        printed = results.toString();
    }

    @Test
    void writesTwoFiguresPerFamilyTheirDataAndTheSummary() {
        for (String file : List.of("dense-loss.png", "dense-loss.svg", "dense-accuracy.png", "dense-accuracy.svg",
                "cnn-loss.png", "cnn-loss.svg", "cnn-accuracy.png", "cnn-accuracy.svg", "history.csv",
                "summary.json")) {
            Path p = out.resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(result.files()).contains(p);
        }
    }

    @Test
    void eachFamilySharesOneBudgetAndTheCountsArePrinted() throws IOException {
        JsonNode s = summary();
        JsonNode dense = s.get("budgets").get("dense");
        JsonNode cnn = s.get("budgets").get("cnn");
        assertThat(dense.get("parameters")).hasSize(3);
        assertThat(cnn.get("parameters")).hasSize(2);
        assertThat(spread(dense.get("parameters"))).isLessThanOrEqualTo(0.01)
                .isCloseTo(dense.get("spread").asDouble(), within(1e-12));
        assertThat(spread(cnn.get("parameters"))).isLessThanOrEqualTo(0.02)
                .isCloseTo(cnn.get("spread").asDouble(), within(1e-12));
        for (JsonNode m : s.get("models")) {
            assertThat(printed).contains(String.format("%,d parameters", m.get("parameters").asInt()));
        }
        assertThat(printed).contains("differ by");
        assertThat(s.get("models").findValuesAsText("model")).containsExactly("1 hidden layer", "2 hidden layers",
                "4 hidden layers", "1 conv layer", "3 conv layers");
    }

    @Test
    void historyHoldsEveryModelsCurvesAndTheSummaryItsLastPoint() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        assertThat(lines.get(0)).isEqualTo("family,model,widths,parameters,epoch,train_loss,train_accuracy,"
                + "test_loss,test_accuracy,mean_batch_loss");
        assertThat(lines).hasSize(1 + 5 * (EPOCHS + 1));
        JsonNode models = summary().get("models");
        for (int m = 0; m < 5; m++) {
            String[] initial = lines.get(1 + m * (EPOCHS + 1)).split(",");
            String[] last = lines.get((m + 1) * (EPOCHS + 1)).split(",");
            assertThat(initial[4]).isEqualTo("0");
            assertThat(last[4]).isEqualTo(Integer.toString(EPOCHS));
            // trained: the loss fell from about ln 10 and the accuracy rose well above chance
            assertThat(Double.parseDouble(last[5])).isLessThan(Double.parseDouble(initial[5]));
            assertThat(Double.parseDouble(last[6])).as(last[1]).isGreaterThan(0.3);
            JsonNode model = models.get(m);
            assertThat(model.get("status").asText()).isEqualTo("ok");
            assertThat(model.get("finalTrainAccuracy").asDouble()).isEqualTo(Double.parseDouble(last[6]));
            assertThat(model.get("testAccuracy").asDouble()).isEqualTo(Double.parseDouble(last[8]));
            assertThat(result.keyNumbers()).containsEntry(model.get("family").asText() + " / "
                    + model.get("model").asText() + " / test accuracy", Double.parseDouble(last[8]));
        }
    }

    @Test
    void summaryHoldsSettingsAndProvenance() throws IOException {
        JsonNode s = summary();
        assertThat(s.get("settings").get("train-samples").asInt()).isEqualTo(500);
        assertThat(s.get("settings").get("cnn-conv-layers")).hasSize(2);
        JsonNode p = s.get("provenance");
        assertThat(p.get("seed").asLong()).isEqualTo(5);
        assertThat(p.get("data").get("sizes").get("train").asInt()).isEqualTo(500);
        assertThat(p.get("data").get("sizes").get("test").asInt()).isEqualTo(2000);
        assertThat(p.get("data").get("source").asText()).contains("bundled MNIST").contains("subset of 500");
    }

    @Test
    void trialsHoldOneResultPerModel() throws IOException {
        List<String> expected = List.of("dense-1-hidden-layer.json", "dense-2-hidden-layers.json",
                "dense-4-hidden-layers.json", "cnn-1-conv-layer.json", "cnn-3-conv-layers.json");
        assertThat(new MnistDeepVsShallowExperiment(tiny()).trialKeys().stream().map(k -> k + ".json"))
                .containsExactlyElementsOf(expected);
        try (var files = Files.list(out.resolve("trials"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void validationNamesTrainSamplesBeyondTheData() {
        MnistDeepVsShallowExperiment e = new MnistDeepVsShallowExperiment(tiny().withTraining(9_000, 1, 50));
        ExperimentContext context = ExperimentContext.builder(backend, out.resolveSibling("unused")).build();
        assertThatThrownBy(() -> e.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("trainSamples").hasMessageContaining("8000");
        MnistDeepVsShallowExperiment big = new MnistDeepVsShallowExperiment(tiny().withTraining(100, 1, 200));
        assertThatThrownBy(() -> big.validate(context)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("batchSize");
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
        return new MnistDeepVsShallowExperiment(new MnistDeepVsShallowExperiment.Settings(0, dense, List.of(1, 2, 4),
                cnn, convLayers, Activation.RELU, OptimizerKind.ADAM, 0.001, 1, 64));
    }

    private static double spread(JsonNode counts) {
        List<Integer> c = new ArrayList<>();
        counts.forEach(n -> c.add(n.asInt()));
        int max = c.stream().max(Integer::compare).orElseThrow();
        int min = c.stream().min(Integer::compare).orElseThrow();
        return (max - min) / (double) max;
    }

    private static JsonNode summary() throws IOException {
        return OutputWriter.json().readTree(out.resolve("summary.json").toFile());
    }
}
