package io.github.losslab.app.config;

import io.github.losslab.api.Precision;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML configuration file and applies it to a {@link LosslabConfig.Builder}, checking every key and
 * the type and range of every value before anything runs. The keys:
 *
 * <pre>
 * backend: tensorflow        # the backend's name
 * device: cpu                # cpu or gpu
 * seed: 42                   # root seed of the run
 * preset: quick              # quick or full
 * precision: float32         # float32 or float64
 * data-dir: path/to/idx      # IDX files to use instead of the bundled data
 * out: losslab-out           # output directory
 * deterministic: false       # single-threaded native operations
 * experiments:               # per-experiment settings, overriding the preset
 *   fit-function:
 *     epochs: 200
 * </pre>
 *
 * The names of the experiments and their keys are checked later, against the experiments that exist.
 */
public final class ConfigFile {

    /** The top-level keys, in the order of the documentation. */
    public static final List<String> KEYS = List.of("backend", "device", "seed", "preset", "precision", "data-dir",
            "out", "deterministic", "experiments");

    private ConfigFile() {
    }

    /**
     * Reads {@code file} and applies its values on top of {@code builder}.
     *
     * @throws ConfigException when the file does not exist, is not valid YAML, or holds an invalid key or value
     */
    public static LosslabConfig.Builder apply(Path file, LosslabConfig.Builder builder) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage());
        }
        return apply(parse(text, file.toString()), builder);
    }

    /** Parses YAML text into the document's top-level mapping (empty for an empty document). */
    public static Map<String, Object> parse(String yaml, String source) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false).build();
        Object document;
        try {
            document = new Load(settings).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigException("", source + " is not valid YAML: " + e.getMessage().strip());
        }
        if (document == null) {
            return Map.of();
        }
        return mapping("", document, source);
    }

    /** Applies an already parsed document on top of {@code builder}. */
    public static LosslabConfig.Builder apply(Map<String, Object> document, LosslabConfig.Builder builder) {
        for (Map.Entry<String, Object> e : document.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            switch (key) {
                case "backend" -> builder.backend(name(key, value));
                case "device" -> builder.device(name(key, value));
                case "seed" -> builder.seed(integer(key, value));
                case "preset" -> builder.preset(parsed(key, value, Preset::parse));
                case "precision" -> builder.precision(parsed(key, value, Precision::parse));
                case "data-dir" -> builder.dataDir(value == null ? null : Path.of(name(key, value)));
                case "out" -> builder.out(Path.of(name(key, value)));
                case "deterministic" -> builder.deterministic(bool(key, value));
                case "experiments" -> {
                    if (value != null) {
                        mapping(key, value, null).forEach((name, section) -> builder.experiment(name,
                                section == null ? Map.of() : mapping(ConfigException.join(key, name), section, null)));
                    }
                }
                default -> throw ConfigException.unknownKey("", key, KEYS);
            }
        }
        return builder;
    }

    private static Map<String, Object> mapping(String key, Object value, String source) {
        if (!(value instanceof Map<?, ?> map)) {
            String what = "a mapping of keys to values";
            throw key.isEmpty()
                    ? new ConfigException("", source + " must hold " + what + ", found " + ConfigException.describe(value))
                    : ConfigException.invalidValue(key, value, what);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new ConfigException(ConfigException.join(key, String.valueOf(e.getKey())),
                        "keys must be names, found " + ConfigException.describe(e.getKey()));
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    private static String name(String key, Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        throw ConfigException.invalidValue(key, value, "a non-empty text");
    }

    private static long integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw ConfigException.invalidValue(key, value, "an integer between " + Long.MIN_VALUE + " and "
                + Long.MAX_VALUE);
    }

    private static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw ConfigException.invalidValue(key, value, "true or false");
    }

    private static <T> T parsed(String key, Object value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(name(key, value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
