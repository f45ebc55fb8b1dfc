package io.github.losslab.app.experiment;

import io.github.losslab.api.Backend;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.output.OutputWriter;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What an experiment runs with: the backend, its output directory, the root seed, the precision, the data
 * directory, and where to print results. Java callers build one with {@link #builder(Backend, Path)}.
 */
public final class ExperimentContext {

    private final Backend backend;
    private final OutputWriter output;
    private final long seed;
    private final Precision precision;
    private final Path dataDir;
    private final PrintWriter results;
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();

    private ExperimentContext(Builder b) {
        this.backend = b.backend;
        this.output = new OutputWriter(b.outputDirectory);
        this.seed = b.seed;
        this.precision = b.precision;
        this.dataDir = b.dataDir;
        this.results = b.results;
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
        return builder(backend, config.out().resolve(experiment)).seed(config.seed()).precision(config.precision())
                .dataDir(config.dataDir()).results(results).build();
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
        return seed;
    }

    /**
     * A fresh generator seeded from the root seed: an experiment splits it ({@link SplittableRandom#split()}) once
     * per part (model, run, data draw) in a fixed order, so that every part has its own stream and the results
     * depend on the seed alone.
     */
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    public Precision precision() {
        return precision;
    }

    /** The user's directory of IDX files; empty means the bundled data. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }

    /**
     * MNIST, or a data set in its file layout: the IDX files of the data directory when one was given, otherwise
     * the bundled 10,000-digit subset with its fixed stratified 8,000 / 2,000 split. The splits carry their
     * source for the provenance.
     *
     * @throws DataException naming the file and the problem when the data directory cannot be read
     */
    public MnistData.Splits mnist() throws DataException {
        return dataDir == null ? BundledMnist.load() : MnistData.load(dataDir);
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
        return new Provenance(seed, new Provenance.BackendInfo(backend.name(), backend.version(), backend.device()),
                precision.configName(), deterministic(), BuildInfo.java(), BuildInfo.os(), BuildInfo.version(), data,
                started.truncatedTo(ChronoUnit.SECONDS).toString(), wallSeconds);
    }

    /** Builds an {@link ExperimentContext}. */
    public static final class Builder {
        private final Backend backend;
        private final Path outputDirectory;
        private long seed = LosslabConfig.SEED_DEFAULT;
        private Precision precision = LosslabConfig.PRECISION_DEFAULT;
        private Path dataDir;
        private PrintWriter results = new PrintWriter(Writer.nullWriter());

        private Builder(Backend backend, Path outputDirectory) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder precision(Precision value) {
            precision = Objects.requireNonNull(value, "precision");
            return this;
        }

        /** A directory of IDX files to use instead of the bundled data; null for the bundled data. */
        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder results(PrintWriter value) {
            results = Objects.requireNonNull(value, "results");
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
