package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.Model;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.experiment.training.TrainingChecks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models of one spec that differ only in their batch size: each starts from the same initial parameters, sees the
 * training samples in the same order of epochs (one shuffling seed), and trains for the same number of epochs with
 * the same optimizer, so a larger batch takes proportionally fewer steps. After each training a measurement reads
 * the model (its sensitivity, its sharpness) before it is closed.
 *
 * @param spec       the architecture
 * @param optimizer  the optimizer and its learning rate
 * @param epochs     passes over the training set
 * @param batchSizes the batch sizes, one model each
 * @param initSeed   seed of the initial parameters, shared by every model
 * @param shuffleSeed seed of the order of samples, shared by every model
 */
public record BatchSizeSweep(ModelSpec spec, OptimizerSpec optimizer, int epochs, List<Integer> batchSizes,
                             long initSeed, long shuffleSeed) {

    /** What is measured on each trained model. */
    @FunctionalInterface
    public interface Measurement {
        /** Named values of the trained model, in the order to report them. */
        Map<String, Double> measure(Model model, TrainedClassifier trained);
    }

    /**
     * One model of the sweep.
     *
     * @param trained  its training and metrics
     * @param measured what the measurement returned
     */
    public record Point(TrainedClassifier trained, Map<String, Double> measured) {

        public Point {
            measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
        }

        public int batchSize() {
            return trained.batchSize();
        }

        public double value(String name) {
            Double v = measured.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no '" + name + "' measured; measured " + measured.keySet());
            }
            return v;
        }
    }

    public BatchSizeSweep {
        batchSizes = List.copyOf(batchSizes);
    }

    /**
     * Checks the {@code batchSizes} setting of a sweep: values of at least 1, at least 2 of them, in increasing
     * order.
     *
     * @return the batch sizes as {@link Check#distinct} returns them
     * @throws InvalidSettingException naming {@code batchSizes}
     */
    public static List<Integer> checkBatchSizes(List<Integer> batchSizes) {
        batchSizes = Check.distinct("batchSizes", Check.allBetween("batchSizes", Check.atMostElements("batchSizes",
                batchSizes, Limits.MODELS, "batch sizes"), 1, Limits.SAMPLES));
        if (batchSizes.size() < 2 || !increasing(batchSizes)) {
            throw new InvalidSettingException("batchSizes", batchSizes, "at least 2 batch sizes in increasing order");
        }
        return batchSizes;
    }

    private static boolean increasing(List<Integer> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) <= values.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks, in this order, the training settings of a sweep's experiment: an optimizer given, a positive learning
     * rate, at least 1 epoch, and at least 0 training and test samples ({@link MnistInput#ALL} for a whole split).
     *
     * @throws InvalidSettingException naming the first setting that is wrong
     */
    public static void checkTraining(OptimizerKind optimizer, double learningRate, int epochs, int trainSamples,
                                     int testSamples) {
        TrainingChecks.optimizer(optimizer, learningRate);
        Check.between("epochs", epochs, 1, Limits.EPOCHS);
        Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
        Check.between("testSamples", testSamples, 0, Limits.SAMPLES);
    }

    /** The trial key of a batch size: {@code batch-64}. */
    public static String key(int batchSize) {
        return "batch-" + batchSize;
    }

    /** The trial keys of the sweep, one per batch size in order. */
    public List<String> keys() {
        return batchSizes.stream().map(BatchSizeSweep::key).toList();
    }

    /**
     * The batch size of a trial key.
     *
     * @throws IllegalArgumentException when the key is not one of the sweep's
     */
    public int batchSize(String key) {
        for (int b : batchSizes) {
            if (key(b).equals(key)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no trial '" + key + "' in the sweep; its trials are " + keys());
    }

    /**
     * One trial of the sweep: trains and measures the model of one batch size. A training that diverges throws
     * {@link io.github.losslab.api.train.TrainingDivergedException}, which marks the trial as diverged; the other
     * trials go on.
     */
    public Point point(ExperimentContext context, MnistInput data, String key, Measurement measurement) {
        int batchSize = batchSize(key);
        TrainingConfig config = TrainingConfig.of(epochs, batchSize, shuffleSeed, context.precision());
        String label = "batch " + batchSize;
        try (Model model = context.backend().createModel(spec, context.precision(), initSeed)) {
            TrainedClassifier trained = TrainedClassifier.train(context, model, data, label, optimizer, config,
                    List.of());
            return new Point(trained, measurement.measure(model, trained));
        }
    }
}
