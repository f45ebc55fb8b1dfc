package io.github.losslab.app.experiment.training;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loss and accuracy of a classifier on named datasets (for example {@code train} and {@code test}), evaluated
 * with the parameters as they are at the end of every {@code every}-th epoch, over the whole of each dataset.
 * Unlike the mean of the mini-batch losses during an epoch, these are values of one set of parameters. Call
 * {@link #evaluate(Model, int)} with epoch 0 before training to include the initial parameters.
 */
public final class EpochMetrics implements TrainingListener {

    private static final Set<Metric> METRICS = EnumSet.of(Metric.LOSS, Metric.ACCURACY);

    private final Map<String, Dataset> datasets;
    private final int every;
    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> loss = new LinkedHashMap<>();
    private final Map<String, List<Double>> accuracy = new LinkedHashMap<>();

    /**
     * @param datasets the datasets by name, in the order to report them; each must hold class labels
     * @param every    evaluates after epochs {@code every}, {@code 2 * every}, ...
     */
    public EpochMetrics(Map<String, Dataset> datasets, int every) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("epoch metrics need at least one dataset");
        }
        if (every < 1) {
            throw new IllegalArgumentException("epochs between evaluations must be at least 1, was " + every);
        }
        this.datasets = new LinkedHashMap<>(datasets);
        this.every = every;
        for (String name : datasets.keySet()) {
            loss.put(name, new ArrayList<>());
            accuracy.put(name, new ArrayList<>());
        }
    }

    /** Training and test set, evaluated after every epoch. */
    public static EpochMetrics trainAndTest(Dataset train, Dataset test) {
        Map<String, Dataset> sets = new LinkedHashMap<>();
        sets.put("train", train);
        sets.put("test", test);
        return new EpochMetrics(sets, 1);
    }

    /** Evaluates every dataset now and records the values under {@code epoch}. */
    public void evaluate(Model model, int epoch) {
        epochs.add(epoch);
        for (Map.Entry<String, Dataset> e : datasets.entrySet()) {
            Map<Metric, Double> m = model.evaluate(e.getValue(), METRICS);
            loss.get(e.getKey()).add(m.get(Metric.LOSS));
            accuracy.get(e.getKey()).add(m.get(Metric.ACCURACY));
        }
    }

    @Override
    public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
        if (epoch % every == 0) {
            evaluate(model, epoch);
        }
    }

    /** The epochs evaluated so far, in order (0 for the initial parameters). */
    public int[] epochs() {
        return epochs.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The epochs as doubles, for charts. */
    public double[] epochAxis() {
        return epochs.stream().mapToDouble(Integer::doubleValue).toArray();
    }

    /** Names of the datasets, in order. */
    public List<String> names() {
        return List.copyOf(datasets.keySet());
    }

    /** The mean loss on dataset {@code name} at each evaluated epoch. */
    public double[] loss(String name) {
        return values(loss, name);
    }

    /** The fraction of samples of dataset {@code name} classified correctly at each evaluated epoch. */
    public double[] accuracy(String name) {
        return values(accuracy, name);
    }

    /** The last evaluated loss on {@code name}; NaN before any evaluation. */
    public double lastLoss(String name) {
        return last(loss(name));
    }

    /** The last evaluated accuracy on {@code name}; NaN before any evaluation. */
    public double lastAccuracy(String name) {
        return last(accuracy(name));
    }

    private static double[] values(Map<String, List<Double>> table, String name) {
        List<Double> v = table.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no dataset '" + name + "'; datasets are " + table.keySet());
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }
}
