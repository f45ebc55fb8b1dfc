package io.github.losslab.app.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.github.losslab.api.Precision;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.ConfigFile;
import io.github.losslab.app.config.DataDirectory;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.config.ResolvedConfig;
import io.github.losslab.app.experiment.Cancellation;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.ProgressDisplay;
import io.github.losslab.app.inject.BackendModules;
import io.github.losslab.app.inject.ConfigModule;
import io.github.losslab.app.output.OutputDirectory;
import io.github.losslab.app.progress.LogProgress;
import io.github.losslab.app.progress.TerminalProgressBar;
import io.github.losslab.app.report.HtmlReport;
import io.github.losslab.app.run.ExperimentRunner;
import io.github.losslab.app.run.Outcome;
import io.github.losslab.app.run.RunOptions;
import io.github.losslab.app.run.RunResult;
import io.github.losslab.app.run.RunSection;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.trial.Shard;
import io.github.losslab.app.trial.TrialEngines;
import io.github.losslab.app.trial.TrialStore;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code losslab run <experiment...>|all}: checks the whole configuration, the data, the backend and the output
 * directory, then runs the experiments and writes their outputs and {@code report.html} under {@code --out}.
 * SIGINT and SIGTERM stop the run after the file being written; the report then says what is done.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Runs experiments (or all of them) and writes their figures, data, summaries and report.html.")
final class RunCommand implements Callable<Integer> {

    /**
     * Exit status of a run that was stopped (128 + 2, as shells report a command interrupted by SIGINT). A signal
     * ends the JVM with the shell's status for that signal once the run has written its files: 130 for SIGINT
     * (Ctrl-C), 143 (128 + 15) for SIGTERM.
     */
    static final int EXIT_INTERRUPTED = 130;

    /** Seconds a signal waits for the run to finish its file and write the report, before the JVM exits anyway. */
    static final long STOP_WAIT_SECONDS = 60;

    /** The configuration keys that flags of the same name set. */
    private static final List<String> FLAG_KEYS = List.of("out", "seed", "backend", "preset", "dataset", "data-dir",
            "precision", "device", "deterministic", "engine", "parallelism", "spark-master");

    @Parameters(arity = "1..*", paramLabel = "EXPERIMENT",
            description = "Experiment names (see 'losslab list'), or 'all'.")
    List<String> experiments;

    @Option(names = "--out", paramLabel = "DIR", converter = Converters.PathConverter.class,
            description = "Output directory (default: ${DEFAULT-VALUE} unless the configuration says otherwise).",
            defaultValue = "losslab-out", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
    Path out;

    @Option(names = "--config", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "YAML configuration file; flags override it.")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "Root seed of every random choice (default: 42).")
    Long seed;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend (default: tensorflow).")
    String backend;

    @Option(names = "--preset", paramLabel = "quick|full", converter = Converters.PresetConverter.class,
            description = "quick: minutes on 2 CPU cores (default); full: the assignment's scale.")
    Preset preset;

