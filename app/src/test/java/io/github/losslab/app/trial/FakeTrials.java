package io.github.losslab.app.trial;

import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.TrialExperiment;
import io.github.losslab.app.output.OutputWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trial experiment that needs no backend, for tests of the trial machinery: trial {@code t-i} returns
 * {@code i * i} from a generator seeded by the root seed and its key; one trial may fail, one may diverge; every
 * trial that runs is recorded in {@link #RAN}.
 */
public final class FakeTrials extends TrialExperiment<FakeTrials.Settings, FakeTrials.Value> {

    /** The keys of the trials that ran in this JVM, by the experiment's {@code tag}. */
    static final Map<String, Set<String>> RAN = new ConcurrentHashMap<>();

    /**
     * @param trials     how many trials
     * @param failAt     the key of a trial that throws, or {@code none}
     * @param divergeAt  the key of a trial whose training diverges, or {@code none}
     * @param tag        names this test's record of what ran
     * @param sleepMillis how long each trial takes
     */
    public record Settings(int trials, String failAt, String divergeAt, String tag, int sleepMillis) {
        public Settings {
            Check.between("trials", trials, 1, 1000);
        }
    }

    /** A trial's result. */
    public record Value(String key, long square, double noise) {
    }

    static final ExperimentType<Settings> TYPE = new ExperimentType<>("fake-trials", "trials that need no backend",
            Settings.class, p -> new Settings(6, "none", "none", "default", 0), FakeTrials::new);

    FakeTrials(Settings settings) {
        super(TYPE, settings, Value.class);
    }

    @Override
    public List<String> trialKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < settings.trials(); i++) {
            keys.add("t-" + i);
        }
        return keys;
    }

    @Override
    public Value runTrial(String key, ExperimentContext context) {
        RAN.computeIfAbsent(settings.tag(), t -> ConcurrentHashMap.newKeySet()).add(key);
        context.progress().model("trial " + key);
        if (settings.sleepMillis() > 0) {
            try {
                Thread.sleep(settings.sleepMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (key.equals(settings.failAt())) {
            throw new IllegalStateException("the fake trial " + key + " fails on purpose");
        }
        if (key.equals(settings.divergeAt())) {
            throw new TrainingDivergedException(1, 3, Double.NaN, "sgd(lr=1e9)");
        }
        long i = Long.parseLong(key.substring(2));
        double noise = new java.util.SplittableRandom(context.seed() * 31 + i).nextDouble();
        return new Value(key, i * i, noise);
    }

    @Override
    public ExperimentResult reduce(TrialResults<Value> trials, ExperimentContext context) throws IOException {
        OutputWriter out = context.output();
        Map<String, Object> summary = newSummary();
        summary.put("values", trials.values());
        summary.put("diverged", trials.diverged());
        summary.put("sum", trials.values().stream().mapToLong(Value::square).sum());
        out.writeJson("summary.json", summary);
        Map<String, Double> key = new LinkedHashMap<>();
        key.put("sum", (double) trials.values().stream().mapToLong(Value::square).sum());
        return new ExperimentResult(name(), out.directory(), out.written(), key, context.elapsedSeconds());
    }
}
