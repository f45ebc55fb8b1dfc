package io.github.losslab.app.trial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Module;
import io.github.losslab.app.cli.Cli;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.run.FakeExperiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The trial machinery through the command line, with trials that need no backend. */
class TrialRunTest {

    private static final Module FAKE = FakeExperiments.module(FakeTrials.TYPE);

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.commandLine(new PrintWriter(out), new PrintWriter(err), FAKE).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Path config(Path dir, String name, int trials, String failAt, String divergeAt, String tag)
            throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                experiments:
                  fake-trials:
                    trials: %d
                    fail-at: %s
                    diverge-at: %s
                    tag: %s
                """.formatted(trials, failAt, divergeAt, tag));
    }

    private static List<String> trialFiles(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("fake-trials/trials"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailingTrialFailsItsExperimentNamingItsKeyAndResumeRunsOnlyThatTrial(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("out");
        Run first = run("run", "fake-trials", "--config", config(dir, "fails", 5, "t-2", "none", "fails").toString(),
                "--out", out.toString(), "--parallelism", "2", "-q");
        assertThat(first.status()).as(first.err()).isEqualTo(1);
        assertThat(first.err()).contains("fake-trials: failed: trial 't-2' failed: the fake trial t-2 fails on "
                + "purpose").contains("--resume");
        assertThat(trialFiles(out)).containsExactly("t-0.json", "t-1.json", "t-3.json", "t-4.json");
        assertThat(out.resolve("fake-trials/summary.json")).exists();
        assertThat(OutputWriter.json().readTree(out.resolve("fake-trials/summary.json").toFile()).path("run")
                .path("status").asText()).isEqualTo("failed");

        FakeTrials.RAN.remove("fails");
        Run again = run("run", "fake-trials", "--config", dir.resolve("fails.yaml").toString(), "--out",
                out.toString(), "--resume", "-q");
        assertThat(again.status()).isEqualTo(1);
        assertThat(FakeTrials.RAN.get("fails")).as("only the failed trial runs again").containsExactly("t-2");
    }

    @Test
    void resumeRunsOnlyTheMissingTrials(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Path config = config(dir, "c", 6, "none", "none", "resume");
        Run whole = run("run", "fake-trials", "--config", config.toString(), "--out", out.toString(), "-q");
        assertThat(whole.status()).as(whole.err()).isZero();
        JsonNode before = OutputWriter.json().readTree(out.resolve("fake-trials/summary.json").toFile());
        Files.delete(out.resolve("fake-trials/trials/t-1.json"));
        Files.delete(out.resolve("fake-trials/trials/t-4.json"));
        Files.delete(out.resolve("fake-trials/summary.json"));
        // the four kept trials took an hour each in the earlier run
        for (String kept : List.of("t-0", "t-2", "t-3", "t-5")) {
            Path file = out.resolve("fake-trials/trials/" + kept + ".json");
            ObjectNode trial = (ObjectNode) OutputWriter.json().readTree(file.toFile());
            trial.put("wallSeconds", 3600.0);
            OutputWriter.json().writeValue(file.toFile(), trial);
        }
        FakeTrials.RAN.remove("resume");

        Run dry = run("run", "fake-trials", "--config", config.toString(), "--out", out.toString(), "--resume",
                "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("# would run: fake-trials into " + out.resolve("fake-trials") + ", 6 trials (4 "
                + "kept from an earlier run, which took 4 h 00 min; 2 to run)");
        assertThat(FakeTrials.RAN.get("resume")).as("a dry run runs no trial").isNullOrEmpty();

        Run resumed = run("run", "fake-trials", "--config", config.toString(), "--out", out.toString(), "--resume",
                "-q");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(FakeTrials.RAN.get("resume")).containsExactlyInAnyOrder("t-1", "t-4");
        JsonNode after = OutputWriter.json().readTree(out.resolve("fake-trials/summary.json").toFile());
        assertThat(after.get("values")).isEqualTo(before.get("values"));
        assertThat(after.get("sum").asLong()).isEqualTo(0 + 1 + 4 + 9 + 16 + 25);
        // the summary keeps the trials' own times, and the report gives them beside the resumed run's short wall time
        assertThat(after.path("run").path("trialSeconds").asDouble()).isBetween(4 * 3600.0, 4 * 3600.0 + 60);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("trials 4 h 00 min</span>")
                .contains("4 h 00 min, the sum of the trials' own times, whichever run did them");
    }

    @Test
    void shardsRunTheirSliceAndALastResumeReducesWhatTheyWrote(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Path config = config(dir, "c", 7, "none", "none", "shards");
        for (int k = 1; k <= 3; k++) {
            Run shard = run("run", "fake-trials", "--config", config.toString(), "--out", out.toString(), "-q",
                    "--shard", k + "/3");
            assertThat(shard.status()).as(shard.err()).isZero();
            if (k < 3) {
                assertThat(out.resolve("fake-trials/summary.json")).as("shard %d", k).satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(),
                        p -> assertThat(Files.readString(p)).contains("\"incomplete\""));
                assertThat(Files.readString(out.resolve("report.html"))).contains("incomplete");
            }
        }
        assertThat(FakeTrials.RAN.get("shards")).hasSize(7);
        assertThat(trialFiles(out)).hasSize(7);
        Run reduce = run("run", "fake-trials", "--config", config.toString(), "--out", out.toString(), "--resume",
                "-q");
        assertThat(reduce.status()).as(reduce.err()).isZero();
        assertThat(FakeTrials.RAN.get("shards")).hasSize(7);
        JsonNode summary = OutputWriter.json().readTree(out.resolve("fake-trials/summary.json").toFile());
        assertThat(summary.get("sum").asLong()).isEqualTo(0 + 1 + 4 + 9 + 16 + 25 + 36);
        assertThat(summary.path("run").path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aDivergedTrialIsRecordedAndTheOthersAreReduced(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Run r = run("run", "fake-trials", "--config", config(dir, "d", 4, "none", "t-1", "diverges").toString(),
                "--out", out.toString(), "-q");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("fake-trials: model 'trial t-1': training diverged");
        JsonNode summary = OutputWriter.json().readTree(out.resolve("fake-trials/summary.json").toFile());
        assertThat(summary.get("diverged")).extracting(JsonNode::asText).containsExactly("t-1");
        assertThat(summary.get("values")).hasSize(3);
        assertThat(summary.path("run").path("status").asText()).isEqualTo("diverged");
        assertThat(trialFiles(out)).hasSize(4);
        FakeTrials.RAN.remove("diverges");
        Run again = run("run", "fake-trials", "--config", dir.resolve("d.yaml").toString(), "--out",
                out.toString(), "-q", "--resume");
        assertThat(again.status()).isEqualTo(1);
        assertThat(FakeTrials.RAN.get("diverges")).as("a diverged trial is kept, not run again").isNull();
    }

    @Test
    void badEngineAndShardArgumentsAreRefusedWithWhatToDo(@TempDir Path dir) {
        Run engine = run("run", "fake-trials", "--engine", "sparc", "--out", dir.toString());
        assertThat(engine.status()).isEqualTo(2);
        assertThat(engine.err()).contains("--engine").contains("sparc").contains("one of local, spark")
                .contains("did you mean");
        Run spark = run("run", "fake-trials", "--engine", "spark", "--out", dir.toString());
        assertThat(spark.status()).isEqualTo(2);
        assertThat(spark.err()).contains("the spark engine is not in this jar");
        Run shard = run("run", "fake-trials", "--shard", "4/3", "--out", dir.toString());
        assertThat(shard.status()).isEqualTo(2);
        assertThat(shard.err()).contains("expected K/N");
        Run parallelism = run("run", "fake-trials", "--parallelism", "-1", "--out", dir.toString());
        assertThat(parallelism.status()).isEqualTo(2);
        assertThat(parallelism.err()).contains("--parallelism");
        Run notANumber = run("run", "fake-trials", "--parallelism", "two", "--out", dir.toString());
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err()).contains("'two' is not a whole number");
        assertThat(Set.of(dir.toFile().list())).isEmpty();
    }
}
