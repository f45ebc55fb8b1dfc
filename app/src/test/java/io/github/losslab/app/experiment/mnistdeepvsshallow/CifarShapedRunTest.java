package io.github.losslab.app.experiment.mnistdeepvsshallow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mnist-deep-vs-shallow} on a generated data set in CIFAR-10's binary format (32x32x3 images): the models
 * take their input shape from the data, the CNNs are sized for it on their budget, and the titles and provenance
 * name CIFAR-10 and its classes.
 */
class CifarShapedRunTest {

    private static final int RECORD = 1 + 3 * 32 * 32;

    /** Six batch files of {@code perFile} records with labels cycling through the 10 classes, random pixels. */
    private static void writeCifar(Path dir, int perFile) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(3);
        List<String> files = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        for (String f : files) {
            byte[] b = new byte[perFile * RECORD];
            for (int r = 0; r < perFile; r++) {
                int label = r % 10;
                b[r * RECORD] = (byte) label;
                for (int i = 1; i < RECORD; i++) {
                    // the red plane's mean tells the class, so that the models have something to learn
                    int mean = i <= 1024 ? 20 + 20 * label : 128;
                    b[r * RECORD + i] = (byte) Math.max(0, Math.min(255, mean + random.nextInt(-20, 21)));
                }
            }
            Files.write(dir.resolve(f), b);
        }
    }

    @Test
    void runsOnCifarShapedImages(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("cifar");
        writeCifar(data, 20);
        Path out = dir.resolve("out");
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        StringWriter results = new StringWriter();
        LosslabConfig config = LosslabConfig.builder().dataset("cifar10").dataDir(data).seed(5).build();
        ExperimentContext context = ExperimentContext.builder(backend, out).config(config)
                .results(new PrintWriter(results)).build();
        MnistDeepVsShallowExperiment experiment = new MnistDeepVsShallowExperiment(
                MnistDeepVsShallowExperiment.Settings.quick().withTraining(60, 2, 20).withSeeds(1));

        experiment.validate(context);
        ExperimentResult result = experiment.run(context);

        assertThat(result.files()).extracting(p -> p.getFileName().toString())
                .contains("dense-loss.png", "cnn-loss.png", "summary.json", "history.csv");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        String text = summary.toString();
        assertThat(text).contains("3072-").doesNotContain("784-");
        assertThat(text).contains("CIFAR-10 binary files in").contains("airplane, automobile");
        // the CNNs are sized for 32x32x3 images on their budget, within 2%
        for (ModelSpec spec : MnistDeepVsShallowExperiment.Settings.quick().cnnModels(new int[] {32, 32, 3}, 10)) {
            assertThat(spec.inputShape()).containsExactly(32, 32, 3);
            assertThat(Math.abs(spec.parameterCount() - 10_000)).isLessThanOrEqualTo(200);
        }
        assertThat(results.toString()).contains("3072");
        assertThat(Files.readString(out.resolve("cnn-loss.svg"))).contains("CIFAR-10 images");
    }
}
