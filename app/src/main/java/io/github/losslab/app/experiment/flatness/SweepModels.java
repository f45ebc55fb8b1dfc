package io.github.losslab.app.experiment.flatness;

import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.trial.SeedKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The trained models of a {@link BatchSizeSweep} as a reduce step reports them: grouped in the order of the sweep's
 * groups, each as an entry of {@code summary.json}, the trials that hit the epoch cap or plateaued, and the mean
 * of a quantity over the seeds of each batch size. Each experiment adds its own measurements, table columns and
 * verdicts.
 */
public final class SweepModels {

    /**
     * The table columns of a model's training, after the experiment's columns that name the model; the values are
     * {@link #trainingRow(BatchSizeSweep.Point)}.
     */
    public static final List<String> TRAINING_COLUMNS = List.of("epochs", "steps", "reached_target", "train_loss",
            "train_accuracy", "test_loss", "test_accuracy");

    private final List<BatchSizeSweep.Point> points;
    private final List<List<BatchSizeSweep.Point>> byGroup;
    private final TrainingTarget target;
    private final List<Map<String, Object>> models = new ArrayList<>();
    private final List<String> capped = new ArrayList<>();
    private final List<String> plateaued = new ArrayList<>();

    /**
     * Reads the points group by group, in the order of {@code groups}, and hands each to {@code each} (for its
     * table row and printed line). The summary entry of a point is its training ({@link TrainedClassifier#toMap()}),
     * its group when {@code withGroup}, its seed, whether it reached the target, and what was measured on it.
     */
    public SweepModels(List<BatchSizeSweep.Point> points, List<String> groups, TrainingTarget target,
                       boolean withGroup, Consumer<BatchSizeSweep.Point> each) {
        this.points = points;
        this.byGroup = BatchSizeSweep.byGroup(points, groups);
        this.target = target;
        for (List<BatchSizeSweep.Point> group : byGroup) {
            for (BatchSizeSweep.Point p : group) {
                each.accept(p);
                Map<String, Object> m = p.trained().toMap();
                if (withGroup) {
                    m.put("group", p.group());
                }
                m.put("seed", p.seed());
                m.put("reachedTarget", p.reachedTarget());
                boolean stalled = target.plateaued(p.reachedTarget(), p.trainLossByEpoch().length);
                m.put("plateaued", stalled);
                m.putAll(p.measured());
                models.add(m);
                if (!p.reachedTarget()) {
                    (stalled ? plateaued : capped).add(SeedKey.of(p.group(), p.seed()));
                }
            }
        }
    }

    /** The training values of {@link #TRAINING_COLUMNS} for one model. */
    public static List<Object> trainingRow(BatchSizeSweep.Point p) {
        TrainedClassifier t = p.trained();
        return List.of(t.epochs(), t.steps(), p.reachedTarget(), t.trainLoss(), t.trainAccuracy(), t.testLoss(),
                t.testAccuracy());
    }

    /** The points of each group, in the order of the groups; a group whose trials all diverged is empty. */
    public List<List<BatchSizeSweep.Point>> byGroup() {
        return byGroup;
    }

    /** The summary entry of every model, in the order of the groups. */
    public List<Map<String, Object>> models() {
        return models;
    }

    /** The trial keys of the trainings that hit the epoch cap before the target. */
    public List<String> capped() {
        return capped;
    }

    /** The trial keys of the trainings that the plateau stop ended before the target. */
    public List<String> plateaued() {
        return plateaued;
    }

    /** Prints, when any training hit the epoch cap or plateaued, how many and which. */
    public void printCapped(ExperimentContext context, String experiment) {
        if (!capped.isEmpty()) {
            context.results().printf(Locale.ROOT, "%s: %d of %d trainings hit the cap of %d epochs before the target"
                    + " training loss %s: %s%n", experiment, capped.size(), points.size(), target.maxEpochs(),
                    target.trainLoss(), capped);
        }
        if (!plateaued.isEmpty()) {
            context.results().printf(Locale.ROOT, "%s: %d of %d trainings plateaued (no 1%% fall of the training "
                    + "loss in %d epochs) before the target training loss %s: %s%n", experiment, plateaued.size(),
                    points.size(), target.plateauEpochs(), target.trainLoss(), plateaued);
        }
    }

    /**
     * Whether every training reached the target, for a verdict's explanation; when some hit the cap or plateaued,
     * which, with {@code consequence} (for example {@code ", so their minimum is not reached"}) before the advice.
     */
    public String capNote(String consequence) {
        if (capped.isEmpty() && plateaued.isEmpty()) {
            return "Every training reached the target training loss " + target.trainLoss() + ".";
        }
        List<String> parts = new ArrayList<>();
        if (!capped.isEmpty()) {
            parts.add(capped.size() + " training(s) hit the cap of " + target.maxEpochs() + " epochs before the "
                    + "target (" + String.join(", ", capped) + ")");
        }
        if (!plateaued.isEmpty()) {
            parts.add(plateaued.size() + " training(s) plateaued before the target, their training loss falling by "
                    + "less than 1% in " + target.plateauEpochs() + " epochs (" + String.join(", ", plateaued) + ")");
        }
        return String.join("; ", parts) + consequence + "; " + advice(target, !capped.isEmpty(),
                !plateaued.isEmpty()) + ".";
    }

    /**
     * What lets trainings that stopped short reach {@code target}: a higher {@code max-epochs} for those that hit
     * the cap, a longer {@code plateau-epochs} (or 0, no plateau stop) for those that stalled, which may still not
     * reach it at this learning rate.
     */
    public static String advice(TrainingTarget target, boolean capped, boolean plateaued) {
        List<String> advice = new ArrayList<>();
        if (capped) {
            advice.add("raise max-epochs");
        }
        if (plateaued) {
            advice.add("raise plateau-epochs (" + target.plateauEpochs() + ") or set it to 0 to train to the cap");
        }
        return String.join("; ", advice);
    }

    /**
     * The mean over the seeds of each quantity at each batch size, keyed {@code batch 64 / <name>}, batch size by
     * batch size in the order of the groups, then in the order of {@code quantities}.
     */
    public Map<String, Double> keyNumbers(List<SweepFigures.Quantity> quantities) {
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        for (List<BatchSizeSweep.Point> g : byGroup) {
            if (!g.isEmpty()) {
                String label = "batch " + g.get(0).batchSize();
                for (SweepFigures.Quantity q : quantities) {
                    keyNumbers.put(label + " / " + q.name(), g.stream().mapToDouble(q.value()).average()
                            .orElse(Double.NaN));
                }
            }
        }
        return keyNumbers;
    }
}
