package io.github.losslab.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.ResolvedConfig;
import io.github.losslab.app.experiment.BuildInfo;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.report.ClaimLine;
import io.github.losslab.app.report.HtmlReport;
import io.github.losslab.app.report.ReportEntry;
import io.github.losslab.app.report.RunReport;
import io.github.losslab.app.trial.TrialStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the state of a run as the report shows it and writes {@code report.html}: the experiments of the run in
 * their order, each with its status, then the catalog's other experiments (not run; with the results of an
 * earlier run into the same directory when there are some). Finished experiments are read back from their
 * {@code summary.json}, so that resumed and fresh results look alike.
 */
final class ReportAssembler {

    /** The provenance label of the trials' summed time. */
    private static final String TRIAL_TIME = "trial time";

    private static final Logger LOG = LogManager.getLogger(ReportAssembler.class);

    private final LosslabConfig config;
    private final ExperimentCatalog catalog;
    private final ExperimentRunner.Prepared prepared;
    private final String command;
    private final List<Experiment> experiments;
    private final Map<String, ExperimentStatus> statuses = new LinkedHashMap<>();
    private final Map<String, String> messages = new LinkedHashMap<>();
    private final String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    ReportAssembler(LosslabConfig config, ExperimentCatalog catalog, ExperimentRunner.Prepared prepared,
                    String command, List<Experiment> experiments) {
        this.config = config;
        this.catalog = catalog;
        this.prepared = prepared;
        this.command = command;
        this.experiments = List.copyOf(experiments);
    }

    void status(String experiment, ExperimentStatus status, String message) {
        statuses.put(experiment, status);
        if (message == null) {
            messages.remove(experiment);
        } else {
            messages.put(experiment, message);
        }
    }

    ExperimentStatus status(String experiment) {
        return statuses.get(experiment);
    }

    /** Writes the report; a report that cannot be written is logged, and the run goes on. */
    Path write() {
        try {
            return writeOrThrow();
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write {}: {}", config.out().resolve(HtmlReport.FILE_NAME), e.toString());
            return null;
        }
    }

    /** Writes the report. */
    Path writeOrThrow() throws IOException {
        return new HtmlReport(config.out()).write(report());
    }

    RunReport report() {
        List<ReportEntry> entries = new ArrayList<>();
        for (Experiment e : experiments) {
            Optional<ExperimentType<?>> type = type(e.name());
            String explanation = type.map(ExperimentType::explanation).orElse(e.description());
            entries.add(withTrials(e, entry(e.name(), e.description(), explanation, statuses.get(e.name()),
                    messages.get(e.name()))));
        }
        for (ExperimentType<?> t : catalog.types()) {
            if (!statuses.containsKey(t.name())) {
                entries.add(earlier(t));
            }
        }
        return new RunReport("losslab report", state(), facts(), config.deterministic(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), entries);
    }

    /**
     * The entry with how many of the experiment's trials are done, among its provenance, and the sum of their own
     * wall times: a resumed run's wall time counts only what it did itself.
     */
    private ReportEntry withTrials(Experiment e, ReportEntry entry) {
        if (!(e instanceof TrialExperiment<?, ?> t)) {
            return entry;
        }
        List<String> keys = t.trialKeys();
        TrialStore store = new TrialStore(config.out().resolve(e.name()), e.name(),
                ResolvedConfig.hash(config, e.name(), e.settings()));
        TrialStore.Tally tally = store.tally(keys);
        int done = tally.done();
        double seconds = tally.seconds();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("trials", done + " of " + keys.size() + " done" + (done < keys.size() ? "" : ", in "
                + e.name() + "/" + TrialStore.DIRECTORY + "/"));
        if (done > 0) {
            provenance.put(TRIAL_TIME, trialTime(seconds));
        }
        return entry.withTrials(provenance, done > 0 ? seconds : Double.NaN);
    }

    private static String trialTime(double seconds) {
        return HtmlReport.duration(seconds) + ", the sum of the trials' own times, whichever run did them";
    }

    private Optional<ExperimentType<?>> type(String name) {
        return catalog.names().contains(name) ? Optional.of(catalog.type(name)) : Optional.empty();
    }

