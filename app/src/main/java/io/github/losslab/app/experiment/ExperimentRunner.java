package io.github.losslab.app.experiment;

import io.github.losslab.api.Backend;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.SettingsBinder;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs experiments one after the other with the configured backend, each in its own directory under the output
 * directory. A failing experiment is reported and the others still run.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LogManager.getLogger(ExperimentRunner.class);

    private final LosslabConfig config;
    private final Provider<Backend> backend;

    @Inject
    public ExperimentRunner(LosslabConfig config, Provider<Backend> backend) {
        this.config = config;
        this.backend = backend;
    }

    /** One experiment's outcome: its result, or the failure that stopped it. */
    public record Outcome(String experiment, ExperimentResult result, Exception failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * Runs the experiments in order.
     *
     * @param results where results and the paths of written files are printed
     * @return one outcome per experiment
     * @throws io.github.losslab.api.BackendException when the backend cannot be created
     */
    public List<Outcome> run(List<Experiment> experiments, PrintWriter results) {
        Backend b = backend.get();
        LOG.info("backend {} ({}) on {}, {} preset, {}, seed {}{}", b.name(), b.version(), b.device(),
                config.preset().configName(), config.precision().configName(), config.seed(),
                config.deterministic() ? ", deterministic" : "");
        List<Outcome> outcomes = new ArrayList<>();
        for (Experiment e : experiments) {
            LOG.info("{}: {}", e.name(), e.description());
            LOG.debug("{} settings: {}", e.name(), SettingsBinder.toMap(e.settings()));
            ExperimentContext context = ExperimentContext.of(b, config, e.name(), results);
            try {
                ExperimentResult r = e.run(context);
                results.printf(Locale.ROOT, "%s: done in %.1f s, %d files in %s%n", e.name(), r.wallSeconds(),
                        r.files().size(), r.directory());
                results.flush();
                outcomes.add(new Outcome(e.name(), r, null));
            } catch (IOException | RuntimeException ex) {
                LOG.error("{} failed: {}", e.name(), ex.getMessage() == null ? ex.toString() : ex.getMessage());
                LOG.debug("{} failed", e.name(), ex);
                outcomes.add(new Outcome(e.name(), null, ex));
            }
        }
        return outcomes;
    }
}
