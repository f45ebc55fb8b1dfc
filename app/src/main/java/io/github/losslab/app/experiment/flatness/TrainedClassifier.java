package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.Model;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.api.train.TrainingListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One classifier after training, with the cross-entropy and accuracy of its final parameters on the whole training
 * and test sets (not the mean of the mini-batch losses during the last epoch).
 *
 * @param label         how figures and summaries name it, for example {@code batch 64}
 * @param batchSize     samples per optimizer step
 * @param optimizer     the optimizer, for example {@code adam(lr=0.001, ...)}
 * @param learningRate  its learning rate
 * @param epochs        passes over the training set; fewer than the configured ones when a
 *                      {@link TrainingTarget.Listener} among the listeners stopped the training at its target
 * @param steps         optimizer steps taken
 * @param trainLoss     cross-entropy on the training set, nats
 * @param trainAccuracy accuracy on the training set
 * @param testLoss      cross-entropy on the test set, nats
 * @param testAccuracy  accuracy on the test set
 * @param wallSeconds   wall time of the training and the evaluation
 */
public record TrainedClassifier(String label, int batchSize, String optimizer, double learningRate, int epochs,
                                int steps, double trainLoss, double trainAccuracy, double testLoss,
                                double testAccuracy, double wallSeconds) {

    private static final Logger LOG = LogManager.getLogger(TrainedClassifier.class);
    private static final Set<Metric> METRICS = EnumSet.of(Metric.LOSS, Metric.ACCURACY);

    /**
     * Trains {@code model} in place on {@code data.train()}, reporting to the context's progress under
     * {@code label}, and evaluates it on both splits.
     *
     * @param listeners called during the training after the progress report; a {@link TrainingTarget.Listener}
     *                  among them ends the training once its target is reached or its loss has stalled
     */
    public static TrainedClassifier train(ExperimentContext context, Model model, MnistInput data, String label,
                                          OptimizerSpec optimizer, TrainingConfig config,
                                          List<TrainingListener> listeners) {
        long start = System.nanoTime();
        List<TrainingListener> all = new ArrayList<>();
        all.add(context.progress().training(label, config.epochs()));
        all.addAll(listeners);
        int epochs;
        int steps;
        try {
            TrainingHistory history = model.train(data.train(), optimizer, config, all);
            epochs = config.epochs();
            steps = history.steps();
        } catch (TrainingTarget.Stopped stopped) {
            epochs = stopped.epoch();
            steps = epochs * config.stepsPerEpoch(data.train().size());
        }
        Map<Metric, Double> train = model.evaluate(data.train(), METRICS);
        Map<Metric, Double> test = model.evaluate(data.test(), METRICS);
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainedClassifier t = new TrainedClassifier(label, config.batchSize(), optimizer.describe(),
                optimizer.learningRate(), epochs, steps, train.get(Metric.LOSS),
                train.get(Metric.ACCURACY), test.get(Metric.LOSS), test.get(Metric.ACCURACY), seconds);
        LOG.info("{}: {} epochs, {} steps in {} s; train loss {}, accuracy {}; test loss {}, accuracy {}", label,
                epochs, steps, format("%.1f", seconds), format("%.4f", t.trainLoss),
                format("%.4f", t.trainAccuracy), format("%.4f", t.testLoss), format("%.4f", t.testAccuracy));
        return t;
    }

    /**
     * This training taken as the continuation of {@code earlier} on the same model (another learning rate, say):
     * the epochs, steps and time of both, the optimizer of each, the metrics of the final parameters.
     */
    public TrainedClassifier after(TrainedClassifier earlier) {
        return new TrainedClassifier(label, batchSize, earlier.optimizer + ", then " + optimizer,
                earlier.learningRate, earlier.epochs + epochs, earlier.steps + steps, trainLoss, trainAccuracy,
                testLoss, testAccuracy, earlier.wallSeconds + wallSeconds);
    }

    /** The generalization gap in loss: test minus train cross-entropy. */
    public double lossGap() {
        return testLoss - trainLoss;
    }

    /** This training as a summary entry. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", label);
        m.put("batchSize", batchSize);
        m.put("optimizer", optimizer);
        m.put("learningRate", learningRate);
        m.put("epochs", epochs);
        m.put("steps", steps);
        m.put("trainLoss", trainLoss);
        m.put("trainAccuracy", trainAccuracy);
        m.put("testLoss", testLoss);
        m.put("testAccuracy", testAccuracy);
        m.put("wallSeconds", wallSeconds);
        return m;
    }

    static String format(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