    private ReportEntry entry(String name, String description, String explanation, ExperimentStatus status,
                              String message) {
        return switch (status) {
            case PENDING, RUNNING -> ReportEntry.bare(name, description, explanation, status, null, null);
            case NOT_RUN -> ReportEntry.bare(name, description, explanation, status, message, null);
            default -> {
                Optional<ObjectNode> summary = RunSection.readSummary(config.out().resolve(name));
                Optional<RunSection> run = summary.flatMap(RunSection::of);
                boolean wroteFiles = run.isPresent() && run.get().files().size() > 1;
                String note = switch (status) {
                    case RESUMED -> "Skipped by --resume: these are the results of an earlier run with the same "
                            + "configuration" + run.map(r -> " (finished " + r.finishedAt() + ")").orElse("") + ".";
                    case FAILED, INTERRUPTED -> wroteFiles ? "Below are the files it wrote before it stopped; its "
                            + "results are incomplete." : null;
                    case DIVERGED -> wroteFiles ? "Below are the files it wrote, with the results of the trainings "
                            + "that did not diverge." : null;
                    default -> null;
                };
                yield summary.isEmpty()
                        ? ReportEntry.bare(name, description, explanation, status, message, note)
                        : fromSummary(name, description, explanation, status, message, note, summary.get(), run);
            }
        };
    }

    /** An experiment of the catalog that is not part of this run. */
    private ReportEntry earlier(ExperimentType<?> t) {
        Optional<ObjectNode> summary = RunSection.readSummary(config.out().resolve(t.name()));
        Optional<RunSection> run = summary.flatMap(RunSection::of);
        if (summary.isEmpty() || run.isEmpty()) {
            return ReportEntry.bare(t.name(), t.description(), t.explanation(), ExperimentStatus.NOT_RUN, null, null);
        }
        // the earlier run's status, so that the table does not call results that are there "not run"
        String note = "Not part of this run. Below are the results of an earlier run into this directory (status "
                + run.get().status().label() + ", finished " + run.get().finishedAt() + ").";
        return fromSummary(t.name(), t.description(), t.explanation(), run.get().status(), null, note,
                summary.get(), run);
    }