    @Option(names = "--data-dir", paramLabel = "DIR", converter = Converters.PathConverter.class,
            description = "Directory of the data set's files (IDX files of MNIST's layout, or CIFAR-10's binary"
                    + " batches) to use instead of the bundled data.")
    Path dataDir;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "The data set --data-dir holds: mnist (default), fashion-mnist, kmnist or cifar10.")
    String dataset;

    @Option(names = "--precision", paramLabel = "float32|float64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic precision of the models (default: float32).")
    Precision precision;

    @Option(names = "--device", paramLabel = "cpu|gpu", converter = Converters.DeviceConverter.class,
            description = "Device (default: cpu).")
    String device;

    @Option(names = "--deterministic", negatable = true,
            description = "Single-threaded native operations: equal seeds give identical numbers.")
    Boolean deterministic;

    @Option(names = "--engine", paramLabel = "local|spark",
            description = "What runs the trials: local (this process, default) or spark (Apache Spark).")
    String engine;

    @Option(names = "--parallelism", paramLabel = "N", converter = Converters.ParallelismConverter.class,
            description = "Trials at once under the local engine (default: one per core; 0 means that too).")
    Long parallelism;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "Master of the spark engine: local[N], spark://HOST:7077, ... (default: what spark-submit "
                    + "gives, else local[*]).")
    String sparkMaster;

    @Option(names = "--shard", paramLabel = "K/N", converter = Converters.ShardConverter.class,
            description = "Run only the K-th of N fixed slices of the run's trials (one task of a job array) into a "
                    + "shared --out; a last run with --resume reduces them.")
    Shard shard;

    @Option(names = "--dry-run",
            description = "Check everything (configuration, data files, backend) and print the resolved "
                    + "configuration; run and write nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Run into an output directory that already holds results: each "
            + "experiment first removes its own results of an earlier run.")
    boolean force;

    @Option(names = "--resume", description = "Run into an output directory that already holds results, skipping "
            + "the experiments whose results are there with the same configuration.")
    boolean resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or progress lines; only results and errors.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private final Module experimentsModule;

    RunCommand(Module experimentsModule) {
        this.experimentsModule = experimentsModule;
    }

    @Override
    public Integer call() {
        if (force && resume) {
            throw new UsageException("--force and --resume exclude each other: --force reruns every experiment, "
                    + "--resume only those whose results are missing or were made with another configuration");
        }
        if (shard != null && force) {
            throw new UsageException("--shard and --force exclude each other: the shards of a run write into one "
                    + "output directory, and --force would remove the others' results; clear it before the job array "
                    + "starts instead");
        }
        try {
            LosslabConfig resolved = resolveConfig();
            TrialEngines.check(resolved);
            Module backendModule = BackendModules.forName(resolved.backend());
            Injector injector = Guice.createInjector(new ConfigModule(resolved), backendModule, experimentsModule);
            ExperimentCatalog catalog = injector.getInstance(ExperimentCatalog.class);
            List<ExperimentType<?>> selected = catalog.select(experiments);
            List<Experiment> configured = catalog.configure(selected, resolved);
            checkDataDirectory(resolved);
            checkOutputDirectory(resolved.out());

            ExperimentRunner runner = injector.getInstance(ExperimentRunner.class);
            ExperimentRunner.Prepared prepared = runner.prepare(configured);
            if (dryRun) {
                printDryRun(resolved, configured, prepared);
                return 0;
            }
            return run(runner, prepared, configured);
        } catch (ConfigException e) {
            throw located(e);
        }
    }

    /**
     * The problem named as the user gave the value: a key set by a flag as the flag ({@code --out}), a key written
     * in the configuration file with the file and line in front.
     */
    private ConfigException located(ConfigException e) {
        String top = e.key().split("[.\\[]", 2)[0];
        if (top.isEmpty() || !e.location().isEmpty()) {
            return e;
        }
        if (FLAG_KEYS.contains(top) && spec.commandLine().getParseResult().hasMatchedOption("--" + top)) {
            return e.withKey("--" + top);
        }
        if (config == null) {
            return e;
        }
        String where = ConfigFile.location(config, e.key());
        return where.equals(config.toString()) ? e : e.at(where);
    }

    private int run(ExperimentRunner runner, ExperimentRunner.Prepared prepared, List<Experiment> configured) {
        PrintWriter err = spec.commandLine().getErr();
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancellation.cancel("interrupted by SIGINT or SIGTERM");
            err.println();
            err.println("losslab: stopping after the file being written; report.html will say what is done");
            err.flush();
            try {
                finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "losslab-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        PrintStream stderr = System.err;
        Level level = LogManager.getLogger("io.github.losslab").getLevel();
        PrintWriter results = spec.commandLine().getOut();
        ProgressDisplay display;
        if (quiet) {
            display = ProgressDisplay.NONE;
            if (!Cli.debug(spec.commandLine().getParseResult())) {
                Configurator.setLevel("io.github.losslab", Level.WARN);
            }
        } else if (System.console() != null) {
            TerminalProgressBar bar = TerminalProgressBar.on(stderr);
            System.setErr(bar.interleaved(stderr));
            results.flush();
            results = new PrintWriter(new OutputStreamWriter(bar.interleaved(System.out), StandardCharsets.UTF_8));
            display = bar;
        } else {
            display = new LogProgress();
        }
        try {
            RunOptions options = RunOptions.defaults().withResults(results).withProgress(display)
                    .withCancellation(cancellation).withResume(resume).withReplace(force).withCommand(commandLine())
                    .withShard(shard == null ? Shard.ALL : shard);
            return report(runner.run(prepared, configured, options), err);
        } finally {
            System.setErr(stderr);
            Configurator.setLevel("io.github.losslab", level);
            // only now may a signal's hook return and the JVM exit: the failures have been listed
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits when it returns
            }
        }
    }

    /** Lists what did not complete and returns the exit status. */
    private static int report(RunResult result, PrintWriter err) {
        List<Outcome> failures = result.failures();
        if (failures.isEmpty() && result.interrupted() == null) {
            return 0;
        }
        long notRun = result.outcomes().stream().filter(o -> !o.status().failed() && !o.succeeded()).count();
        err.println("losslab: " + (result.interrupted() != null ? "the run was " + result.interrupted() + "; "
                : "") + failures.size() + " of " + result.outcomes().size() + " experiment"
                + (result.outcomes().size() == 1 ? "" : "s") + " did not complete"
                + (notRun > 0 ? " and " + notRun + " did not start" : "") + (failures.isEmpty() ? "" : ":"));
        for (Outcome o : failures) {
            err.println("  " + o.message().replace("\n", "\n  "));
        }
        if (result.report() != null) {
            err.println("losslab: see " + result.report());
        }
        err.flush();
        return result.interrupted() != null ? EXIT_INTERRUPTED : Cli.EXIT_FAILURE;
    }

    private void printDryRun(LosslabConfig resolved, List<Experiment> configured, ExperimentRunner.Prepared p) {
        PrintWriter o = spec.commandLine().getOut();
        o.println("# losslab run --dry-run: the configuration is valid, the backend loads and the data can be read;");
        o.println("# nothing was run or written. This is the resolved configuration, usable as a --config file.");
        o.println("# backend: " + p.backend().name() + ", " + p.backendDescription());
        o.println("# data: " + p.data());
        o.println("# engine: " + resolved.engine() + (TrialEngines.LOCAL.equals(resolved.engine()) ? ", "
                + resolved.trialsAtOnce() + " trials at once" : "") + (shard == null ? "" : ", shard " + shard));
        for (Experiment e : configured) {
            Path dir = resolved.out().resolve(e.name());
            String hash = ResolvedConfig.hash(resolved, e.name(), e.settings());
            boolean done = resume && RunSection.isDone(dir, hash);
            boolean replaced = force && RunSection.holds(dir, e.name());
            String trials = "";
            if (e instanceof TrialExperiment<?, ?> t) {
                int total = t.trialKeys().size();
                trials = ", " + total + " trials";
                TrialStore.Tally kept = resume && !done ? new TrialStore(dir, e.name(), hash).tally(t.trialKeys())
                        : new TrialStore.Tally(0, 0);
                if (kept.done() > 0) {
                    trials += String.format(Locale.ROOT, " (%d kept from an earlier run, which took %s; %d to run)",
                            kept.done(), HtmlReport.duration(kept.seconds()), total - kept.done());
                }
            }
            o.println("# " + (done ? "would skip (--resume, its results are in place): " : "would run: ") + e.name()
                    + " into " + dir + trials + (replaced ? ", replacing the results of an earlier run there" : ""));
        }
        Map<String, Record> settings = new LinkedHashMap<>();
        configured.forEach(e -> settings.put(e.name(), e.settings()));
        o.print(ResolvedConfig.toYaml(ResolvedConfig.toMap(resolved, settings)));
        o.flush();
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
        if (dataset != null) {
            b.dataset(dataset);
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
        if (engine != null) {
            b.engine(engine);
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        if (sparkMaster != null) {
            b.sparkMaster(sparkMaster);
        }
        return b.build();
    }

    /** The command line as typed, arguments with spaces or quotes quoted. */
    private String commandLine() {
        StringBuilder sb = new StringBuilder("losslab");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /**
     * Checks that the output directory can be created and written (creating it, writing and deleting a probe file,
     * then removing what the check created, so that a dry run writes nothing), and that it holds no results unless
     * {@code --force} or {@code --resume} says what to do with them.
     */
    private void checkOutputDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("out", "'" + dir + "' is a file; give a directory for the results");
        }
        OutputDirectory.problem(dir).ifPresent(problem -> {
            throw new ConfigException("out", problem + "; choose an output directory that can be written");
        });
        if (force || resume || shard != null || !Files.isDirectory(dir)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new ConfigException("out", "cannot read '" + dir + "': " + e.getMessage());
        }
        if (!empty) {
            throw new UsageException("output directory '" + dir + "' already holds results; pass --force to "
                    + "overwrite them, --resume to keep the experiments that are done and run the rest, or choose "
                    + "another --out");
        }
    }

    private static void checkDataDirectory(LosslabConfig c) {
        DataDirectory.check(c.dataset(), c.dataDir());
    }
}
