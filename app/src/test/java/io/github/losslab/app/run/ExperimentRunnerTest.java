package io.github.losslab.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.Cancellation;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.report.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner with experiments that need no native backend: outcomes, summaries, the report, resume, stopping. */
class ExperimentRunnerTest {

    private static RunResult run(Path out, RunOptions options, Map<String, Map<String, Object>> sections,
                                 ExperimentType<?>... types) {
        LosslabConfig.Builder b = LosslabConfig.builder().out(out);
        sections.forEach(b::experiment);
        LosslabConfig config = b.build();
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(types));
        List<Experiment> experiments = catalog.configure(catalog.select(List.of("all")), config);
        return new ExperimentRunner(config, FakeExperiments::backend, catalog).run(experiments, options);
    }

    private static RunResult run(Path out, RunOptions options, ExperimentType<?>... types) {
        return run(out, options, Map.of(), types);
    }

    @Test
    void aFailedExperimentIsNamedInTheReportAndTheOthersStillRun(@TempDir Path dir) throws IOException {
        StringWriter printed = new StringWriter();
        RunResult r = run(dir, RunOptions.defaults().withResults(new PrintWriter(printed)).withCommand("losslab run all"),
                FakeExperiments.failing("breaks"), FakeExperiments.writing("draws"));

        assertThat(r.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.FAILED, ExperimentStatus.COMPLETED);
        assertThat(r.failures()).singleElement().satisfies(o -> assertThat(o.message())
                .isEqualTo("breaks: failed: the widget broke: expected 3 widgets, found 2"));
        assertThat(printed.toString()).contains("breaks: failed after").contains("draws: done in")
                .contains("report: " + dir.resolve("report.html"));

        String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
        assertThat(html).contains("the widget broke: expected 3 widgets, found 2")
                .contains("<span class=\"badge failed\">failed</span>")
                .contains("<span class=\"badge completed\">completed</span>")
                .contains("The run finished with failures: of the 2 experiments, 1 completed, 1 failed.")
                .contains("data:image/png;base64,iVBOR")
                .contains("href=\"draws/part/loss.svg\"").contains("href=\"draws/part/history.csv\"")
                .contains("href=\"breaks/partial.txt\"")
                .contains("losslab run all")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");

        JsonNode failed = summary(dir.resolve("breaks"));
        assertThat(failed.get("run").get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("run").get("error").asText()).contains("the widget broke");
        assertThat(failed.get("settings").get("epochs").asInt()).isEqualTo(3);
        JsonNode done = summary(dir.resolve("draws"));
        assertThat(done.get("finalLoss").asDouble()).isEqualTo(1.0 / 3);
        assertThat(done.get("run").get("status").asText()).isEqualTo("completed");
        assertThat(done.get("run").get("keyNumbers").get("model A / final loss").asDouble()).isEqualTo(1.0 / 3);
        assertThat(done.get("run").get("files")).extracting(JsonNode::asText)
                .contains("part/loss.png", "part/loss.svg", "part/history.csv", "summary.json");
        assertThat(done.get("run").get("configHash").asText()).hasSize(64);
        assertThat(done.get("run").get("command").asText()).isEqualTo("losslab run all");
        assertThat(done.get("run").get("config").get("experiments").get("draws").get("epochs").asInt()).isEqualTo(3);
        assertThat(done.get("provenance").get("command").asText()).isEqualTo("losslab run all");
        assertThat(done.get("provenance").get("configHash").asText())
                .isEqualTo(done.get("run").get("configHash").asText());
    }

    @Test
    void aDivergedTrainingNamesExperimentModelEpochStepAndHint(@TempDir Path dir) throws IOException {
        RunResult r = run(dir, RunOptions.defaults(), FakeExperiments.diverging("explodes"),
                FakeExperiments.writing("draws"));
        assertThat(r.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.DIVERGED, ExperimentStatus.COMPLETED);
        Outcome o = r.failures().get(0);
        assertThat(o.message()).startsWith("explodes: model 'wide net, SGD (lr 1e9)': ").contains("epoch 2")
                .contains("step 17").contains("try a smaller learning rate");
        assertThat(o.divergences()).singleElement().satisfies(d -> {
            assertThat(d.epoch()).isEqualTo(2);
            assertThat(d.step()).isEqualTo(17);
        });
        JsonNode s = summary(dir.resolve("explodes"));
        assertThat(s.get("run").get("status").asText()).isEqualTo("diverged");
        assertThat(s.get("run").get("divergences").get(0).get("model").asText()).isEqualTo("wide net, SGD (lr 1e9)");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("badge diverged")
                .contains("Training diverged.").contains("wide net, SGD (lr 1e9)");
    }

    @Test
    void anOutOfMemoryErrorFailsItsExperimentWithAMessageAndTheNextOneStillRuns(@TempDir Path dir)
            throws IOException {
        StringWriter printed = new StringWriter();
        RunResult r = run(dir, RunOptions.defaults().withResults(new PrintWriter(printed)),
                FakeExperiments.erring("starves", new OutOfMemoryError("Java heap space")),
                FakeExperiments.writing("draws"));
        assertThat(r.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.FAILED, ExperimentStatus.COMPLETED);
        assertThat(r.outcomes().get(0).message()).startsWith("starves: failed: out of memory (Java heap space): ")
                .contains("LOSSLAB_JAVA_OPTS=-Xmx");
        assertThat(printed.toString()).contains("starves: failed after").contains("draws: done in");
        JsonNode s = summary(dir.resolve("starves"));
        assertThat(s.get("run").get("status").asText()).isEqualTo("failed");
        assertThat(s.get("run").get("error").asText()).contains("out of memory (Java heap space)");
        assertThat(s.get("run").get("files")).extracting(JsonNode::asText).contains("partial.txt");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<span class=\"badge failed\">failed</span>")
                .contains("out of memory (Java heap space)")
                .contains("The run finished with failures: of the 2 experiments, 1 completed, 1 failed.");
    }

    @Test
    void anErrorTheProgramCannotRecoverFromStopsTheRunAfterRecordingIt(@TempDir Path dir) throws IOException {
        RunResult r = run(dir, RunOptions.defaults(),
                FakeExperiments.erring("links", new NoClassDefFoundError("org/example/Missing")),
                FakeExperiments.writing("draws"));
        assertThat(r.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.FAILED, ExperimentStatus.NOT_RUN);
        assertThat(r.outcomes().get(0).message()).isEqualTo("links: failed: org/example/Missing");
        assertThat(r.outcomes().get(1).message()).isEqualTo("draws: not started: the run stopped after links "
                + "failed with an error the program cannot recover from");
        assertThat(summary(dir.resolve("links")).get("run").get("status").asText()).isEqualTo("failed");
        assertThat(dir.resolve("draws")).doesNotExist();
    }

    @Test
    void divergencesRecordedBeforeAFailureAreKeptAndNamedFirst(@TempDir Path dir) throws IOException {
        RunResult r = run(dir, RunOptions.defaults(), FakeExperiments.divergingThenFailing("explodes"));
        Outcome o = r.outcomes().get(0);
        assertThat(o.status()).isEqualTo(ExperimentStatus.DIVERGED);
        assertThat(o.divergences()).singleElement().satisfies(d -> assertThat(d.step()).isEqualTo(17));
        assertThat(o.message()).startsWith("explodes: model 'wide net, SGD (lr 1e9)': ")
                .contains("try a smaller learning rate")
                .endsWith("\nexplodes: then failed: line chart 'Loss' has no series");
        JsonNode run = summary(dir.resolve("explodes")).get("run");
        assertThat(run.get("status").asText()).isEqualTo("diverged");
        assertThat(run.get("divergences").get(0).get("epoch").asInt()).isEqualTo(2);
    }

    @Test
    void anOutputDirectoryThatCannotTakeTheReportStopsTheRunBeforeAnyExperiment(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> run(file.resolve("out"), RunOptions.defaults(), FakeExperiments.writing("draws")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("out: cannot write " + file.resolve("out").resolve("report.html"))
                .hasMessageContaining("choose an output directory that can be written");
    }

    @Test
    void aStoppedRunInterruptsTheCurrentExperimentAndStartsNoOther(@TempDir Path dir) throws IOException {
        Cancellation cancellation = new Cancellation();
        ExperimentType<?> stopping = FakeExperiments.type("stops", "is stopped", (s, context) -> {
            context.output().writeString("first.csv", "a\n1\n");
            cancellation.cancel("interrupted by a test");
            context.progress().epoch(1, 1, 0.5);
            context.output().writeString("never.csv", "a\n2\n");
            return null;
        });
        RunResult r = run(dir, RunOptions.defaults().withCancellation(cancellation), stopping,
                FakeExperiments.writing("after"));
        assertThat(r.interrupted()).isEqualTo("interrupted by a test");
        assertThat(r.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.INTERRUPTED, ExperimentStatus.NOT_RUN);
        assertThat(dir.resolve("stops/first.csv")).hasContent("a\n1");
        assertThat(dir.resolve("stops/never.csv")).doesNotExist();
        assertThat(dir.resolve("after")).doesNotExist();
        assertThat(summary(dir.resolve("stops")).get("run").get("status").asText()).isEqualTo("interrupted");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("The run was stopped before it finished")
                .contains("badge interrupted").contains("badge not-run")
                .contains("not started: the run was stopped before its turn");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void resumeSkipsExperimentsDoneWithTheSameConfiguration(@TempDir Path dir) throws IOException {
        ExperimentType<?> a = FakeExperiments.writing("a");
        ExperimentType<?> b = FakeExperiments.failing("b");
        run(dir, RunOptions.defaults(), a, b);
        long written = Files.getLastModifiedTime(dir.resolve("a/summary.json")).toMillis();

        StringWriter printed = new StringWriter();
        RunResult again = run(dir, RunOptions.defaults().withResume(true).withResults(new PrintWriter(printed)), a, b);
        assertThat(again.outcomes()).extracting(Outcome::status)
                .containsExactly(ExperimentStatus.RESUMED, ExperimentStatus.FAILED);
        assertThat(printed.toString()).contains("a: resumed");
        assertThat(Files.getLastModifiedTime(dir.resolve("a/summary.json")).toMillis()).isEqualTo(written);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("badge resumed").contains("Skipped by --resume")
                .contains("data:image/png;base64,");

        RunResult changed = run(dir, RunOptions.defaults().withResume(true),
                Map.of("a", Map.of("epochs", 4)), a, b);
        assertThat(changed.outcomes().get(0).status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(summary(dir.resolve("a")).get("settings").get("epochs").asInt()).isEqualTo(4);
    }

    @Test
    void experimentsValidateAgainstTheirDataBeforeAnyRuns(@TempDir Path dir) {
        assertThatThrownBy(() -> run(dir, RunOptions.defaults(), Map.of("b", Map.of("batch-size", 500)),
                FakeExperiments.writing("a"), FakeExperiments.writing("b")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("experiments.b.batch-size: 500 is not allowed; expected an integer in [1, 100] (the 100 "
                        + "samples of the pretend data set)");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void theReportListsCatalogExperimentsThatWereNotRun(@TempDir Path dir) throws IOException {
        LosslabConfig config = LosslabConfig.builder().out(dir).build();
        ExperimentCatalog catalog = new ExperimentCatalog(List.of(FakeExperiments.writing("a"),
                FakeExperiments.writing("b")));
        List<Experiment> onlyA = catalog.configure(catalog.select(List.of("a")), config);
        new ExperimentRunner(config, FakeExperiments::backend, catalog).run(onlyA, RunOptions.defaults());
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("id=\"experiment-b\"").contains("not part of this run: run it with 'losslab run b'");

        List<Experiment> onlyB = catalog.configure(catalog.select(List.of("b")), config);
        new ExperimentRunner(config, FakeExperiments::backend, catalog).run(onlyB, RunOptions.defaults());
        String again = Files.readString(dir.resolve("report.html"));
        assertThat(again)
                .contains("Not part of this run. Below are the results of an earlier run into this directory")
                .contains("href=\"a/part/history.csv\"")
                .contains("The run finished: of the 1 experiment, 1 completed.");
        // a's results are there: the table says how that run ended, not "not run"
        String rowOfA = again.substring(again.indexOf("<a href=\"#experiment-a\">"));
        assertThat(rowOfA.substring(0, rowOfA.indexOf("</tr>"))).contains("badge completed")
                .doesNotContain("not run");
    }

    private static JsonNode summary(Path dir) throws IOException {
        return OutputWriter.json().readTree(dir.resolve("summary.json").toFile());
    }
}
