package io.github.losslab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Module;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.run.FakeExperiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code losslab run} with experiments that need no native training: exit statuses, --force, --resume,
 * --dry-run, --quiet. The backend is the real one (the dry run loads it).
 */
class RunCommandTest {

    private static final Module FAKES = FakeExperiments.module(FakeExperiments.diverging("explodes"),
            FakeExperiments.failing("breaks"), FakeExperiments.writing("draws"));

    static CliTest.Run run(Module experiments, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.commandLine(new PrintWriter(out), new PrintWriter(err), experiments).execute(args);
        return new CliTest.Run(status, out.toString(), err.toString());
    }

    @Test
    void failingAndDivergingExperimentsDoNotStopTheOthersAndTheRunExitsWith1ListingThem(@TempDir Path dir) {
        CliTest.Run r = run(FAKES, "run", "all", "--out", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("draws: done in").contains("report: " + dir.resolve("report.html"));
        assertThat(r.err()).contains("losslab: 2 of 3 experiments did not complete:")
                .contains("  explodes: model 'wide net, SGD (lr 1e9)': training diverged: the loss became NaN at epoch "
                        + "2, step 17 (optimizer sgd(lr=1.0E9)); try a smaller learning rate")
                .contains("  breaks: failed: the widget broke: expected 3 widgets, found 2")
                .contains("see " + dir.resolve("report.html")).doesNotContain("\tat ");
        assertThat(dir.resolve("draws/part/loss.png")).isRegularFile();
    }

    @Test
    void anOutputDirectoryWithResultsNeedsForceOrResume(@TempDir Path dir) throws IOException {
        Module fine = FakeExperiments.module(FakeExperiments.writing("draws"), FakeExperiments.writing("paints"));
        String out = dir.resolve("out").toString();
        assertThat(run(fine, "run", "all", "--out", out).status()).isZero();
        Path summary = dir.resolve("out/draws/summary.json");
        FileTime first = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(summary, first);

        CliTest.Run again = run(fine, "run", "all", "--out", out);
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("output directory '" + out + "' already holds results; pass --force to "
                + "overwrite them, --resume to keep the experiments that are done");
        assertThat(Files.getLastModifiedTime(summary)).isEqualTo(first);

        CliTest.Run resumed = run(fine, "run", "all", "--out", out, "--resume");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("draws: resumed").contains("paints: resumed");
        assertThat(Files.getLastModifiedTime(summary)).isEqualTo(first);

        CliTest.Run otherSeed = run(fine, "run", "draws", "--out", out, "--resume", "--seed", "7");
        assertThat(otherSeed.out()).contains("draws: done in");
        assertThat(Files.getLastModifiedTime(summary)).isNotEqualTo(first);

        Files.setLastModifiedTime(summary, first);
        CliTest.Run forced = run(fine, "run", "all", "--out", out, "--force");
        assertThat(forced.status()).isZero();
        assertThat(forced.out()).contains("draws: done in").contains("paints: done in");
        assertThat(Files.getLastModifiedTime(summary)).isNotEqualTo(first);

        CliTest.Run both = run(fine, "run", "all", "--out", out, "--force", "--resume");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("--force and --resume exclude each other");
    }

    @Test
    void forceReplacesEachExperimentsOwnEarlierResultsAndNothingElse(@TempDir Path dir) throws IOException {
        Module fine = FakeExperiments.module(FakeExperiments.writing("draws"), FakeExperiments.writing("paints"));
        Path out = dir.resolve("out");
        assertThat(run(fine, "run", "draws", "--out", out.toString()).status()).isZero();
        // what an earlier run with other settings left, and what is not losslab's
        Path stale = Files.writeString(out.resolve("draws/part/old-setting.csv"), "a\n1\n");
        Path notes = Files.writeString(out.resolve("notes.txt"), "mine");
        Path unowned = Files.writeString(Files.createDirectories(out.resolve("paints")).resolve("keep.txt"), "mine");

        CliTest.Run dry = run(fine, "run", "all", "--out", out.toString(), "--force", "--dry-run");
        assertThat(dry.out()).contains("# would run: draws into " + out.resolve("draws")
                + ", replacing the results of an earlier run there")
                .contains("# would run: paints into " + out.resolve("paints") + "\n");
        assertThat(stale).exists();

        CliTest.Run forced = run(fine, "run", "all", "--out", out.toString(), "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(out.resolve("draws/part/history.csv")).isRegularFile();
        assertThat(notes).hasContent("mine");
        assertThat(unowned).hasContent("mine");
        assertThat(out.resolve("paints/summary.json")).isRegularFile();
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        Module one = FakeExperiments.module(FakeExperiments.writing("draws"));
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        String out = file.resolve("results").toString();
        for (String[] extra : new String[][] {{"--dry-run"}, {}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "draws", "--out", out));
            args.addAll(java.util.List.of(extra));
            CliTest.Run r = run(one, args.toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("losslab: --out: cannot create the directory '" + out + "' (Not a directory)")
                    .doesNotContain("\tat ");
            assertThat(r.out()).doesNotContain("draws: done");
        }
        Path config = Files.writeString(dir.resolve("c.yaml"), "out: " + out + "\n");
        CliTest.Run fromFile = run(one, "run", "draws", "--config", config.toString(), "--dry-run");
        assertThat(fromFile.status()).isEqualTo(2);
        assertThat(fromFile.err()).contains("losslab: " + config + ", line 1: out: cannot create the directory '"
                + out + "'");
    }

    @Test
    void errorsPrintTheirMessageWithoutAStackTraceUnlessDebug(@TempDir Path dir) {
        Module starving = FakeExperiments.module(FakeExperiments.erring("starves",
                new OutOfMemoryError("Java heap space")), FakeExperiments.writing("draws"));
        CliTest.Run r = run(starving, "run", "all", "--out", dir.resolve("a").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("  starves: failed: out of memory (Java heap space)").doesNotContain("\tat ");
        assertThat(r.out()).contains("draws: done in");

        Module checking = FakeExperiments.module(FakeExperiments.erringInValidation("checks",
                new OutOfMemoryError("Java heap space")));
        CliTest.Run early = run(checking, "run", "all", "--out", dir.resolve("b").toString());
        assertThat(early.status()).isEqualTo(1);
        assertThat(early.err()).startsWith("losslab: error: out of memory (Java heap space): ")
                .doesNotContain("\tat ");
        CliTest.Run debug = run(checking, "run", "all", "--out", dir.resolve("c").toString(), "--debug");
        assertThat(debug.err()).contains("java.lang.OutOfMemoryError: Java heap space").contains("\tat ");
    }

    @Test
    void dryRunChecksEverythingPrintsTheResolvedConfigurationAndWritesNothing(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "seed: 5\nexperiments:\n  draws:\n    epochs: 4\n");
        Path out = dir.resolve("out");
        CliTest.Run r = run(FAKES, "run", "draws", "--config", config.toString(), "--out", out.toString(),
                "--dry-run");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("# losslab run --dry-run: the configuration is valid")
                .contains("# backend: tensorflow").contains("# would run: draws into " + out.resolve("draws"))
                .contains("seed: 5").contains("deterministic: false").contains("epochs: 4")
                .contains("learning-rate: 0.1").contains("batch-size: 10");
        assertThat(out).doesNotExist();

        Path printed = Files.writeString(dir.resolve("printed.yaml"), r.out());
        CliTest.Run reread = run(FAKES, "run", "draws", "--config", printed.toString(), "--dry-run");
        assertThat(reread.status()).as(reread.err()).isZero();
        assertThat(reread.out()).isEqualTo(r.out());

        Files.writeString(config, "experiments:\n  draws:\n    batch-size: 1000\n");
        CliTest.Run tooLarge = run(FAKES, "run", "draws", "--config", config.toString(), "--out", out.toString(),
                "--dry-run");
        assertThat(tooLarge.status()).isEqualTo(2);
        assertThat(tooLarge.err()).contains("experiments.draws.batch-size: 1000 is not allowed; expected an integer "
                + "in [1, 100]");

        Files.writeString(config, "experiments:\n  draws:\n    epoch: 3\n");
        CliTest.Run typo = run(FAKES, "run", "draws", "--config", config.toString(), "--dry-run");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("experiments.draws.epoch: unknown key (did you mean 'epochs'?)");

        Files.createDirectories(out.resolve("old"));
        CliTest.Run occupied = run(FAKES, "run", "draws", "--out", out.toString(), "--dry-run");
        assertThat(occupied.status()).isEqualTo(2);
        assertThat(occupied.err()).contains("already holds results");
    }

    @Test
    void aDataFileThatCannotBeReadIsNamedBeforeAnyExperimentStarts(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String f : MnistData.FILES) {
            // an unsigned-byte array of 3 dimensions whose header ends after the first size
            Files.write(data.resolve(f), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
        }
        Path out = dir.resolve("out");
        CliTest.Run r = run(FAKES, "run", "draws", "--data-dir", data.toString(), "--out", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("data-dir: ").contains(MnistData.TRAIN_IMAGES).doesNotContain("\tat ");
        assertThat(out).doesNotExist();
        CliTest.Run dry = run(FAKES, "run", "draws", "--data-dir", data.toString(), "--dry-run");
        assertThat(dry.status()).isEqualTo(2);
        assertThat(dry.err()).contains(MnistData.TRAIN_IMAGES);
    }

    @Test
    void progressGoesToLogLinesAndQuietSilencesIt(@TempDir Path dir) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            Module one = FakeExperiments.module(FakeExperiments.writing("draws"));
            assertThat(run(one, "run", "all", "--out", dir.resolve("a").toString()).status()).isZero();
            assertThat(logged.toString(StandardCharsets.UTF_8)).contains("draws: started");
            logged.reset();
            CliTest.Run quiet = run(one, "run", "all", "--out", dir.resolve("b").toString(), "--quiet");
            assertThat(quiet.status()).isZero();
            assertThat(quiet.out()).contains("draws: done in");
            assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void summariesRecordTheCommandLineAndTheResolvedConfiguration(@TempDir Path dir) throws IOException {
        Module one = FakeExperiments.module(FakeExperiments.writing("draws"));
        Path out = dir.resolve("my results");
        assertThat(run(one, "run", "draws", "--out", out.toString(), "--seed", "9").status()).isZero();
        JsonNode run = OutputWriter.json().readTree(out.resolve("draws/summary.json").toFile()).get("run");
        assertThat(run.get("command").asText()).isEqualTo("losslab run draws --out '" + out + "' --seed 9");
        assertThat(run.get("config").get("seed").asLong()).isEqualTo(9);
        assertThat(run.get("config").get("experiments").get("draws").get("epochs").asInt()).isEqualTo(3);
        assertThat(run.get("versions").get("backend").asText()).startsWith("tensorflow");
    }
}
