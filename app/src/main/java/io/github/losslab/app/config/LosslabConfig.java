package io.github.losslab.app.config;

import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.ImageDataset;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The resolved configuration of a run: built-in defaults, overridden by the configuration file, overridden by
 * command-line flags. Per-experiment sections are kept as read from the file and bound onto each experiment's
 * settings by {@link SettingsBinder}.
 *
 * @param backend       backend name, for example {@code tensorflow}
 * @param device        {@code cpu} or {@code gpu}
 * @param seed          root seed of every random choice of the run
 * @param preset        the scale of the experiments
 * @param precision     parameter and arithmetic precision of every model
 * @param dataset       the image data set the experiments that take images train on: which files {@code dataDir}
 *                      holds and the class names; {@link ImageDataset#MNIST} (the default) with no {@code dataDir}
 *                      is the bundled subset
 * @param dataDir       a directory of the data set's files to use instead of the bundled data; null for the
 *                      bundled data
 * @param out           output directory
 * @param deterministic single-threaded native operations, so that equal seeds give equal numbers
 * @param engine        what runs the trials of the experiments: {@code local} (in this process) or {@code spark}
 * @param parallelism   trials at once under the {@code local} engine; 0 for {@link #defaultParallelism()}
 * @param sparkMaster   the Spark master URL of the {@code spark} engine ({@code local[2]},
 *                      {@code spark://host:7077}); null for what {@code spark-submit} gives, else {@code local[*]}
 * @param experiments   per-experiment settings sections by experiment name, as written in the file
 */
public record LosslabConfig(String backend, String device, long seed, Preset preset, Precision precision,
                            ImageDataset dataset, Path dataDir, Path out, boolean deterministic, String engine, int parallelism,
                            String sparkMaster, Map<String, Map<String, Object>> experiments) {

    public static final String BACKEND_DEFAULT = "tensorflow";
    public static final String DEVICE_DEFAULT = "cpu";
    public static final long SEED_DEFAULT = 42;
    public static final Preset PRESET_DEFAULT = Preset.QUICK;
    public static final Precision PRECISION_DEFAULT = Precision.FLOAT32;
    public static final ImageDataset DATASET_DEFAULT = ImageDataset.MNIST;
    public static final Path OUT_DEFAULT = Path.of("losslab-out");
    public static final String ENGINE_DEFAULT = "local";
    /** Parallelism 0: the local engine chooses ({@link #defaultParallelism()}). */
    public static final int PARALLELISM_AUTO = 0;
    /** The most trials at once a configuration may ask for. */
    public static final int PARALLELISM_MAX = 1024;

    /** The valid devices. */
    public static final List<String> DEVICES = List.of("cpu", "gpu");

    /** The built-in defaults. */
    public static final LosslabConfig DEFAULT = new LosslabConfig(BACKEND_DEFAULT, DEVICE_DEFAULT, SEED_DEFAULT,
            PRESET_DEFAULT, PRECISION_DEFAULT, DATASET_DEFAULT, null, OUT_DEFAULT, false, ENGINE_DEFAULT, PARALLELISM_AUTO, null, Map.of());

    public LosslabConfig {
        Objects.requireNonNull(backend, "backend");
        if (!DEVICES.contains(device)) {
            throw new IllegalArgumentException("device must be one of " + DEVICES + ", was '" + device + "'");
        }
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(engine, "engine");
        if (parallelism < 0 || parallelism > PARALLELISM_MAX) {
            throw new IllegalArgumentException("parallelism must be between 0 and " + PARALLELISM_MAX + ", was "
                    + parallelism);
        }
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        experiments.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        experiments = Collections.unmodifiableMap(copy);
    }

    /** The data directory, when the user gave one. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }

    /** The section of one experiment (empty when the file has none). */
    public Map<String, Object> experiment(String name) {
        return experiments.getOrDefault(name, Map.of());
    }

    /**
     * Trials at once under the local engine: {@link #parallelism} when set, else {@link #defaultParallelism()}.
     */
    public int trialsAtOnce() {
        return parallelism > 0 ? parallelism : defaultParallelism();
    }

    /**
     * Trials at once when the configuration does not say: one per core. Each trial then runs its operations on
     * one thread. On the 2-core reference machine, 16 small trials took less time two at a time, one thread each,
     * than one at a time on two threads (see the sweep benchmark in the README's speed table).
     */
    public static int defaultParallelism() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * What the backend is created with: deterministic runs use one thread per operation and one at a time; with
     * several trials at once under the local engine, each trial's operations get an equal share of the cores.
     */
    public BackendOptions backendOptions() {
        BackendOptions o = BackendOptions.DEFAULT.withDevice(device).withDeterministic(deterministic);
        int share = Math.max(1, Runtime.getRuntime().availableProcessors() / trialsAtOnce());
        return ENGINE_DEFAULT.equals(engine) ? o.withThreads(o.intraOpThreads(), Math.min(o.interOpThreads(), share))
                : o;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** Sets values one by one; each setter validates its value. */
    public static final class Builder {
        private String backend;
        private String device;
        private long seed;
        private Preset preset;
        private Precision precision;
        private ImageDataset dataset;
        private Path dataDir;
        private Path out;
        private boolean deterministic;
        private String engine;
        private int parallelism;
        private String sparkMaster;
        private final Map<String, Map<String, Object>> experiments;

        private Builder(LosslabConfig c) {
            backend = c.backend;
            device = c.device;
            seed = c.seed;
            preset = c.preset;
            precision = c.precision;
            dataset = c.dataset;
            dataDir = c.dataDir;
            out = c.out;
            deterministic = c.deterministic;
            engine = c.engine;
            parallelism = c.parallelism;
            sparkMaster = c.sparkMaster;
            experiments = new LinkedHashMap<>(c.experiments);
        }

        public Builder backend(String value) {
            backend = Objects.requireNonNull(value, "backend");
            return this;
        }

        public Builder device(String value) {
            if (!DEVICES.contains(value)) {
                throw ConfigException.invalidValue("device", value, "one of " + String.join(", ", DEVICES));
            }
            device = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder preset(Preset value) {
            preset = Objects.requireNonNull(value, "preset");
            return this;
        }

        public Builder precision(Precision value) {
            precision = Objects.requireNonNull(value, "precision");
            return this;
        }

        /**
         * The data set by name ({@code mnist}, {@code fashion-mnist}, {@code kmnist}, {@code cifar10}).
         *
         * @throws ConfigException naming the key, the value and the known names
         */
        public Builder dataset(String value) {
            dataset = ImageDataset.find(Objects.requireNonNull(value, "dataset")).orElseThrow(() ->
                    ConfigException.invalidValue("dataset", value, "one of " + ImageDataset.names()));
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder out(Path value) {
            out = Objects.requireNonNull(value, "out");
            return this;
        }

        public Builder deterministic(boolean value) {
            deterministic = value;
            return this;
        }

        /** The engine that runs the trials, by name ({@code local}, {@code spark}); checked when the run starts. */
        public Builder engine(String value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** Trials at once under the local engine; 0 lets losslab choose. */
        public Builder parallelism(long value) {
            if (value < 0 || value > PARALLELISM_MAX) {
                throw ConfigException.invalidValue("parallelism", value, "a whole number from 1 to "
                        + PARALLELISM_MAX + " (trials at once), or 0 for one per core");
            }
            parallelism = (int) value;
            return this;
        }

        /** The Spark master URL; null for the default. */
        public Builder sparkMaster(String value) {
            sparkMaster = value;
            return this;
        }

        /** Replaces the section of one experiment. */
        public Builder experiment(String name, Map<String, Object> section) {
            experiments.put(name, new LinkedHashMap<>(section));
            return this;
        }

        public LosslabConfig build() {
            return new LosslabConfig(backend, device, seed, preset, precision, dataset, dataDir, out, deterministic,
                    engine, parallelism, sparkMaster, experiments);
        }
    }
}
