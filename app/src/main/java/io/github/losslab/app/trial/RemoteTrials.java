package io.github.losslab.app.trial;

import com.google.inject.Guice;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.config.ConfigFile;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.ResolvedConfig;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.inject.ExperimentsModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs trials of a run in another process than the driver's (a Spark executor): the process rebuilds the run from
 * its {@link RunSpec} once (configuration, experiments, a backend, the data written to a local directory) and then
 * runs the trials it is given with it. Results come back as {@link TrialOutcome}s; nothing is written here but the
 * data files.
 */
public final class RemoteTrials {

    /** A run rebuilt in this process. */
    private record Worker(LosslabConfig config, Backend backend, Map<String, TrialExperiment<?, ?>> experiments,
                          Map<String, String> hashes, ExperimentContext.MnistSource mnist, Path scratch) {
    }

    private static final Map<String, Worker> WORKERS = new HashMap<>();

    private RemoteTrials() {
    }

    /**
     * Runs one trial.
     *
     * @param spec       the run
     * @param experiment the experiment's name
     * @param key        the trial's key
     * @param threads    the native threads the trial may use (its share of the executor's cores)
     * @param worker     where it runs, in words, for the driver's log
     */
    public static TrialOutcome run(RunSpec spec, String experiment, String key, int threads, String worker) {
        Worker w = worker(spec, threads);
        TrialExperiment<?, ?> e = w.experiments().get(experiment);
        if (e == null) {
            throw new IllegalArgumentException("the run has no experiment '" + experiment + "'; it has "
                    + w.experiments().keySet());
        }
        ExperimentContext context = ExperimentContext.builder(w.backend(), w.scratch().resolve(experiment))
                .config(w.config()).experiment(experiment).mnist(w.mnist()).configHash(w.hashes().get(experiment))
                .build();
        return TrialJob.run(e, key, context, worker);
    }

    private static synchronized Worker worker(RunSpec spec, int threads) {
        String id = spec.id() + "/" + threads;
        Worker w = WORKERS.get(id);
        if (w == null) {
            WORKERS.clear();
            w = build(spec, threads);
            WORKERS.put(id, w);
        }
        return w;
    }

    private static Worker build(RunSpec spec, int threads) {
        try {
            Path scratch = Files.createTempDirectory("losslab-run-" + spec.id());
            scratch.toFile().deleteOnExit();
            LosslabConfig.Builder b = ConfigFile.apply(ConfigFile.parse(spec.configYaml(), "the run's configuration"),
                    LosslabConfig.builder());
            LosslabConfig original = b.build();
            if (!spec.dataFiles().isEmpty()) {
                Path data = Files.createDirectories(scratch.resolve("data"));
                for (Map.Entry<String, byte[]> f : spec.dataFiles().entrySet()) {
                    Files.write(data.resolve(f.getKey()), f.getValue());
                }
                b.dataDir(data);
            }
            LosslabConfig config = b.out(scratch.resolve("out")).build();
            BackendOptions options = config.backendOptions();
            Backend backend = Backends.create(config.backend(), options.withThreads(options.intraOpThreads(),
                    Math.max(1, threads)));
            ExperimentCatalog catalog = Guice.createInjector(new ExperimentsModule())
                    .getInstance(ExperimentCatalog.class);
            Map<String, TrialExperiment<?, ?>> experiments = new HashMap<>();
            Map<String, String> hashes = new HashMap<>();
            List<String> names = config.experiments().keySet().stream().toList();
            for (Experiment e : catalog.configure(catalog.select(names), config)) {
                if (e instanceof TrialExperiment<?, ?> t) {
                    experiments.put(e.name(), t);
                    // the driver's hash: its data directory, not this copy of it
                    hashes.put(e.name(), ResolvedConfig.hash(original, e.name(), e.settings()));
                }
            }
            ExperimentContext.MnistSource source = ExperimentContext.MnistSource.of(config.dataset(), config.dataDir());
            MnistData.Splits[] cache = new MnistData.Splits[1];
            ExperimentContext.MnistSource mnist = () -> {
                synchronized (cache) {
                    if (cache[0] == null) {
                        cache[0] = source.load();
                    }
                    return cache[0];
                }
            };
            return new Worker(config, backend, experiments, hashes, mnist, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the run on this worker: " + e.getMessage(), e);
        }
    }
}
