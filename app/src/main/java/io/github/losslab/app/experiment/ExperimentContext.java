package io.github.losslab.app.experiment;

import io.github.losslab.api.Backend;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.ImageDataset;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.trial.LocalEngine;
import io.github.losslab.app.trial.RunSpec;
import io.github.losslab.app.trial.Shard;
import io.github.losslab.app.trial.TrialEngine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What an experiment runs with: the backend, its output directory, the root seed, the precision and the data
 * directory of the run's {@link LosslabConfig}, where to print results, and where to report
 * {@linkplain #progress() progress} (which is also where a run that was asked to stop stops). Java callers build
 * one with {@link #builder(Backend, Path)}.
 */
public final class ExperimentContext {

    private static final Logger LOG = LogManager.getLogger(ExperimentContext.class);

    /** Loads the image data of a run; the runner shares one loaded copy among its experiments. */
    @FunctionalInterface
    public interface MnistSource {
        MnistData.Splits load() throws DataException;

        /**
         * Loads the data of {@code dataset} and {@code dir} on every call: the files of the data directory, or the
         * bundled MNIST subset when there is none.
         *
         * @throws IllegalArgumentException when a data set other than MNIST has no directory (only MNIST is bundled)
         */
        static MnistSource of(ImageDataset dataset, Path dir) {
            if (dir == null && dataset != ImageDataset.MNIST) {
                throw new IllegalArgumentException("the data set " + dataset.configName() + " needs a data directory;"
                        + " only an MNIST subset is bundled");
            }
            return () -> dir == null ? BundledMnist.load() : dataset.load(dir);
        }
    }

    private final Backend backend;
    private final OutputWriter output;
    private final LosslabConfig config;
    private final PrintWriter results;
    private final String experiment;
    private final Progress progress;
    private final MnistSource mnist;
    private final String command;
    private final String configHash;
    private final TrialEngine engine;
    private final Shard shard;
    private final RunSpec runSpec;
    private final Progress.TrialCounter runTrials;
    private final Path outputDirectory;
    private final List<Divergence> divergences = new ArrayList<>();
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();

    private ExperimentContext(Builder b) {
        this.backend = b.backend;
        this.output = new OutputWriter(b.outputDirectory);
        this.config = b.config.build();
        this.results = b.results;
        this.experiment = b.experiment != null ? b.experiment : b.outputDirectory.getFileName() == null
                ? "experiment" : b.outputDirectory.getFileName().toString();
        this.progress = b.progress != null ? b.progress : Progress.none(experiment);
        this.mnist = b.mnist != null ? b.mnist : MnistSource.of(config.dataset(), config.dataDir());
        this.command = b.command;
        this.configHash = b.configHash;
        this.engine = b.engine != null ? b.engine : LocalEngine.sequential();
        this.shard = b.shard;
        this.runSpec = b.runSpec;
        this.runTrials = b.runTrials;
        this.outputDirectory = b.outputDirectory;
    }

    /**
     * This context for one trial of the experiment: the same backend, configuration, data and engine, with the
     * trial's own progress and its own record of divergences.
     */
    public ExperimentContext forTrial(Progress trialProgress) {
        Builder b = toBuilder();
        b.progress = Objects.requireNonNull(trialProgress, "trialProgress");
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(backend, outputDirectory);
        b.config = config.toBuilder();
        b.results = results;
        b.experiment = experiment;
        b.progress = progress;
        b.mnist = mnist;
        b.command = command;
        b.configHash = configHash;
        b.engine = engine;
        b.shard = shard;
        b.runSpec = runSpec;
        b.runTrials = runTrials;
        return b;
    }

    /** The run's configuration (seed, precision, data directory, engine) as this context has it. */
    public LosslabConfig config() {
        return config;
    }

    /** What runs the experiment's trials; by default one at a time in this process. */
    public TrialEngine engine() {
        return engine;
    }

    /** The slice of the run's trials this process runs ({@code --shard}); by default all. */
    public Shard shard() {
        return shard;
    }

    /** The run in a form other processes rebuild it from, for remote engines; empty for Java callers. */
    public Optional<RunSpec> runSpec() {
        return Optional.ofNullable(runSpec);
    }

    /** The trials of the whole run, counted as they finish, for the run's remaining time; empty outside a run. */
    public Optional<Progress.TrialCounter> runTrials() {
        return Optional.ofNullable(runTrials);
    }

    /** The hash of the experiment's resolved configuration; null when the context was built without one. */
    public String configHash() {
        return configHash;
    }

    /**
     * A context with the defaults of {@link LosslabConfig#DEFAULT} (seed, precision, bundled data), printing
     * results nowhere.
     *
     * @param outputDirectory the experiment's own directory, created when the first file is written
     */
    public static Builder builder(Backend backend, Path outputDirectory) {
        return new Builder(backend, outputDirectory);
    }

    /** The context of one experiment of a configured run: its directory is {@code <out>/<experiment>}. */
    public static ExperimentContext of(Backend backend, LosslabConfig config, String experiment, PrintWriter results) {
        return builder(backend, config.out().resolve(experiment)).config(config).results(results).build();
    }

    public Backend backend() {
        return backend;
    }

    /** Writes the experiment's files into its directory. */
    public OutputWriter output() {
        return output;
    }

    /** The root seed. */
    public long seed() {
        return config.seed();
    }

    /**
     * A fresh generator seeded from the root seed: an experiment splits it ({@link SplittableRandom#split()}) once
     * per part (model, run, data draw) in a fixed order, so that every part has its own stream and the results
     * depend on the seed alone.
     */
    public SplittableRandom random() {
        return new SplittableRandom(seed());
    }

    /**
     * The generator of repetition {@code seedIndex} of an experiment repeated over seeds (its trials
     * {@code ...seed-0}, {@code ...seed-1}, ...): index 0 is {@link #random()}, so the first seed gives the numbers
     * of an experiment run once; every other index is a stream of its own, derived from the root seed and the index
     * alone.
     */
    public SplittableRandom random(int seedIndex) {
        if (seedIndex < 0) {
            throw new IllegalArgumentException("seed index must be at least 0, was " + seedIndex);
        }
        if (seedIndex == 0) {
            return random();
        }
        long z = seed() + 0x9E3779B97F4A7C15L * seedIndex;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return new SplittableRandom(z ^ (z >>> 33));
    }

    public Precision precision() {
        return config.precision();
    }

    /** The user's directory of IDX files; empty means the bundled data. */
    public Optional<Path> dataDirectory() {
        return config.dataDirectory();
    }

    /** The image data set of the run, for its class names and the words of figure titles. */
    public ImageDataset dataset() {
        return config.dataset();
    }

    /**
     * MNIST, or a data set in its file layout, or CIFAR-10 ({@link #dataset()}): the IDX files of the data directory when one was given, otherwise
     * the bundled 10,000-digit subset with its fixed stratified 8,000 / 2,000 split. The splits carry their
     * source for the provenance.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     */
    public MnistData.Splits mnist() throws DataException {
        return mnist.load();
    }

    /**
     * Where the experiment reports which model is training and how far it is; the command line shows it as a
     * progress bar or log lines. Its listener ({@link Progress#training}) also stops a training between two
     * steps when the run was asked to stop.
     */
    public Progress progress() {
        return progress;
    }

    /**
     * Records that the training of {@code model} diverged, for an experiment that goes on with its other models:
     * the run then marks the experiment as diverged in its report and exits with a failure status. An experiment
     * that cannot go on lets the {@link TrainingDivergedException} pass instead; the runner then names the model
     * {@linkplain Progress#model last named} to {@link #progress()}.
     *
     * @return the divergence, whose {@link Divergence#message()} names experiment, model, epoch, step and hint
     */
    public Divergence diverged(String model, TrainingDivergedException e) {
        Divergence d = Divergence.of(experiment, model, e);
        synchronized (divergences) {
            divergences.add(d);
        }
        LOG.warn(d.message());
        return d;
    }

    /** Records a divergence found elsewhere (in a trial), as {@link #diverged(String, TrainingDivergedException)} does. */
    public void diverged(Divergence d) {
        synchronized (divergences) {
            divergences.add(d);
        }
        LOG.warn(d.message());
    }

    /** The divergences recorded with {@link #diverged}, in order. */
    public List<Divergence> divergences() {
        synchronized (divergences) {
            return List.copyOf(divergences);
        }
    }

    /** Whether the backend runs native operations single-threaded, so that reruns give identical numbers. */
    public boolean deterministic() {
        return backend.options().deterministic();
    }

    /** Where results meant for the user (numbers, paths) are printed: standard output on the command line. */
    public PrintWriter results() {
        return results;
    }

    /** Seconds since this context was created. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The provenance of a result computed from {@code data} in {@code wallSeconds}. */
    public Provenance provenance(DataSource data, double wallSeconds) {
        return new Provenance(seed(), new Provenance.BackendInfo(backend.name(), backend.version(),
                backend.device()), precision().configName(), deterministic(), BuildInfo.java(), BuildInfo.os(), BuildInfo.version(), data,
                started.truncatedTo(ChronoUnit.SECONDS).toString(), wallSeconds, command, configHash);
    }

    /** Builds an {@link ExperimentContext}. */
    public static final class Builder {
        private final Backend backend;
        private final Path outputDirectory;
        private LosslabConfig.Builder config = LosslabConfig.builder();
        private PrintWriter results = new PrintWriter(Writer.nullWriter());
        private String experiment;
        private Progress progress;
        private MnistSource mnist;
        private String command;
        private String configHash;
        private TrialEngine engine;
        private Shard shard = Shard.ALL;
        private RunSpec runSpec;
        private Progress.TrialCounter runTrials;

        private Builder(Backend backend, Path outputDirectory) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
        }

        /**
         * Starts from the seed, precision and data directory of a run's configuration; the setters below change
         * them. Its other values (backend, output directory, experiment sections) are the runner's to apply.
         */
        public Builder config(LosslabConfig value) {
            config = Objects.requireNonNull(value, "config").toBuilder();
            return this;
        }

        /** The root seed; by default {@link LosslabConfig#SEED_DEFAULT}. */
        public Builder seed(long value) {
            config.seed(value);
            return this;
        }

        /** By default {@link LosslabConfig#PRECISION_DEFAULT}. */
        public Builder precision(Precision value) {
            config.precision(value);
            return this;
        }

        /** A directory of IDX files to use instead of the bundled data; null for the bundled data. */
        public Builder dataDir(Path value) {
            config.dataDir(value);
            return this;
        }

        public Builder results(PrintWriter value) {
            results = Objects.requireNonNull(value, "results");
            return this;
        }

        /** The experiment's name, for messages; by default the name of the output directory. */
        public Builder experiment(String value) {
            experiment = Objects.requireNonNull(value, "experiment");
            return this;
        }

        /** Where progress is reported; by default nowhere, and never cancelled. */
        public Builder progress(Progress value) {
            progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /** Where {@link ExperimentContext#mnist()} gets its data; by default it loads it on every call. */
        public Builder mnist(MnistSource value) {
            mnist = Objects.requireNonNull(value, "mnist");
            return this;
        }

        /** The command line that runs the experiment, for its provenance. */
        public Builder command(String value) {
            command = value;
            return this;
        }

        /** The hash of the experiment's resolved configuration, for its provenance. */
        public Builder configHash(String value) {
            configHash = value;
            return this;
        }

        /** What runs the experiment's trials; by default one at a time in this process. */
        public Builder engine(TrialEngine value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** The slice of the run's trials to run; by default all. */
        public Builder shard(Shard value) {
            shard = Objects.requireNonNull(value, "shard");
            return this;
        }

        /** The run as remote engines rebuild it. */
        public Builder runSpec(RunSpec value) {
            runSpec = value;
            return this;
        }

        /** The count of the whole run's trials. */
        public Builder runTrials(Progress.TrialCounter value) {
            runTrials = value;
            return this;
        }

        /** Prints results to standard output. */
        public Builder resultsToStdout() {
            return results(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        }

        public ExperimentContext build() {
            return new ExperimentContext(this);
        }
    }
}
