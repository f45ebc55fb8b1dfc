package io.github.losslab.app.experiment.minimalratio;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.model.Activation;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code minimal-ratio} at a tiny size on the real TensorFlow backend: every file, ratios, gradient norms. */
class MinimalRatioExperimentTest {

    /** A few seconds: three runs of a 1-6-6-1 tanh net (61 parameters) on 40 points of x³. */
    static MinimalRatioExperiment.Settings tiny() {
        return new MinimalRatioExperiment.Settings(TargetFunction.CUBE, 40, List.of(6, 6), Activation.TANH, 3, 40,
                10, 0.01, 60, 1e-6, 10);
    }

    private static Path out;
    private static ExperimentResult result;
    private static String printed;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        out = dir.resolve("minimal-ratio");
        StringWriter results = new StringWriter();
        result = new MinimalRatioExperiment(tiny()).run(ExperimentContext.builder(backend, out).seed(3)
                .results(new PrintWriter(results)).build());
        printed = results.toString();
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("minimal-ratio.png", "minimal-ratio.svg", "eigenvalues.png", "eigenvalues.svg",
                "critical-points.csv", "eigenvalues.csv", "eigenvalue-histogram.csv", "summary.json")) {
            Path p = out.resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(result.files()).contains(p);
        }
        assertThat(printed).contains("minimal-ratio 3 runs, 61 parameters");
    }

    @Test
    void everyRunHasARatioInTheUnitIntervalAndARecordedGradientNorm() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("critical-points.csv"));
        assertThat(lines.get(0)).startsWith("run,train_epochs,trained_loss,loss,gradient_norm,converged,");
        assertThat(lines).hasSize(1 + 3);
        JsonNode runs = summary().get("runs");
        assertThat(runs).hasSize(3);
        for (JsonNode r : runs) {
            assertThat(r.get("status").asText()).isEqualTo("ok");
            assertThat(r.get("minimalRatio").asDouble()).isBetween(0.0, 1.0);
            assertThat(r.get("gradientNorm").asDouble()).isGreaterThanOrEqualTo(0).isLessThan(1);
            assertThat(r.get("negative").asInt() + r.get("nearZero").asInt() + r.get("positive").asInt())
                    .isEqualTo(61);
            if (r.get("converged").asBoolean()) {
                assertThat(r.get("gradientNorm").asDouble()).isLessThan(1e-6);
            }
        }
        assertThat(Files.readAllLines(out.resolve("eigenvalues.csv"))).hasSize(1 + 3 * 61);
        assertThat(Files.readAllLines(out.resolve("eigenvalue-histogram.csv"))).hasSize(1 + 10);
    }

    @Test
    void summaryHoldsTheAggregateAndFloat64Provenance() throws IOException {
        JsonNode s = summary();
        assertThat(s.get("parameters").asInt()).isEqualTo(61);
        assertThat(s.get("settings").get("runs").asInt()).isEqualTo(3);
        assertThat(s.get("settings").get("function").asText()).isEqualTo("cube");
        assertThat(s.get("result").get("convergedFraction").asDouble()).isBetween(0.0, 1.0);
        assertThat(s.get("provenance").get("precision").asText()).isEqualTo("float64");
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(3);
        assertThat(result.keyNumbers()).containsKeys("converged fraction", "minimal ratio min", "minimal ratio max");
    }

    @Test
    void everyRunIsOneTrialWithItsOwnResultFile() throws IOException {
        List<String> keys = new MinimalRatioExperiment(tiny()).trialKeys();
        assertThat(keys).containsExactly("run-0", "run-1", "run-2");
        try (Stream<Path> files = Files.list(out.resolve("trials"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> k + ".json").toList());
        }
    }

    @Test
    void aFailedRunSurvivesItsJsonRoundTrip() throws IOException {
        MinimalRatioExperiment.Run failed = new MinimalRatioExperiment.Run(2, 17, Double.NaN, Double.NaN,
                Double.NaN, false, "failed", 0, Double.NaN, 0, 0, 0, new double[0], 0.25, "diverged at epoch 3");
        MinimalRatioExperiment.Run back = OutputWriter.json().readValue(
                OutputWriter.json().writeValueAsString(failed), MinimalRatioExperiment.Run.class);
        assertThat(back.succeeded()).isFalse();
        assertThat(back.failure()).isEqualTo("diverged at epoch 3");
        assertThat(back.loss()).isNaN();
        assertThat(back.minEigenvalue()).isNaN();
        assertThat(back.trainEpochs()).isEqualTo(17);
        assertThat(back.eigenvalues()).isEmpty();
    }

    @Test
    void histogramCountsEveryValueOnce() {
        double[][] h = MinimalRatioExperiment.histogram(new double[] {-1, 0, 0, 0.5, 3}, 4);
        assertThat(h[0]).containsExactly(-1, 0, 1, 2, 3);
        assertThat(h[1]).containsExactly(1, 3, 0, 1);
    }

    @Test
    void presetsAreValidAndFullHasTheAssignmentsHundredRuns() {
        assertThat(MinimalRatioExperiment.Settings.of(Preset.FULL).runs()).isEqualTo(100);
        assertThat(MinimalRatioExperiment.Settings.full().spec().parameterCount()).isEqualTo(321);
        assertThat(MinimalRatioExperiment.Settings.quick().spec().parameterCount()).isEqualTo(97);
    }

    private static JsonNode summary() throws IOException {
        return OutputWriter.json().readTree(out.resolve("summary.json").toFile());
    }
}
