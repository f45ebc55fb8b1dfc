package io.github.losslab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spark engine on a {@code local[2]} master, chosen as a user chooses it ({@code --engine spark
 * --spark-master local[2]} on the command line): the same numbers as the local engine, trial by trial.
 */
class SparkEngineLocalTest {

    @TempDir
    static Path dir;

    private static Path config;
    private static JsonNode local;

    @BeforeAll
    static void runLocally() throws IOException {
        config = Sweeps.config(dir, null);
        local = Sweeps.baseline();
    }

    @Test
    void givesTheNumbersOfTheLocalEngine() throws IOException {
        Path out = dir.resolve("spark");
        JsonNode spark = Sweeps.run(config, out, "--engine", "spark", "--spark-master", "local[2]");
        assertThat(spark.get("models")).hasSize(Sweeps.TRIALS);
        assertThat(spark).isEqualTo(local);
        Path trials = out.resolve(Sweeps.EXPERIMENT).resolve("trials");
        try (Stream<Path> files = Files.list(trials)) {
            assertThat(files.filter(p -> p.toString().endsWith(".json"))).hasSize(Sweeps.TRIALS);
        }
    }

    @Test
    void executorsReadTheDataDirectoryFromTheRunSpec() throws IOException {
        Path data = writeIdx(dir.resolve("idx"));
        Path withData = Sweeps.config(dir.resolve("with-data"), data);
        JsonNode localRun = Sweeps.run(withData, dir.resolve("data-local"), "--engine", "local", "--parallelism",
                "1");
        JsonNode spark = Sweeps.run(withData, dir.resolve("data-spark"), "--engine", "spark", "--spark-master",
                "local[2]");
        assertThat(spark).isEqualTo(localRun);
        // other data than the bundled: other numbers
        assertThat(spark.get("models")).isNotEqualTo(local.get("models"));
        JsonNode provenance = OutputWriter.json().readTree(dir.resolve("data-spark").resolve(Sweeps.EXPERIMENT)
                .resolve("summary.json").toFile()).get("provenance");
        assertThat(provenance.toString()).contains(data.toString());
    }

    /** Digits of a kind: each class a band of bright rows, with noise, 400 for training and 150 for testing. */
    private static Path writeIdx(Path idx) throws IOException {
        Files.createDirectories(idx);
        Random random = new Random(5);
        for (String[] split : new String[][] {{MnistData.TRAIN_IMAGES, MnistData.TRAIN_LABELS, "400"},
                {MnistData.TEST_IMAGES, MnistData.TEST_LABELS, "150"}}) {
            int n = Integer.parseInt(split[2]);
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                int label = random.nextInt(10);
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int v = (row / 3 == label ? 200 : 20) + random.nextInt(50);
                    images.put((byte) v);
                }
                labels.put((byte) label);
            }
            Files.write(idx.resolve(split[0]), images.array());
            Files.write(idx.resolve(split[1]), labels.array());
        }
        return idx;
    }
}
