package io.github.losslab.app.experiment.fitfunction;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.experiment.BuildInfo;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.TensorFlowRun;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code fit-function} at a tiny size on the real TensorFlow backend: every file, and x³ actually fitted. */
class FitFunctionExperimentTest {

    /** |x| on [-1, 1]: a function a Java caller adds. */
    private static final TargetFunction ABS = new TargetFunction("abs", "|x|", Math::abs, -1, 1);

    /**
     * Seconds: 300 points, 60 epochs of 16 (1,140 Adam steps per model, learning rate 0.003), three depths, three
     * seeds. Over root seeds 1 to 8 the worst x³ model ends at an MSE of 0.007, far below the 0.05 asserted.
     */
    static FitFunctionExperiment.Settings tiny() {
        return new FitFunctionExperiment.Settings(List.of(TargetFunction.CUBE, ABS), 300, 1000, List.of(1, 2, 4),
                Activation.RELU, List.of(OptimizerKind.ADAM), 0.01, 0.003, 60, 16, 101, true, 3);
    }

    private static TensorFlowRun run;

    @BeforeAll
    static void runOnce(@TempDir Path dir) throws IOException {
        run = TensorFlowRun.of(new FitFunctionExperiment(tiny()), dir.resolve("fit-function"), 7);
    }

    @Test
    void writesEveryFileOfEveryFunction() {
        for (String f : List.of("cube", "abs")) {
            for (String file : List.of("loss.png", "loss.svg", "prediction.png", "prediction.svg", "history.csv",
                    "predictions.csv", "summary.json")) {
                Path p = run.out().resolve(f).resolve(file);
                assertThat(p).isRegularFile();
                assertThat(p.toFile().length()).as(p.toString()).isPositive();
                assertThat(run.result().files()).contains(p);
            }
        }
        assertThat(run.out().resolve("summary.json")).isRegularFile();
        assertThat(run.result().directory()).isEqualTo(run.out());
    }

    @Test
    void cubeModelsReachAMeanSquaredErrorBelow005() throws IOException {
        JsonNode models = summary("cube").get("models");
        assertThat(models).hasSize(3);
        for (JsonNode m : models) {
            assertThat(m.get("status").asText()).isEqualTo("ok");
            assertThat(m.get("finalMse").asDouble()).as(m.get("model").asText()).isLessThan(0.05);
        }
    }

    @Test
    void modelsShareOneParameterBudgetWithin1Percent() throws IOException {
        JsonNode models = summary("cube").get("models");
        List<Integer> counts = models.findValuesAsText("parameters").stream().map(Integer::parseInt).toList();
        int max = counts.stream().max(Integer::compare).orElseThrow();
        int min = counts.stream().min(Integer::compare).orElseThrow();
        assertThat((max - min) / (double) max).isLessThanOrEqualTo(0.01);
        assertThat(models.findValuesAsText("hiddenLayers")).containsExactly("1", "2", "4");
        for (ModelSpec spec : tiny().models()) {
            assertThat(Math.abs(spec.parameterCount() - 1000)).isLessThanOrEqualTo(10);
        }
        assertThat(run.printed()).contains("1000 parameters").contains("MSE");
    }

    @Test
    void summaryHoldsSettingsAndProvenance() throws IOException {
        JsonNode s = summary("cube");
        assertThat(s.get("settings").get("points").asInt()).isEqualTo(300);
        assertThat(s.get("settings").get("functions").get(1).asText()).isEqualTo("abs");
        JsonNode p = s.get("provenance");
        assertThat(p.get("seed").asLong()).isEqualTo(7);
        assertThat(p.get("backend").get("name").asText()).isEqualTo("tensorflow");
        assertThat(p.get("backend").get("version").asText()).isNotBlank();
        assertThat(p.get("backend").get("device").asText()).isNotBlank();
        assertThat(p.get("precision").asText()).isEqualTo("float32");
        assertThat(p.get("java").asText()).startsWith(System.getProperty("java.version"));
        assertThat(p.get("os").asText()).isNotBlank();
        assertThat(p.get("losslab").asText()).isEqualTo(BuildInfo.version());
        assertThat(p.get("data").get("sizes").get("train").asInt()).isEqualTo(300);
        assertThat(p.get("wallSeconds").asDouble()).isPositive();
        for (JsonNode m : s.get("models")) {
            assertThat(m.get("spec").asText()).contains("relu").contains("mse");
            assertThat(m.get("wallSeconds").asDouble()).isPositive();
        }
        JsonNode all = OutputWriter.json().readTree(run.out().resolve("summary.json").toFile());
        assertThat(all.get("functions")).hasSize(2);
        assertThat(all.get("provenance").get("wallSeconds").asDouble()).isPositive();
    }

