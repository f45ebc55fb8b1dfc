package io.github.losslab.app.trial;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.experiment.Divergence;
import io.github.losslab.app.output.AtomicFiles;
import io.github.losslab.app.output.OutputWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The results of an experiment's trials, one JSON file each in its {@code trials/} directory, written atomically as
 * soon as the trial is done. A file holds the trial's key, the hash of the configuration it was made with, how it
 * ended and its result; {@code --resume} keeps a trial whose file has the run's hash, and runs it again otherwise.
 */
public final class TrialStore {

    /** The directory of an experiment's trials, inside the experiment's directory. */
    public static final String DIRECTORY = "trials";

    /** What a trial key may be: a file name without a dot or slash in front. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+=-]{0,119}");

    private static final Logger LOG = LogManager.getLogger(TrialStore.class);
    private static final ObjectMapper JSON = OutputWriter.json();
    private static final ObjectWriter COMPACT = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final String experiment;
    private final String configHash;

    /**
     * @param experimentDirectory the experiment's own directory
     * @param experiment          its name
     * @param configHash          the hash of the run's configuration of the experiment
     */
    public TrialStore(Path experimentDirectory, String experiment, String configHash) {
        this.directory = experimentDirectory.resolve(DIRECTORY);
        this.experiment = experiment;
        this.configHash = configHash;
    }

    public Path directory() {
        return directory;
    }

    /** The file of a trial. */
    public Path file(String key) {
        return directory.resolve(key + ".json");
    }

    /**
     * The trial's outcome when its file is there and was made with this configuration; empty when it is missing,
     * was made with another configuration, or cannot be read (then with a warning): the trial is to be run.
     */
    public Optional<TrialOutcome> load(String key) {
        Path file = file(key);
        JsonNode node;
        try {
            node = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("{}: cannot read {} ({}); the trial runs again", experiment, file, e.getMessage());
            return Optional.empty();
        }
        if (node == null || !configHash.equals(text(node, "configHash")) || !key.equals(text(node, "key"))) {
            return Optional.empty();
        }
        try {
            TrialOutcome.Status status = TrialOutcome.Status.parse(text(node, "status"));
            List<Divergence> divergences = new ArrayList<>();
            for (JsonNode d : node.path("divergences")) {
                divergences.add(JSON.treeToValue(d, Divergence.class));
            }
            JsonNode result = node.get("result");
            return Optional.of(new TrialOutcome(key, status, result == null || result.isNull() ? null
                    : COMPACT.writeValueAsString(result), divergences, null, node.path("wallSeconds").asDouble(),
                    text(node, "worker")));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            LOG.warn("{}: {} does not hold a trial's result ({}); the trial runs again", experiment, file,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** How many of {@code keys} have a kept outcome of this configuration. */
    public int kept(List<String> keys) {
        return tally(keys).done();
    }

    /**
     * How many trials are kept and how long they took.
     *
     * @param done    the keys whose result is kept
     * @param seconds the sum of their own wall-clock times, whichever run did them
     */
    public record Tally(int done, double seconds) {
    }

    /**
     * How many of {@code keys} have a kept result, and the sum of those trials' own wall-clock times. Reads only the
     * fields in front of each file's result (a trajectory's result is megabytes of parameters), so a file whose
     * header is of this configuration counts as kept even if its result could not be read back by {@link #load}.
     */
    public Tally tally(List<String> keys) {
        int done = 0;
        double seconds = 0;
        for (String key : keys) {
            OptionalDouble wall = keptSeconds(key);
            if (wall.isPresent()) {
                done++;
                seconds += wall.getAsDouble();
            }
        }
        return new Tally(done, seconds);
    }

    /**
     * The trial's own wall-clock time when its file's header says it was kept with this configuration; empty when the
     * file is missing, of another configuration or unreadable. Stops reading at the result, which is written last.
     */
    private OptionalDouble keptSeconds(String key) {
        String hash = null;
        String fileKey = null;
        String status = null;
        double wallSeconds = 0;
        try (JsonParser parser = JSON.getFactory().createParser(file(key).toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalDouble.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("result".equals(field)) {
                    break;
                }
                switch (field) {
                    case "configHash" -> hash = parser.getValueAsString();
                    case "key" -> fileKey = parser.getValueAsString();
                    case "status" -> status = parser.getValueAsString();
                    case "wallSeconds" -> wallSeconds = parser.getValueAsDouble();
                    default -> {
                        if (value.isStructStart()) {
                            parser.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        if (!configHash.equals(hash) || !key.equals(fileKey) || !keptStatus(status)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(wallSeconds);
    }

    private static boolean keptStatus(String status) {
        try {
            return TrialOutcome.Status.parse(status) != TrialOutcome.Status.FAILED;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Writes a kept outcome atomically into its file, replacing what was there. */
    public Path write(TrialOutcome outcome) throws IOException {
        if (!outcome.kept()) {
            throw new IllegalArgumentException("a failed trial is not written: " + outcome.key());
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("experiment", experiment);
        node.put("key", outcome.key());
        node.put("configHash", configHash);
        node.put("status", outcome.status().label());
        node.put("wallSeconds", outcome.wallSeconds());
        node.put("worker", outcome.worker());
        node.set("divergences", JSON.valueToTree(outcome.divergences()));
        node.set("result", outcome.result() == null ? null : JSON.readTree(outcome.result()));
        Files.createDirectories(directory);
        // one line: a trajectory's parameter snapshots are millions of numbers, one per line when indented
        return AtomicFiles.write(file(outcome.key()), out -> {
            COMPACT.writeValue(out, node);
            out.write('\n');
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
