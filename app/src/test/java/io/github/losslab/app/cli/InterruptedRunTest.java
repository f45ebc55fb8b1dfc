package io.github.losslab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.Main;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a real {@code losslab run} in its own JVM: it finishes the file being written, records the experiment
 * as interrupted in its summary and the report, exits with status 143 (128 + 15, as shells report SIGTERM), and
 * leaves only complete files.
 */
class InterruptedRunTest {

    @Test
    void sigtermStopsTheRunAndLeavesOnlyCompleteFiles(@TempDir Path dir) throws Exception {
        // the trials of fit-function are written as they finish; its figures only once every trial is done
        Path config = Files.writeString(dir.resolve("slow.yaml"), """
                experiments:
                  fit-function:
                    functions: [cube, sin-5pi-x]
                    points: 1000
                    hidden-layers: [1, 2]
                    optimizers: [adam]
                    epochs: 40
                    batch-size: 10
                    plot-points: 51
                """);
        Path out = dir.resolve("out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "fit-function", "--config",
                config.toString(), "--out", out.toString())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        try {
            Path firstDone = out.resolve("fit-function/trials/cube.1-hidden-layer-adam.seed-0.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(firstDone) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(firstDone).as("the first trial finished: %s", Files.readString(dir.resolve("stderr.txt")))
                    .exists();
            assertThat(p.isAlive()).as("still training the other trials").isTrue();
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
        // 128 + 15: the status shells give a command ended by SIGTERM (SIGINT gives 130)
        assertThat(p.exitValue()).as(stderr).isEqualTo(143);
        assertThat(stderr).contains("stopping after the file being written")
                .contains("losslab: the run was interrupted by SIGINT or SIGTERM; 1 of 1 experiment did not complete");

        JsonNode summary = OutputWriter.json().readTree(out.resolve("fit-function/summary.json").toFile());
        assertThat(summary.get("run").get("status").asText()).isEqualTo("interrupted");
        assertThat(out.resolve("fit-function/cube/loss.png")).as("no reduce step ran").doesNotExist();
        assertThat(Files.readString(out.resolve("report.html"))).contains("badge interrupted")
                .contains("The run was stopped before it finished");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).noneMatch(f -> f.getFileName().toString().endsWith(".tmp"));
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".json")) {
                OutputWriter.json().readTree(f.toFile());
            } else if (name.endsWith(".png")) {
                assertThat(ImageIO.read(f.toFile())).as(f.toString()).isNotNull();
            } else if (name.endsWith(".csv")) {
                assertThat(Files.readString(f)).as(f.toString()).endsWith("\n");
                List<String> lines = Files.readAllLines(f);
                int columns = fields(lines.get(0));
                assertThat(lines).as(f.toString()).allMatch(l -> fields(l) == columns);
            } else if (name.endsWith(".svg") || name.endsWith(".html")) {
                assertThat(Files.readString(f).strip()).as(f.toString()).endsWith(">");
            }
        }
    }

    /** The fields of a CSV line whose quoted fields hold no line breaks. */
    private static int fields(String line) {
        int n = 1;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                n++;
            }
        }
        return n;
    }
}