    @Test
    void historyHasOneRowPerModelAndEpoch() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("cube/history.csv"));
        assertThat(lines.get(0)).isEqualTo("model,hidden_layers,hidden_widths,parameters,optimizer,seed,epoch,"
                + "train_loss");
        assertThat(lines).hasSize(1 + 3 * 3 * 60);
        double first = Double.parseDouble(lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1));
        double last = Double.parseDouble(lines.get(60).substring(lines.get(60).lastIndexOf(',') + 1));
        assertThat(last).isLessThan(first);
    }

    @Test
    void predictionsFollowTheFunction() throws IOException {
        List<String> lines = Files.readAllLines(run.out().resolve("cube/predictions.csv"));
        assertThat(lines.get(0)).startsWith("x,truth,");
        assertThat(lines).hasSize(1 + 101);
        String[] end = lines.get(101).split(",");
        assertThat(Double.parseDouble(end[0])).isEqualTo(2.0);
        assertThat(Double.parseDouble(end[1])).isEqualTo(8.0);
        for (int i = 2; i < end.length; i++) {
            assertThat(Double.parseDouble(end[i])).isCloseTo(8.0, within(1.0));
        }
    }

    @Test
    void saveModelsSavesEveryTrainedModelForTheHessianCommand() throws IOException {
        JsonNode models = summary("cube").get("models");
        for (int depth : List.of(1, 2, 4)) {
            Path dir = run.out().resolve("cube/models").resolve(FitFunctionExperiment.modelDirectory(depth,
                    OptimizerKind.ADAM));
            ModelIo.Header header = ModelIo.readHeader(dir);
            assertThat(header.spec().hiddenWidths()).hasSize(depth);
            assertThat(header.spec().parameterCount()).isIn(models.findValuesAsText("parameters").stream()
                    .map(Integer::parseInt).toList());
            assertThat(ModelIo.readParameters(dir, header.spec())).hasSize(header.spec().parameterCount());
            assertThat(run.result().files()).contains(dir.resolve(ModelIo.SPEC_FILE), dir.resolve(ModelIo.PARAMS_FILE));
        }
    }

    @Test
    void trialsHoldOneResultPerModelAndFunction() throws IOException {
        FitFunctionExperiment experiment = new FitFunctionExperiment(tiny());
        List<String> expected = experiment.trialKeys().stream().map(k -> k + ".json").toList();
        assertThat(expected).hasSize(2 * 3 * 3).contains("cube.2-hidden-layers-adam.seed-2.json");
        try (var files = Files.list(run.out().resolve("trials"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aBudgetTheDepthsCannotShareWithin1PercentIsRefusedBeforeTraining() {
        // at 20 parameters the depths 1, 2 and 4 get 19, 21 and 21
        assertThatThrownBy(() -> new FitFunctionExperiment.Settings(List.of(TargetFunction.CUBE), 300, 20,
                List.of(1, 2, 4), Activation.RELU, List.of(OptimizerKind.ADAM), 0.01, 0.003, 1, 16, 11, false, 3))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("parameterBudget must be a budget at which the models' parameter counts differ by at most "
                        + "1.00%; at this one they are 19 to 21 (9.52% apart): choose a larger budget, was 20");
    }

    /**
     * The effect absent: x³ and |x| are fitted by a shallow network as well as by a deep one, so the claim that
     * depth fits them better is not reproduced. On x³ the one-hidden-layer model ends lower on every seed; with
     * three seeds the interval may still reach 0 (inconclusive), so the test asks for anything but reproduced.
     */
    @Test
    void depthGivesNoEdgeOnFunctionsAShallowNetworkFits() throws IOException {
        JsonNode verdicts = OutputWriter.json().readTree(run.out().resolve("summary.json").toFile()).get("verdicts");
        assertThat(verdicts).hasSize(2);
        for (JsonNode v : verdicts) {
            assertThat(v.get("verdict").asText()).as(v.toString()).isNotEqualTo("reproduced");
            assertThat(v.get("values")).hasSize(3);
            assertThat(v.get("claim").asText()).contains("4 hidden layers").contains("Adam");
        }
        assertThat(verdicts.get(0).get("claim").asText()).contains("x³");
        for (JsonNode value : verdicts.get(0).get("values")) {
            assertThat(value.asDouble()).isNegative();
        }
        assertThat(summary("abs").get("verdicts").get(0).get("claim").asText()).contains("|x|");
        JsonNode models = summary("cube").get("models");
        double shallow = models.get(0).get("finalMsePerSeed").get(0).asDouble();
        double deep = models.get(2).get("finalMsePerSeed").get(0).asDouble();
        assertThat(verdicts.get(0).get("values").get(0).asDouble()).isCloseTo(Math.log10(shallow / deep),
                within(1e-12));
        assertThat(run.printed()).contains(": with one parameter budget (1000), the deepest network");
    }

    private static JsonNode summary(String function) throws IOException {
        return OutputWriter.json().readTree(run.out().resolve(function).resolve("summary.json").toFile());
    }
}
