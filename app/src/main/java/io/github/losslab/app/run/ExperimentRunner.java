package io.github.losslab.app.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.api.Backend;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.ResolvedConfig;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.BuildInfo;
import io.github.losslab.app.experiment.Divergence;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.app.experiment.Progress;
import io.github.losslab.app.experiment.RunCancelledException;
import io.github.losslab.app.output.AtomicFiles;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.report.HtmlReport;
import io.github.losslab.app.trial.LocalEngine;
import io.github.losslab.app.trial.RunSpec;
import io.github.losslab.app.trial.TrialEngine;
import io.github.losslab.app.trial.TrialEngines;
import io.github.losslab.app.trial.TrialStore;
import io.github.losslab.app.trial.Trials;
import io.github.losslab.app.trial.TrialsPendingException;
import io.github.losslab.app.experiment.TrialExperiment;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs experiments one after the other with the configured backend, each in its own directory under the output
 * directory, and keeps {@code report.html} there up to date after each of them, so that a run that is killed
 * still has a report of what it finished.
 *
 * <p>Everything that can be checked is checked before the first experiment starts ({@link #prepare}): the backend
 * loads, the data directory's files are read, each experiment {@linkplain Experiment#validate validates} its
 * settings against them. Then an experiment that fails, or whose training diverges, is recorded and the others
 * still run; one that finds the run {@linkplain io.github.losslab.app.experiment.Cancellation cancelled} stops,
 * and the rest are not started. Each experiment's {@code summary.json} gets a {@link RunSection}.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LogManager.getLogger(ExperimentRunner.class);

    private final LosslabConfig config;
    private final Provider<Backend> backend;
    private final ExperimentCatalog catalog;

    @Inject
    public ExperimentRunner(LosslabConfig config, Provider<Backend> backend, ExperimentCatalog catalog) {
        this.config = config;
        this.backend = backend;
        this.catalog = catalog;
    }

    /**
     * A run after its checks: the loaded backend, the data every experiment shares, and that data in words.
     *
     * @param backend the backend, loaded
     * @param mnist   the MNIST splits, loaded once for all experiments (already, when a data directory was given)
     * @param data    where the data comes from, for messages and the report
     */
    public record Prepared(Backend backend, ExperimentContext.MnistSource mnist, String data) {

        /** The backend in words, for example {@code TensorFlow 2.18.0 on cpu}. */
        public String backendDescription() {
            return ReportAssembler.backend(backend.name(), backend.version(), backend.device());
        }
    }

    /**
     * Checks everything a run needs before anything runs or is written: loads the backend and the data
     * directory's files, and lets each experiment validate its settings against them.
     *
     * @throws ConfigException naming the key (or {@code data-dir}) of what is wrong
     * @throws io.github.losslab.api.BackendException when the backend cannot load
     */
    public Prepared prepare(List<Experiment> experiments) {
        Backend b = backend.get();
        SharedMnist mnist = new SharedMnist(config);
        String data;
        if (config.dataDir() != null) {
            try {
                MnistData.Splits splits = mnist.load();
                int k = splits.train().classes();
                data = splits.source() + String.format(Locale.ROOT, " (%,d training, %,d test samples; %d classes: %s)",
                        splits.train().size(), splits.test().size(), k,
                        String.join(", ", config.dataset().classNames(k)));
            } catch (DataException e) {
                throw new ConfigException("data-dir", e.getMessage());
            }
        } else {
            data = BundledMnist.SOURCE + " for MNIST experiments";
        }
        Prepared prepared = new Prepared(b, mnist, data);
        for (Experiment e : experiments) {
            ExperimentContext context = context(prepared, e, RunOptions.defaults(), Progress.none(e.name())).build();
            try {
                e.validate(context);
            } catch (InvalidSettingException invalid) {
                throw ConfigException.invalidValue("experiments." + e.name() + "."
                        + SettingsBinder.kebab(invalid.setting()), invalid.value(), invalid.allowed());
            } catch (IOException io) {
                throw new ConfigException(config.dataDir() == null ? "" : "data-dir", e.name() + ": "
                        + (io.getMessage() == null ? io.toString() : io.getMessage()));
            }
        }
        return prepared;
    }

    /** Checks ({@link #prepare}), then runs the experiments. */
    public RunResult run(List<Experiment> experiments, RunOptions options) {
        return run(prepare(experiments), experiments, options);
    }

    /**
     * Runs prepared experiments in order, writing the report before the first and after each.
     *
     * @return one outcome per experiment, whether the run was stopped, and the report
     */
    public RunResult run(Prepared prepared, List<Experiment> experiments, RunOptions options) {
        Backend b = prepared.backend();
        LOG.info("backend {} ({}) on {}, {} preset, {}, seed {}{}", b.name(), b.version(), b.device(),
                config.preset().configName(), config.precision().configName(), config.seed(),
                config.deterministic() ? ", deterministic" : "");
        Path out = config.out();
        // the shards of a job array write into one directory at once: a temporary file there may be another's
        if (options.shard().all()) {
            try {
                for (Path p : AtomicFiles.removeLeftovers(out, catalog.names())) {
                    LOG.info("removed {}, a temporary file of a run that was killed", p);
                }
            } catch (IOException e) {
                LOG.warn("cannot remove temporary files of an earlier run in {}: {}", out, e.getMessage());
            }
        }
        ReportAssembler report = new ReportAssembler(config, catalog, prepared, options.command(), experiments);
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Experiment e : experiments) {
            String hash = ResolvedConfig.hash(config, e.name(), e.settings());
            hashes.put(e.name(), hash);
            boolean done = options.resume() && RunSection.isDone(out.resolve(e.name()), hash);
            report.status(e.name(), done ? ExperimentStatus.RESUMED : ExperimentStatus.PENDING, null);
        }
        Path reportFile;
        try {
            reportFile = report.writeOrThrow();
        } catch (IOException | UncheckedIOException e) {
            // nothing has run: an output directory that cannot take the report cannot take the results either
            throw new ConfigException("out", "cannot write " + out.resolve(HtmlReport.FILE_NAME) + ": "
                    + describe(e) + "; choose an output directory that can be written");
        }

        List<Outcome> outcomes = new ArrayList<>();
        try (TrialEngine engine = TrialEngines.open(config)) {
            LOG.info("trials run on the {} engine ({}){}", engine.name(), engine.description(),
                    options.shard().all() ? "" : ", shard " + options.shard() + " of the run's trials");
            RunSpec spec = engine instanceof LocalEngine ? null : runSpec(experiments);
            Progress.TrialCounter runTrials = runTrials(prepared, experiments, report, options);
            reportFile = runAll(prepared, experiments, options, report, hashes, outcomes, reportFile,
                    new Engine(engine, spec, runTrials));
        }
        String interrupted = options.cancellation().reason();
        if (reportFile != null) {
            options.results().println("report: " + reportFile);
            options.results().flush();
        }
        return new RunResult(outcomes, interrupted, reportFile);
    }

    /** What runs the trials of this run, and the count of them. */
    private record Engine(TrialEngine engine, RunSpec spec, Progress.TrialCounter runTrials) {
    }

    private RunSpec runSpec(List<Experiment> experiments) {
        Map<String, Record> settings = new LinkedHashMap<>();
        experiments.forEach(e -> settings.put(e.name(), e.settings()));
        try {
            return RunSpec.of(config, settings);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new ConfigException("data-dir", e.getMessage());
        }
    }

    /** The count of the trials this run is to finish: of every experiment that is not skipped. */
    private Progress.TrialCounter runTrials(Prepared prepared, List<Experiment> experiments, ReportAssembler report,
                                            RunOptions options) {
        int total = 0;
        int done = 0;
        for (Experiment e : experiments) {
            if (report.status(e.name()) != ExperimentStatus.RESUMED && e instanceof TrialExperiment<?, ?> t) {
                ExperimentContext c = context(prepared, e, options, Progress.none(e.name()))
                        .configHash(ResolvedConfig.hash(config, e.name(), e.settings())).build();
                total += t.trialKeys().size();
                done += Trials.done(t, c);
            }
        }
        return new Progress.TrialCounter(total, done);
    }

    private Path runAll(Prepared prepared, List<Experiment> experiments, RunOptions options, ReportAssembler report,
                        Map<String, String> hashes, List<Outcome> outcomes, Path reportFile, Engine engine) {
        Path out = config.out();
        int index = 0;
        String stoppedBy = null;
        for (Experiment e : experiments) {
            index++;
            Outcome o;
            if (report.status(e.name()) == ExperimentStatus.RESUMED) {
                o = new Outcome(e.name(), ExperimentStatus.RESUMED, null, null, List.of(), null);
                options.results().printf("%s: resumed: the results of an earlier run with the same configuration are "
                        + "in %s%n", e.name(), out.resolve(e.name()));
                options.results().flush();
            } else if (options.cancellation().isCancelled()) {
                o = new Outcome(e.name(), ExperimentStatus.NOT_RUN, null, e.name() + ": not started: the run was "
                        + "stopped before its turn (" + options.cancellation().reason() + ")", List.of(), null);
            } else if (stoppedBy != null) {
                o = new Outcome(e.name(), ExperimentStatus.NOT_RUN, null, e.name() + ": not started: the run "
                        + "stopped after " + stoppedBy + " failed with an error the program cannot recover from",
                        List.of(), null);
            } else {
                String notReplaced = options.replace() ? replace(out.resolve(e.name()), e.name()) : null;
                if (notReplaced != null) {
                    o = new Outcome(e.name(), ExperimentStatus.FAILED, null, e.name() + ": failed: " + notReplaced,
                            List.of(), null);
                } else {
                    report.status(e.name(), ExperimentStatus.RUNNING, null);
                    reportFile = report.write();
                    o = runOne(prepared, e, hashes.get(e.name()), index, experiments.size(), options, engine);
                    if (o.failure() instanceof Error error && !recoverable(error)) {
                        stoppedBy = e.name();
                    }
                }
            }
            outcomes.add(o);
            report.status(e.name(), o.status(), o.message());
            reportFile = report.write();
        }
        return reportFile;
    }

    /**
     * Removes the directory an earlier run wrote for experiment {@code name} ({@code --force}), so that no file of
     * it stays beside the new results: only a directory (not a link) whose {@code summary.json} says it holds that
     * experiment, which losslab wrote; anything else is left alone, with a warning.
     *
     * @return null when the directory is gone or was left alone, what went wrong when it could not be removed
     */
    private static String replace(Path dir, String name) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!RunSection.holds(dir, name)) {
            LOG.warn("--force: {} holds no summary.json of {}, so it is left as it is; the files this run writes "
                    + "replace theirs", dir, name);
            return null;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return "cannot remove the results of an earlier run in " + dir + " (--force): " + describe(e);
        }
        LOG.info("{}: removed the results of an earlier run in {} (--force)", name, dir);
        return null;
    }

    private Outcome runOne(Prepared prepared, Experiment e, String hash, int index, int count, RunOptions options,
                           Engine engine) {
        LOG.info("{}: {}", e.name(), e.description());
        LOG.debug("{} settings: {}", e.name(), SettingsBinder.toMap(e.settings()));
        Progress progress = new Progress(e.name(), options.progress(), options.cancellation());
        ExperimentContext context = context(prepared, e, options, progress).configHash(hash).engine(engine.engine())
                .runSpec(engine.spec()).runTrials(engine.runTrials()).shard(options.shard()).build();
        Instant started = Instant.now();
        long start = System.nanoTime();
        options.progress().started(e.name(), index, count);
        ExperimentResult result = null;
        ExperimentStatus status;
        String message = null;
        Throwable failure = null;
        List<Divergence> divergences = new ArrayList<>();
        try {
            result = e.run(context);
            divergences.addAll(context.divergences());
            status = divergences.isEmpty() ? ExperimentStatus.COMPLETED : ExperimentStatus.DIVERGED;
            message = divergences.isEmpty() ? null
                    : String.join("\n", divergences.stream().map(Divergence::message).toList());
        } catch (TrainingDivergedException ex) {
            divergences.addAll(context.divergences());
            String model = progress.currentModel().isEmpty() ? "(the model training last)" : progress.currentModel();
            divergences.add(Divergence.of(e.name(), model, ex));
            status = ExperimentStatus.DIVERGED;
            message = String.join("\n", divergences.stream().map(Divergence::message).toList());
            failure = ex;
        } catch (TrialsPendingException ex) {
            divergences.addAll(context.divergences());
            status = ExperimentStatus.INCOMPLETE;
            message = ex.getMessage();
        } catch (RunCancelledException ex) {
            divergences.addAll(context.divergences());
            status = ExperimentStatus.INTERRUPTED;
            message = e.name() + ": interrupted: " + ex.getMessage();
            failure = ex;
        } catch (IOException | RuntimeException | Error ex) {
            // an Error unwound the experiment, dropping what it held: OutOfMemoryError and StackOverflowError leave
            // the program able to go on with the next experiment; the runner stops after any other Error
            divergences.addAll(context.divergences());
            boolean cancelled = options.cancellation().isCancelled() && !(ex instanceof Error);
            String what = describe(ex);
            if (cancelled) {
                status = ExperimentStatus.INTERRUPTED;
                message = e.name() + ": interrupted: " + what;
            } else if (!divergences.isEmpty()) {
                // what went wrong first is what to fix: the divergences, which the failure may only follow from
                status = ExperimentStatus.DIVERGED;
                message = String.join("\n", divergences.stream().map(Divergence::message).toList()) + "\n"
                        + e.name() + ": then failed: " + what;
            } else {
                status = ExperimentStatus.FAILED;
                message = e.name() + ": failed: " + what;
            }
            failure = ex;
            LOG.debug("{} failed", e.name(), ex);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        options.progress().finished(e.name(), status.label(), seconds);
        if (status == ExperimentStatus.COMPLETED) {
            options.results().printf(Locale.ROOT, "%s: done in %.1f s, %d files in %s%n", e.name(), seconds,
                    result.files().size(), result.directory());
        } else {
            if (failure != null) {
                LOG.error(message);
            }
            options.results().printf(Locale.ROOT, "%s: %s after %.1f s%n", e.name(), status.label(), seconds);
        }
        options.results().flush();
        writeRunSection(context, e, hash, status, message, divergences, result, started, seconds, options);
        return new Outcome(e.name(), status, result, message, divergences, failure);
    }

    /** The summed time of the experiment's kept trials; NaN when it has none. */
    private static double trialSeconds(Experiment e, ExperimentContext context) {
        if (!(e instanceof TrialExperiment<?, ?> t)) {
            return Double.NaN;
        }
        TrialStore.Tally tally = Trials.tally(t, context);
        return tally.done() == 0 ? Double.NaN : tally.seconds();
    }

    private void writeRunSection(ExperimentContext context, Experiment e, String hash, ExperimentStatus status,
                                 String message, List<Divergence> divergences, ExperimentResult result,
                                 Instant started, double seconds, RunOptions options) {
        Path dir = context.output().directory();
        List<Path> written = result != null ? result.files() : context.output().written();
        Path summary = dir.resolve(RunSection.SUMMARY);
        ObjectNode base = written.contains(summary) ? RunSection.readSummary(dir).orElse(null) : null;
        if (base == null) {
            base = OutputWriter.json().createObjectNode();
            base.put("experiment", e.name());
            base.set("settings", OutputWriter.json().valueToTree(SettingsBinder.toMap(e.settings())));
        }
        List<String> files = new ArrayList<>();
        for (Path p : written) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            if (!files.contains(rel)) {
                files.add(rel);
            }
        }
        if (!files.contains(RunSection.SUMMARY)) {
            files.add(RunSection.SUMMARY);
        }
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("losslab", BuildInfo.version());
        versions.put("java", BuildInfo.java());
        versions.put("os", BuildInfo.os());
        versions.put("backend", context.backend().name());
        versions.put("backendVersion", context.backend().version());
        versions.put("device", context.backend().device());
        RunSection section = new RunSection(status, message, RunSection.describe(divergences),
                result == null ? Map.of() : result.keyNumbers(), files, started.truncatedTo(ChronoUnit.SECONDS)
                .toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), seconds, options.command(),
                hash, ResolvedConfig.toMap(config, Map.of(e.name(), e.settings())), versions, trialSeconds(e, context));
        try {
            section.writeInto(dir, base);
        } catch (IOException ex) {
            LOG.error("{}: cannot write {}: {}", e.name(), summary, ex.getMessage());
        }
    }

    private ExperimentContext.Builder context(Prepared prepared, Experiment e, RunOptions options,
                                              Progress progress) {
        return ExperimentContext.builder(prepared.backend(), config.out().resolve(e.name())).experiment(e.name())
                .config(config).results(options.results()).progress(progress).mnist(prepared.mnist()).command(options.command());
    }

    /**
     * A message with the messages of its causes that add something; an {@link OutOfMemoryError} or
     * {@link StackOverflowError} says what it is and what to do, since its own message does not.
     */
    public static String describe(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")") + ": lower the "
                    + "settings that size its data and models (points, samples, widths, budgets), or give Java more "
                    + "memory (LOSSLAB_JAVA_OPTS=-Xmx8g, for example)";
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow (a recursion too deep for the thread's stack, such as that of a very deep "
                    + "network): lower the depth, or give threads larger stacks (LOSSLAB_JAVA_OPTS=-Xss16m, for example)";
        }
        StringBuilder sb = new StringBuilder(t.getMessage() == null ? t.toString() : t.getMessage());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** Whether the run can go on after an experiment ended with {@code error}, once the experiment has unwound. */
    static boolean recoverable(Error error) {
        return error instanceof OutOfMemoryError || error instanceof StackOverflowError;
    }

    /** The MNIST splits of a run, loaded on first use and shared by its experiments. */
    private static final class SharedMnist implements ExperimentContext.MnistSource {
        private final ExperimentContext.MnistSource source;
        private MnistData.Splits splits;

        SharedMnist(LosslabConfig config) {
            this.source = ExperimentContext.MnistSource.of(config.dataset(), config.dataDir());
        }

        @Override
        public synchronized MnistData.Splits load() throws DataException {
            if (splits == null) {
                splits = source.load();
            }
            return Objects.requireNonNull(splits);
        }
    }
}
