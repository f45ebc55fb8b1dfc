package io.github.losslab.app.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.ConfigFile;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentRunner;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.inject.BackendModules;
import io.github.losslab.app.inject.ConfigModule;
import io.github.losslab.app.inject.ExperimentsModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code losslab run <experiment...>|all}: checks the whole configuration, then runs the experiments and writes
 * their outputs under {@code --out}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs experiments (or all of them) and writes their figures, data and summaries.")
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "EXPERIMENT",
            description = "Experiment names (see 'losslab list'), or 'all'.")
    List<String> experiments;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE} unless the configuration says otherwise).",
            defaultValue = "losslab-out", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file; flags override it.")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "Root seed of every random choice (default: 42).")
    Long seed;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend (default: tensorflow).")
    String backend;

    @Option(names = "--preset", paramLabel = "quick|full", converter = Converters.PresetConverter.class,
            description = "quick: minutes on 2 CPU cores (default); full: the assignment's scale.")
    Preset preset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of IDX files (MNIST format) to use instead of the bundled data.")
    Path dataDir;

    @Option(names = "--precision", paramLabel = "float32|float64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic precision of the models (default: float32).")
    Precision precision;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Device (default: cpu).")
    String device;

    @Option(names = "--deterministic", negatable = true,
            description = "Single-threaded native operations: equal seeds give identical numbers.")
    Boolean deterministic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LosslabConfig resolved = resolveConfig();
        Module backendModule = BackendModules.forName(resolved.backend());
        Injector injector = Guice.createInjector(new ConfigModule(resolved), backendModule, new ExperimentsModule());
        ExperimentCatalog catalog = injector.getInstance(ExperimentCatalog.class);
        List<ExperimentType<?>> selected = catalog.select(experiments);
        List<Experiment> configured = catalog.configure(selected, resolved);
        checkDataDirectory(resolved);

        List<ExperimentRunner.Outcome> outcomes = injector.getInstance(ExperimentRunner.class)
                .run(configured, spec.commandLine().getOut());
        List<ExperimentRunner.Outcome> failed = outcomes.stream().filter(o -> !o.succeeded()).toList();
        if (!failed.isEmpty()) {
            spec.commandLine().getErr().println("losslab: " + failed.size() + " of " + outcomes.size()
                    + " experiments failed: " + failed.stream().map(o -> o.experiment() + " (" + message(o.failure())
                    + ")").collect(Collectors.joining(", ")));
            return Cli.EXIT_FAILURE;
        }
        return 0;
    }

    /** Defaults, then the file, then the flags. */
    LosslabConfig resolveConfig() {
        LosslabConfig.Builder b = LosslabConfig.builder();
        if (config != null) {
            ConfigFile.apply(config, b);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            b.out(out);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (backend != null) {
            b.backend(backend);
        }
        if (preset != null) {
            b.preset(preset);
        }
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        if (precision != null) {
            b.precision(precision);
        }
        if (device != null) {
            b.device(device);
        }
        if (deterministic != null) {
            b.deterministic(deterministic);
        }
        return b.build();
    }

    private static void checkDataDirectory(LosslabConfig c) {
        if (c.dataDir() == null) {
            return;
        }
        if (!Files.isDirectory(c.dataDir())) {
            throw new ConfigException("data-dir", "'" + c.dataDir() + "' is not a directory; give the directory "
                    + "that holds the IDX files, or leave data-dir out to use the bundled data");
        }
        if (!MnistData.isPresent(c.dataDir())) {
            throw new ConfigException("data-dir", "'" + c.dataDir() + "' does not hold the four IDX files "
                    + String.join(", ", MnistData.FILES) + " (each may end in .gz); 'losslab data download mnist "
                    + "--dir " + c.dataDir() + "' fetches MNIST there");
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
