package io.github.losslab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.bench.SweepRun;
import io.github.losslab.app.cli.Cli;
import io.github.losslab.app.output.OutputWriter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep the engine tests run: the benchmark's sweep ({@link SweepRun#experiments}) of eight trials of well
 * under a second each, deterministic on the real TensorFlow backend, and what its results are compared on.
 */
final class Sweeps {

    /** The experiment. */
    static final String EXPERIMENT = SweepRun.EXPERIMENT;

    /** Its trials, one per batch size. */
    static final int TRIALS = 8;

    private static JsonNode baseline;

    private Sweeps() {
    }

    /**
     * The numbers of the sweep under the local engine, one trial at a time, on the bundled data: what every engine
     * must give. Run once per test JVM, into {@code target/sweep-baseline}.
     */
    static synchronized JsonNode baseline() throws IOException {
        if (baseline == null) {
            Path dir = Path.of("target", "sweep-baseline").toAbsolutePath();
            if (Files.exists(dir.resolve("out"))) {
                try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            baseline = run(config(dir, null), dir.resolve("out"), "--engine", "local", "--parallelism", "1");
        }
        return baseline;
    }

    /** A configuration file for the sweep, with the bundled data or {@code dataDir}. */
    static Path config(Path dir, Path dataDir) throws IOException {
        String yaml = "backend: tensorflow\nseed: 11\ndeterministic: true\n"
                + (dataDir == null ? "" : "data-dir: " + dataDir + "\n") + SweepRun.experiments(TRIALS);
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("sweep.yaml"), yaml);
    }

    /** The trial files in {@code trials}, 0 while it does not exist. */
    static int trialFiles(Path trials) {
        if (!Files.isDirectory(trials)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(trials)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** What the command line printed and returned. */
    record Run(int status, String out, String err) {
    }

    /** Runs the command line in this process. */
    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** Runs the sweep through the command line into {@code out} with {@code flags} (the engine's). */
    static JsonNode run(Path config, Path out, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", EXPERIMENT, "--config", config.toString(), "--out",
                out.toString(), "--quiet"));
        args.addAll(List.of(flags));
        Run r = cli(args.toArray(String[]::new));
        assertThat(r.status()).as("status; stderr: %s", r.err()).isZero();
        return numbers(out.resolve(EXPERIMENT).resolve("summary.json"));
    }

    /**
     * A summary's numbers: the file without what differs between equal runs (its provenance and run sections,
     * wall-clock times and timestamps).
     */
    static JsonNode numbers(Path summary) throws IOException {
        JsonNode s = OutputWriter.json().readTree(summary.toFile());
        strip(s);
        return s;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next().toLowerCase(Locale.ROOT);
                if (name.equals("provenance") || name.equals("run") || name.contains("wall")
                        || name.contains("seconds") || name.contains("time") || name.contains("elapsed")) {
                    names.remove();
                }
            }
        }
        node.forEach(Sweeps::strip);
    }
}
