package io.github.losslab.app.config;

import io.github.losslab.api.Precision;
import io.github.losslab.app.output.OutputDirectory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * dataset: mnist             # mnist, fashion-mnist, kmnist or cifar10: the files data-dir holds
 * data-dir: path/to/idx      # the data set's files, instead of the bundled MNIST subset
 * out: losslab-out           # output directory
 * deterministic: false       # single-threaded native operations
 * engine: local              # what runs the trials: local (this process) or spark
 * parallelism: 0             # trials at once under the local engine; 0 for one per core
 * spark-master: local[2]     # the spark engine's master URL (spark://host:7077, yarn, k8s://...)
 * experiments:               # per-experiment settings, overriding the preset
 *   fit-function:
 *     epochs: 200
 * </pre>
 *
 * The names of the experiments and their keys are checked later, against the experiments that exist.
 */
public final class ConfigFile {

    /** The top-level keys, in the order of the documentation. */
    public static final List<String> KEYS = List.of("backend", "device", "seed", "preset", "precision", "dataset", "data-dir",
            "out", "deterministic", "engine", "parallelism", "spark-master", "experiments");

    /** One part of a dotted key: a name, and an index into its list ({@code hidden-layers[1]}). */
    private static final Pattern KEY_PART = Pattern.compile("([^\\[\\]]+)(?:\\[(\\d+)])?");

    private ConfigFile() {
    }

    /**
     * Reads {@code file} and applies its values on top of {@code builder}.
     *
     * @throws ConfigException when the file does not exist, is not valid YAML, or holds an invalid key or value
     */
    public static LosslabConfig.Builder apply(Path file, LosslabConfig.Builder builder) {
        String text = read(file);
        Map<String, Object> document = parse(text, file.toString());
        try {
            return apply(document, builder);
        } catch (ConfigException e) {
            throw e.key().isEmpty() ? e : e.at(location(file, text, e.key()));
        }
    }

    /**
     * Where {@code key} (a dotted path such as {@code experiments.fit-function.points}, with an optional
     * {@code [index]}) is written in {@code file}: {@code file, line N}, or the file alone when it is not there.
     */
    public static String location(Path file, String key) {
        try {
            return location(file, TextFiles.readUtf8(file), key);
        } catch (IOException e) {
            return file.toString();
        }
    }

    private static String location(Path file, String text, String key) {
        OptionalInt line = line(text, key);
        return file + (line.isPresent() ? ", line " + line.getAsInt() : "");
    }

    /** The line (from 1) where {@code key} is written in the YAML {@code text}, when it is there. */
    static OptionalInt line(String text, String key) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().build()).composeString(text);
        } catch (YamlEngineException e) {
            return OptionalInt.empty();
        }
        Node node = root.orElse(null);
        Optional<Mark> mark = Optional.empty();
        for (String part : key.split("\\.")) {
            Matcher m = KEY_PART.matcher(part);
            if (!m.matches() || !(node instanceof MappingNode mapping)) {
                return OptionalInt.empty();
            }
            NodeTuple tuple = mapping.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k
                    && k.getValue().equals(m.group(1))).findFirst().orElse(null);
            if (tuple == null) {
                return OptionalInt.empty();
            }
            node = tuple.getValueNode();
            mark = tuple.getKeyNode().getStartMark();
            if (m.group(2) != null && node instanceof SequenceNode list) {
                int index = Integer.parseInt(m.group(2));
                if (index < list.getValue().size()) {
                    node = list.getValue().get(index);
                    mark = node.getStartMark();
                }
            }
        }
        return mark.map(k -> OptionalInt.of(k.getLine() + 1)).orElse(OptionalInt.empty());
    }

    private static String read(Path file) {
        try {
            return TextFiles.readUtf8(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        } catch (TextFiles.NotUtf8Exception e) {
            throw new ConfigException("", "configuration file " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": "
                    + OutputDirectory.reason(e));
        }
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
                case "dataset" -> builder.dataset(name(key, value));
                case "data-dir" -> builder.dataDir(value == null ? null : Path.of(name(key, value)));
                case "out" -> builder.out(Path.of(name(key, value)));
                case "deterministic" -> builder.deterministic(bool(key, value));
                case "engine" -> builder.engine(name(key, value));
                case "parallelism" -> builder.parallelism(integer(key, value));
                case "spark-master" -> builder.sparkMaster(value == null ? null : name(key, value));
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
        return SettingsBinder.wholeNumber(value).orElseThrow(() -> ConfigException.invalidValue(key, value,
                "an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE));
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