    private ReportEntry fromSummary(String name, String description, String explanation, ExperimentStatus status,
                                    String message, String note, ObjectNode summary, Optional<RunSection> run) {
        Map<String, Object> settings = new LinkedHashMap<>();
        JsonNode s = summary.get("settings");
        if (s != null && s.isObject()) {
            s.fields().forEachRemaining(f -> settings.put(f.getKey(), plain(f.getValue())));
        } else if (run.isPresent() && run.get().config().get("experiments") instanceof Map<?, ?> m
                && m.get(name) instanceof Map<?, ?> section) {
            section.forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        List<String> files = new ArrayList<>();
        run.ifPresent(r -> r.files().forEach(f -> files.add(name + "/" + f)));
        String shown = message;
        if (shown == null && run.isPresent() && !status.succeeded() && status != ExperimentStatus.NOT_RUN) {
            shown = run.get().error();
        }
        return new ReportEntry(name, description, explanation, status, shown, note,
                run.map(RunSection::keyNumbers).orElse(Map.of()), settings, provenance(summary, run), files,
                run.map(RunSection::wallSeconds).orElse(Double.NaN), claims(summary),
                run.map(RunSection::trialSeconds).orElse(Double.NaN));
    }

    /** The claims of a summary's {@code verdicts}, in order; malformed entries are left out. */
    static List<ClaimLine> claims(JsonNode summary) {
        List<ClaimLine> claims = new ArrayList<>();
        for (JsonNode v : summary.path("verdicts")) {
            if (v.hasNonNull("claim") && v.hasNonNull("verdict")) {
                claims.add(new ClaimLine(v.path("claim").asText(), v.path("source").asText(),
                        v.path("statistic").asText(), v.path("verdict").asText(), v.path("seeds").asInt(),
                        number(v, "mean"), number(v, "sd"), number(v, "ci95Low"), number(v, "ci95High"),
                        v.path("direction").asText(), number(v, "threshold"), v.path("explanation").asText()));
            }
        }
        return claims;
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText()) : Double.NaN;
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The provenance of a summary as labelled values. */
    static Map<String, String> provenance(JsonNode summary, Optional<RunSection> run) {
        Map<String, String> p = new LinkedHashMap<>();
        JsonNode prov = summary.path("provenance");
        if (prov.isObject()) {
            p.put("seed", prov.path("seed").asText());
            JsonNode b = prov.path("backend");
            p.put("backend", backend(b.path("name").asText(), b.path("version").asText(), b.path("device").asText()));
            p.put("precision", prov.path("precision").asText());
            p.put("deterministic", prov.path("deterministic").asBoolean() ? "yes" : "no");
            JsonNode data = prov.path("data");
            if (data.isObject()) {
                List<String> sizes = new ArrayList<>();
                data.path("sizes").fields().forEachRemaining(f -> sizes.add(f.getKey() + ": " + f.getValue().asText()));
                p.put("data", data.path("source").asText() + (sizes.isEmpty() ? "" : " (" + String.join(", ", sizes)
                        + ")"));
            }
            p.put("started", prov.path("startedAt").asText());
            p.put("losslab", prov.path("losslab").asText());
            p.put("Java", prov.path("java").asText());
            p.put("OS", prov.path("os").asText());
        } else if (run.isPresent()) {
            Map<String, String> v = run.get().versions();
            p.put("backend", backend(v.getOrDefault("backend", "?"), v.getOrDefault("backendVersion", "?"),
                    v.getOrDefault("device", "?")));
            if (run.get().config().get("seed") != null) {
                p.put("seed", String.valueOf(run.get().config().get("seed")));
            }
            p.put("started", run.get().startedAt());
            p.put("losslab", v.getOrDefault("losslab", "?"));
            p.put("Java", v.getOrDefault("java", "?"));
            p.put("OS", v.getOrDefault("os", "?"));
        }
        run.ifPresent(r -> {
            if (Double.isFinite(r.wallSeconds())) {
                p.put("wall time", String.format(Locale.ROOT, "%.1f s", r.wallSeconds()));
            }
            if (Double.isFinite(r.trialSeconds())) {
                p.put(TRIAL_TIME, trialTime(r.trialSeconds()));
            }
            if (r.configHash() != null) {
                p.put("configuration hash", r.configHash().substring(0, Math.min(16, r.configHash().length())));
            }
            if (r.command() != null) {
                p.put("command", r.command());
            }
        });
        return p;
    }

    /** {@code TensorFlow 2.18.0 on cpu}: the version alone when it starts with the backend's name. */
    static String backend(String name, String version, String device) {
        String what = version.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT)) ? version
                : name + " " + version;
        return what + " on " + device;
    }

    private static Object plain(JsonNode v) {
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(plain(x)));
            return list;
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private String state() {
        int total = experiments.size();
        Map<ExperimentStatus, Integer> counts = new LinkedHashMap<>();
        for (Experiment e : experiments) {
            counts.merge(statuses.get(e.name()), 1, Integer::sum);
        }
        int open = counts.getOrDefault(ExperimentStatus.PENDING, 0) + counts.getOrDefault(ExperimentStatus.RUNNING, 0);
        String tally = tally(counts);
        String of = total == 1 ? "the 1 experiment" : "the " + total + " experiments";
        if (open > 0) {
            String running = experiments.stream().filter(e -> statuses.get(e.name()) == ExperimentStatus.RUNNING)
                    .map(Experiment::name).findFirst().map(n -> n + " is running").orElse("none is running yet");
            return "Written while the run was in progress (" + (total - open) + " of " + total + " done; " + running
                    + "). If the run was stopped, its finished experiments are below: rerun with --resume to do the rest.";
        }
        boolean stopped = counts.containsKey(ExperimentStatus.INTERRUPTED) || counts.containsKey(ExperimentStatus.NOT_RUN);
        if (stopped) {
            return "The run was stopped before it finished: of " + of + ", " + tally
                    + ". Rerun with --resume to do the rest and keep what is done.";
        }
        boolean failed = counts.containsKey(ExperimentStatus.FAILED) || counts.containsKey(ExperimentStatus.DIVERGED);
        return (failed ? "The run finished with failures: of " : "The run finished: of ") + of + ", " + tally + ".";
    }

    private static String tally(Map<ExperimentStatus, Integer> counts) {
        List<String> parts = new ArrayList<>();
        for (ExperimentStatus s : ExperimentStatus.values()) {
            Integer n = counts.get(s);
            if (n != null) {
                parts.add(n + " " + s.label());
            }
        }
        return String.join(", ", parts);
    }

    private Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        if (command != null) {
            f.put("command", command);
        }
        f.put("output directory", config.out().toAbsolutePath().normalize().toString());
        f.put("started", startedAt);
        f.put("backend", prepared.backendDescription());
        f.put("trials run by", "local".equals(config.engine()) ? "the local engine, " + config.trialsAtOnce()
                + (config.trialsAtOnce() == 1 ? " trial" : " trials") + " at once"
                : "the " + config.engine() + " engine" + (config.sparkMaster() == null ? ""
                : " (" + config.sparkMaster() + ")"));
        f.put("seed", Long.toString(config.seed()));
        f.put("preset", config.preset().configName());
        f.put("precision", config.precision().configName());
        f.put("deterministic", config.deterministic() ? "yes" : "no");
        f.put("MNIST data", prepared.data());
        f.put("losslab", BuildInfo.version());
        f.put("Java", BuildInfo.java());
        f.put("OS", BuildInfo.os());
        return f;
    }
}
