package io.github.losslab.app.experiment.sharpness;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sharpness} at a tiny size on the real TensorFlow backend: the files and what the figures show. */
class SharpnessExperimentTest {

    /** A few seconds: a 784-16-10 MLP at two batch sizes; 3 ascent steps from 2 starts on 100 samples. */
    static SharpnessExperiment.Settings tiny() {
        return new SharpnessExperiment.Settings(List.of(32, 256), List.of(16), OptimizerKind.ADAM, 1e-3, 2, 300, 100,
                1e-3, 3, 1, 100);
    }

    private static Path out;
    private static ExperimentResult result;

    @BeforeAll
    static void run(@TempDir Path dir) throws IOException {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        out = dir.resolve("sharpness");
        result = new SharpnessExperiment(tiny()).run(ExperimentContext.builder(backend, out).seed(11).build());
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "sharpness.csv",
                "summary.json")) {
            Path p = out.resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(result.files()).contains(p);
        }
    }

    @Test
    void sharpnessIsTheRelativeIncreaseOfTheLargestLossFound() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("sharpness.csv"));
        assertThat(lines.get(0)).isEqualTo("batch_size,steps,train_loss,train_accuracy,test_loss,test_accuracy,"
                + "sharpness_percent,epsilon,base_loss,max_loss,evaluations,samples,wall_seconds");
        assertThat(lines).hasSize(1 + 2);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double sharpness = Double.parseDouble(f[6]);
            double base = Double.parseDouble(f[8]);
            double max = Double.parseDouble(f[9]);
            assertThat(max).isGreaterThanOrEqualTo(base);
            assertThat(sharpness).isCloseTo(100 * (max - base) / (1 + base),
                    org.assertj.core.api.Assertions.within(1e-9));
            assertThat(sharpness).isPositive();
            // 3 steps and a final evaluation from the centre and from one corner
            assertThat(Integer.parseInt(f[10])).isEqualTo(2 * (3 + 1));
        }
    }

    @Test
    void summaryHoldsSettingsAndProvenance() throws IOException {
        JsonNode s = OutputWriter.json().readTree(out.resolve("summary.json").toFile());
        assertThat(s.get("models")).hasSize(2);
        assertThat(s.get("settings").get("epsilon").asDouble()).isEqualTo(1e-3);
        assertThat(s.get("rankCorrelationWithBatchSize").asDouble()).isBetween(-1.0, 1.0);
        assertThat(s.get("provenance").get("seed").asLong()).isEqualTo(11);
        assertThat(result.keyNumbers()).containsKey("batch 32 / sharpness (%)");
    }
}
