package io.github.losslab.app.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.TrialResults;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment run once on the real TensorFlow backend in deterministic mode, for the tests that check what a
 * tiny run writes and prints: the one fixture of the experiment tests, so that each of them builds its context, runs
 * its trials and their reduce step, and reads what they wrote the same way.
 *
 * @param out     the directory the experiment wrote into
 * @param result  what the run returned
 * @param printed what the run printed to its results
 */
public record TensorFlowRun(Path out, ExperimentResult result, String printed) {

    /** Runs {@code experiment} (its trials, then its reduce step) into {@code out} with the given seed. */
    public static TensorFlowRun of(Experiment experiment, Path out, long seed) throws IOException {
        StringWriter results = new StringWriter();
        ExperimentContext context = ExperimentContext.builder(backend(), out).seed(seed)
                .results(new PrintWriter(results)).build();
        ExperimentResult result = experiment.run(context);
        return new TensorFlowRun(out, result, results.toString());
    }

    /**
     * Runs the reduce step of {@code experiment} alone, in {@code context}, on trials run one by one or made up (to
     * show a verdict where the phenomenon is absent), and returns what it wrote.
     */
    public static <R> TensorFlowRun reduce(TrialExperiment<?, R> experiment, TrialResults<R> trials,
            ExperimentContext context) throws IOException {
        ExperimentResult result = experiment.reduce(trials, context);
        return new TensorFlowRun(context.output().directory(), result, "");
    }

    /** The real TensorFlow backend in deterministic mode, as every experiment test uses it. */
    public static Backend backend() {
        return Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
    }

    /**
     * A context on {@link #backend()} writing into {@code out} with the given seed, for the tests that call an
     * experiment's {@code validate}, {@code runTrial} or {@code reduce} step by step.
     */
    public static ExperimentContext context(Path out, long seed) {
        return ExperimentContext.builder(backend(), out).seed(seed).build();
    }

    /** A context on {@link #backend()} writing into {@code out} with the default seed. */
    public static ExperimentContext context(Path out) {
        return ExperimentContext.builder(backend(), out).build();
    }

    /** The {@code summary.json} the run wrote. */
    public JsonNode summary() throws IOException {
        return OutputWriter.json().readTree(out.resolve("summary.json").toFile());
    }

    /** Asserts that each of {@code files} was written into {@link #out()}, is not empty, and was reported. */
    public void assertWrote(List<String> files) {
        for (String file : files) {
            Path p = out.resolve(file);
            assertThat(p).isRegularFile();
            assertThat(p.toFile().length()).as(file).isPositive();
            assertThat(result.files()).contains(p);
        }
    }

    /** Asserts that the run kept exactly one result file, {@code trials/<key>.json}, per trial key. */
    public void assertOneTrialFilePer(List<String> keys) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("trials"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> k + ".json").toList());
        }
    }
}
