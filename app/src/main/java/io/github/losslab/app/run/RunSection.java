package io.github.losslab.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.experiment.Divergence;
import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.app.output.AtomicFiles;
import io.github.losslab.app.output.OutputWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code run} object the runner adds to each experiment's {@code summary.json}: how the experiment ended, its
 * key numbers and files, and everything needed to run it again (the command line, the resolved configuration
 * and its hash, the versions). {@code --resume} reads it back to skip experiments that are done, and the report
 * reads it for experiments it did not run itself.
 *
 * @param status      how the experiment ended
 * @param error       what went wrong; null when nothing did
 * @param divergences trainings whose loss became NaN or infinite
 * @param keyNumbers  the experiment's key numbers
 * @param files       every file it wrote, relative to its directory, with {@code /} separators
 * @param startedAt   ISO-8601 UTC
 * @param finishedAt  ISO-8601 UTC
 * @param wallSeconds its wall-clock time
 * @param command     the command line; null when run from Java
 * @param configHash  the hash of its resolved configuration
 * @param config      the resolved configuration in the configuration file's form (a file of it, JSON being YAML,
 *                    given to {@code --config} runs the experiment again)
 * @param versions    losslab, Java and OS versions, and the backend's name, version and device
 * @param trialSeconds the sum of its kept trials' own wall-clock times, whichever run did them; NaN for an
 *                     experiment without trials (or none kept)
 */
public record RunSection(ExperimentStatus status, String error, List<Map<String, Object>> divergences,
                         Map<String, Double> keyNumbers, List<String> files, String startedAt, String finishedAt,
                         double wallSeconds, String command, String configHash, Map<String, Object> config,
                         Map<String, String> versions, double trialSeconds) {

    /** The summary's file name in an experiment's directory. */
    public static final String SUMMARY = "summary.json";
    /** The key of the section in the summary. */
    public static final String KEY = "run";

    public RunSection {
        divergences = List.copyOf(divergences);
        keyNumbers = Collections.unmodifiableMap(new LinkedHashMap<>(keyNumbers));
        files = List.copyOf(files);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }

    /** The divergences as the summary holds them. */
    static List<Map<String, Object>> describe(List<Divergence> divergences) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Divergence d : divergences) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", d.model());
            m.put("epoch", d.epoch());
            m.put("step", d.step());
            m.put("loss", d.loss());
            m.put("message", d.message());
            out.add(m);
        }
        return out;
    }

    /**
     * Writes this section into {@code <directory>/summary.json}, atomically: into the summary the experiment wrote
     * in this run when {@code base} holds it, otherwise into a new one holding {@code base}.
     */
    public Path writeInto(Path directory, ObjectNode base) throws IOException {
        ObjectNode summary = base.deepCopy();
        summary.set(KEY, OutputWriter.json().valueToTree(toMap()));
        return AtomicFiles.write(directory.resolve(SUMMARY), out -> {
            OutputWriter.json().writeValue(out, summary);
            out.write('\n');
        });
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.label());
        m.put("error", error);
        m.put("divergences", divergences);
        m.put("keyNumbers", keyNumbers);
        m.put("files", files);
        m.put("startedAt", startedAt);
        m.put("finishedAt", finishedAt);
        m.put("wallSeconds", wallSeconds);
        m.put("command", command);
        m.put("configHash", configHash);
        m.put("config", config);
        m.put("versions", versions);
        if (Double.isFinite(trialSeconds)) {
            m.put("trialSeconds", trialSeconds);
        }
        return m;
    }

    /** The summary in {@code directory}, when there is one that parses. */
    public static Optional<ObjectNode> readSummary(Path directory) {
        Path file = directory.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = OutputWriter.json().readTree(file.toFile());
            return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The run section of a summary, when it has a readable one. */
    public static Optional<RunSection> of(JsonNode summary) {
        JsonNode r = summary.get(KEY);
        if (r == null || !r.isObject()) {
            return Optional.empty();
        }
        ExperimentStatus status;
        try {
            status = ExperimentStatus.parse(r.path("status").asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        r.path("keyNumbers").fields().forEachRemaining(e -> keyNumbers.put(e.getKey(), e.getValue().asDouble()));
        List<String> files = new ArrayList<>();
        r.path("files").forEach(f -> files.add(f.asText()));
        List<Map<String, Object>> divergences = new ArrayList<>();
        r.path("divergences").forEach(d -> divergences.add(map(d)));
        Map<String, String> versions = new LinkedHashMap<>();
        r.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new RunSection(status, text(r, "error"), divergences, keyNumbers, files,
                text(r, "startedAt"), text(r, "finishedAt"), r.path("wallSeconds").asDouble(Double.NaN),
                text(r, "command"), text(r, "configHash"), map(r.path("config")), versions,
                r.path("trialSeconds").asDouble(Double.NaN)));
    }

    /**
     * Whether {@code directory} holds results of {@code experiment} that losslab wrote: a directory (not a link)
     * whose summary has a run section and names that experiment. {@code --force} removes only such a directory.
     */
    public static boolean holds(Path directory, String experiment) {
        return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) && readSummary(directory)
                .filter(s -> s.has(KEY)).filter(s -> experiment.equals(s.path("experiment").asText())).isPresent();
    }

    /**
     * Whether {@code directory} holds complete results of a run with this configuration hash: a summary whose run
     * section says completed, with the same hash, and every file it lists in place.
     */
    public static boolean isDone(Path directory, String configHash) {
        Optional<RunSection> run = readSummary(directory).flatMap(RunSection::of);
        if (run.isEmpty() || run.get().status() != ExperimentStatus.COMPLETED
                || !configHash.equals(run.get().configHash())) {
            return false;
        }
        for (String f : run.get().files()) {
            if (!Files.isRegularFile(directory.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        return OutputWriter.json().convertValue(node, LinkedHashMap.class);
    }
}
