package io.github.losslab.app.trial;

import io.github.losslab.app.config.ResolvedConfig;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.Progress;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.output.OutputWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the trials of one experiment that are not done yet, on the context's engine and within its shard, writing
 * each outcome into the experiment's {@link TrialStore} as it arrives, and gathers every trial's result for the
 * reduce step, read back from what was written (so that a resumed run reduces exactly what an uninterrupted one
 * does).
 */
public final class Trials {

    private static final Logger LOG = LogManager.getLogger(Trials.class);

    private Trials() {
    }

    /**
     * The keys of an experiment's trials, checked: at least one, distinct, each a {@link TrialStore#KEY}.
     *
     * @throws IllegalStateException naming the experiment and the key that is wrong
     */
    public static List<String> keys(TrialExperiment<?, ?> experiment) {
        List<String> keys = experiment.trialKeys();
        if (keys.isEmpty()) {
            throw new IllegalStateException(experiment.name() + " has no trials");
        }
        Set<String> seen = new HashSet<>();
        for (String k : keys) {
            if (!TrialStore.KEY.matcher(k).matches()) {
                throw new IllegalStateException(experiment.name() + ": trial key '" + k + "' is not a file name of "
                        + "letters, digits and . _ + = -");
            }
            if (!seen.add(k)) {
                throw new IllegalStateException(experiment.name() + ": two trials have the key '" + k + "'");
            }
        }
        return keys;
    }

    /** The hash the experiment's trial files are kept under in this context. */
    public static String hash(TrialExperiment<?, ?> experiment, ExperimentContext context) {
        return context.configHash() != null ? context.configHash()
                : ResolvedConfig.hash(context.config(), experiment.name(), experiment.settings());
    }

    /** How many of the experiment's trials are done, for the run's count before it starts. */
    public static int done(TrialExperiment<?, ?> experiment, ExperimentContext context) {
        return tally(experiment, context).done();
    }

    /** How many of the experiment's trials are kept in this context's output, and how long they took. */
    public static TrialStore.Tally tally(TrialExperiment<?, ?> experiment, ExperimentContext context) {
        TrialStore store = new TrialStore(context.output().directory(), experiment.name(), hash(experiment, context));
        return store.tally(keys(experiment));
    }

    /**
     * Runs what is missing and returns every trial's result.
     *
     * @throws TrialFailedException  when a trial threw; the other trials' results are written
     * @throws TrialsPendingException when trials of other shards are missing
     * @throws io.github.losslab.app.experiment.RunCancelledException when the run was asked to stop
     * @throws IOException           when a result cannot be written or read back
     */
    public static <R> TrialResults<R> run(TrialExperiment<?, R> experiment, ExperimentContext context)
            throws IOException {
        String name = experiment.name();
        List<String> keys = keys(experiment);
        TrialStore store = new TrialStore(context.output().directory(), name, hash(experiment, context));
        Map<String, TrialOutcome> kept = new LinkedHashMap<>();
        for (String k : keys) {
            store.load(k).ifPresent(o -> kept.put(k, o));
        }
        Shard shard = context.shard();
        List<String> toRun = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!kept.containsKey(keys.get(i)) && shard.includes(name, i)) {
                toRun.add(keys.get(i));
            }
        }
        if (!kept.isEmpty()) {
            LOG.info("{}: {} of {} trials were done by an earlier run; {} to run{}", name, kept.size(), keys.size(),
                    toRun.size(), shard.all() ? "" : " in shard " + shard);
        }
        Progress.TrialCounter counter = new Progress.TrialCounter(keys.size(), kept.size());
        List<TrialOutcome> failed = new ArrayList<>();
        IOException[] writeFailure = new IOException[1];
        if (!toRun.isEmpty()) {
            TrialJob job = new TrialJob(experiment, context, toRun, counter);
            context.engine().run(job, outcome -> {
                synchronized (kept) {
                    if (outcome.kept()) {
                        try {
                            store.write(outcome);
                            kept.put(outcome.key(), outcome);
                        } catch (IOException e) {
                            if (writeFailure[0] == null) {
                                writeFailure[0] = e;
                            }
                        }
                    } else {
                        failed.add(outcome);
                    }
                    finished(context, name, outcome, counter);
                }
            });
        }
        if (writeFailure[0] != null) {
            throw new IOException("cannot write a trial's result into " + store.directory() + ": "
                    + writeFailure[0].getMessage(), writeFailure[0]);
        }
        if (!failed.isEmpty()) {
            TrialOutcome f = failed.get(0);
            throw new TrialFailedException("trial '" + f.key() + "' failed: " + f.error()
                    + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more trials failed)" : "")
                    + "; the results of its " + kept.size() + " finished trials are kept in " + store.directory()
                    + ": fix the cause and run again with --resume to run only the missing trials");
        }
        if (kept.size() < keys.size()) {
            throw new TrialsPendingException(name, kept.size(), keys.size(), shard);
        }
        List<TrialResults.Trial<R>> results = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            TrialOutcome o = kept.get(keys.get(i));
            if (!o.divergences().isEmpty()) {
                o.divergences().forEach(context::diverged);
            }
            if (o.status() == TrialOutcome.Status.DIVERGED) {
                diverged.add(o.key());
            }
            if (o.result() != null) {
                R value = OutputWriter.json().readValue(o.result(), experiment.resultType());
                results.add(new TrialResults.Trial<>(o.key(), i, value, o.wallSeconds()));
            }
        }
        return new TrialResults<>(results, diverged, keys.size());
    }

    private static void finished(ExperimentContext context, String name, TrialOutcome outcome,
                                 Progress.TrialCounter counter) {
        int done = counter.finished();
        context.progress().trialFinished("trial " + outcome.key() + " " + outcome.status().label());
        Progress.TrialCounter run = context.runTrials().orElse(null);
        String runPart = "";
        if (run != null) {
            int runDone = run.finished();
            runPart = String.format(Locale.ROOT, "; run: %d of %d trials%s", runDone, run.total(),
                    left(run.remaining()));
        }
        LOG.info("{}: trial {} {} in {} ({} of {}{}{}){}", name, outcome.key(), outcome.status().label(),
                String.format(Locale.ROOT, "%.1f s", outcome.wallSeconds()), done, counter.total(),
                left(counter.remaining()), runPart, outcome.worker().equals("this process") || outcome.worker()
                        .isEmpty() ? "" : " on " + outcome.worker());
    }

    private static String left(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, ", ~%d:%02d left", s / 60, s % 60);
    }
}
