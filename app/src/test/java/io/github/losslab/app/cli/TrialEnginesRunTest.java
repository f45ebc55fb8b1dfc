package io.github.losslab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.Main;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code --deterministic}, the summaries of real experiments do not depend on how their trials ran: one at a
 * time, two at once, in three shards merged by {@code --resume}, or in a run killed with SIGKILL and resumed.
 */
class TrialEnginesRunTest {

    /** What may differ between runs: times, where and how the run ran. */
    private static final Set<String> VARYING = Set.of("wallSeconds", "trialSeconds", "startedAt", "finishedAt",
            "command", "out", "engine", "parallelism", "files");

    private static final String CONFIG = """
            seed: 5
            deterministic: true
            experiments:
              sensitivity:
                batch-sizes: [8, 16, 32, 64, 128, 256]
                hidden-widths: [16]
                target-train-loss: 0.001
                max-epochs: 2
                train-samples: 400
                test-samples: 200
                seeds: 1
                sensitivity-samples: 50
              sharpness:
                small-batch: 16
                large-batch-fraction: 0.5
                hidden-widths: [16]
                target-train-loss: 0.001
                max-epochs: 2
                seeds: 2
                epsilons: [0.001]
                train-samples: 300
                test-samples: 100
                sharpness-samples: 100
                ascent-steps: 3
                restarts: 1
            """;

    private static final List<String> EXPERIMENTS = List.of("sensitivity", "sharpness");

    @Test
    void oneAtATimeTwoAtOnceAndShardsMergedByResumeGiveIdenticalSummaries(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("tiny.yaml"), CONFIG);
        run(dir, config, "p1", "--parallelism", "1");
        run(dir, config, "p2", "--parallelism", "2");
        for (int k = 1; k <= 3; k++) {
            run(dir, config, "shards", "--shard", k + "/3");
        }
        run(dir, config, "shards", "--resume");
        for (String e : EXPERIMENTS) {
            JsonNode one = summary(dir.resolve("p1"), e);
            assertThat(one.path("run").path("status").asText()).isEqualTo("completed");
            assertThat(withoutVarying(summary(dir.resolve("p2"), e))).as(e + " at parallelism 2")
                    .isEqualTo(withoutVarying(one));
            assertThat(withoutVarying(summary(dir.resolve("shards"), e))).as(e + " from 3 shards")
                    .isEqualTo(withoutVarying(one));
        }
    }

    @Test
    void aRunKilledWithSigkillLosesOnlyItsTrialsInFlightAndResumeFinishesIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("tiny.yaml"), CONFIG.replace("max-epochs: 2\n    train-samples: 400",
                "max-epochs: 12\n    train-samples: 400"));
        Path out = dir.resolve("killed");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "sensitivity", "--config",
                config.toString(), "--out", out.toString(), "--parallelism", "1")
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        Path trials = out.resolve("sensitivity/trials");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (count(trials) < 2 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(p.isAlive()).as("still running trials: %s", Files.readString(dir.resolve("stderr.txt")))
                    .isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(137);
        Map<Path, FileTime> kept = new HashMap<>();
        try (Stream<Path> files = Files.list(trials)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                kept.put(f, Files.getLastModifiedTime(f));
            }
        }
        assertThat(kept.size()).isBetween(2, 5);
        assertThat(out.resolve("sensitivity/summary.json")).doesNotExist();

        CliTest.Run resumed = CliTest.run("run", "sensitivity", "--config", config.toString(), "--out",
                out.toString(), "--resume", "--quiet");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        for (Map.Entry<Path, FileTime> f : kept.entrySet()) {
            assertThat(Files.getLastModifiedTime(f.getKey())).as("kept, not run again: %s", f.getKey())
                    .isEqualTo(f.getValue());
        }
        assertThat(count(trials)).isEqualTo(6);
        run(dir, config, "whole", "--parallelism", "1");
        assertThat(withoutVarying(summary(out.getParent().resolve("killed"), "sensitivity")))
                .isEqualTo(withoutVarying(summary(dir.resolve("whole"), "sensitivity")));
    }

    private static void run(Path dir, Path config, String out, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "sensitivity", "sharpness", "--config",
                config.toString(), "--quiet", "--out", dir.resolve(out).toString()));
        args.addAll(List.of(flags));
        if (out.equals("whole")) {
            args.remove("sharpness");
        }
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.status()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static JsonNode summary(Path out, String experiment) throws IOException {
        return OutputWriter.json().readTree(out.resolve(experiment).resolve("summary.json").toFile());
    }

    static JsonNode withoutVarying(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(VARYING);
            o.remove("provenance");
            o.elements().forEachRemaining(TrialEnginesRunTest::strip);
        } else if (node instanceof ArrayNode a) {
            a.elements().forEachRemaining(TrialEnginesRunTest::strip);
        }
    }
}
