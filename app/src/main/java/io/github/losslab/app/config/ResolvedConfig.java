package io.github.losslab.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resolved configuration written back in the configuration file's form: every top-level key with its value,
 * and the full settings of each experiment (not only what the file overrode). {@code losslab run --dry-run}
 * prints it as YAML, every {@code summary.json} holds it, and a file of it given to {@code --config} runs the
 * same experiments again. Its hash per experiment is what {@code --resume} compares.
 */
public final class ResolvedConfig {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ResolvedConfig() {
    }

    /**
     * The configuration as a file would hold it.
     *
     * @param settings the settings of each experiment by name, in the order to write them
     */
    public static Map<String, Object> toMap(LosslabConfig c, Map<String, ? extends Record> settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("backend", c.backend());
        map.put("device", c.device());
        map.put("seed", c.seed());
        map.put("preset", c.preset().configName());
        map.put("precision", c.precision().configName());
        map.put("dataset", c.dataset().configName());
        if (c.dataDir() != null) {
            map.put("data-dir", c.dataDir().toAbsolutePath().normalize().toString());
        }
        map.put("out", c.out().toString());
        map.put("deterministic", c.deterministic());
        map.put("engine", c.engine());
        map.put("parallelism", c.parallelism());
        if (c.sparkMaster() != null) {
            map.put("spark-master", c.sparkMaster());
        }
        Map<String, Object> experiments = new LinkedHashMap<>();
        settings.forEach((name, s) -> experiments.put(name, SettingsBinder.toMap(s)));
        map.put("experiments", experiments);
        return map;
    }

    /** The map of {@link #toMap} as YAML that {@link ConfigFile} reads back to the same configuration. */
    public static String toYaml(Map<String, Object> map) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.AUTO).setIndent(2)
                .setWidth(120).build();
        return new Dump(settings).dumpToString(map);
    }

    /**
     * Settings added to experiments after their trials were first kept, with the value that computes what was
     * computed before: at that value the hash leaves them out, so that {@code --resume} keeps the earlier trials.
     * {@code plateau-epochs} 0 is no plateau stop.
     */
    static final Map<String, Object> ADDED_SETTINGS = Map.of("plateau-epochs", 0);

    /**
     * The hash of what an experiment's results depend on: its name and settings, the seed, precision, backend,
     * device, determinism, data set (when not the default, so that the hashes of runs made before the key existed
     * stay valid) and data directory (not the output directory, the preset, which only supplied the
     * settings, or the losslab version). A setting added after trials were first kept is left out at the value that
     * computes what was computed before it existed ({@link #ADDED_SETTINGS}), for the same reason. Equal hashes mean
     * a rerun would compute the same thing.
     *
     * @return 64 hexadecimal digits of SHA-256 over a canonical JSON form
     */
    public static String hash(LosslabConfig c, String experiment, Record settings) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("experiment", experiment);
        Map<String, Object> values = new LinkedHashMap<>(SettingsBinder.toMap(settings));
        ADDED_SETTINGS.forEach((key, neutral) -> values.remove(key, neutral));
        inputs.put("settings", values);
        inputs.put("seed", c.seed());
        inputs.put("precision", c.precision().configName());
        inputs.put("backend", c.backend());
        inputs.put("device", c.device());
        inputs.put("deterministic", c.deterministic());
        if (c.dataset() != LosslabConfig.DATASET_DEFAULT) {
            inputs.put("dataset", c.dataset().configName());
        }
        inputs.put("data-dir", c.dataDir() == null ? null : c.dataDir().toAbsolutePath().normalize().toString());
        try {
            byte[] json = CANONICAL.writeValueAsString(inputs).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the configuration of " + experiment, e);
        }
    }
}
