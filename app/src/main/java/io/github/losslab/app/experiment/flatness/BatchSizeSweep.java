package io.github.losslab.app.experiment.flatness;

import io.github.losslab.app.trial.SeedKey;

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

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Models of one spec that differ in their batch size, each trained with the same optimizer until the same
 * {@link TrainingTarget} (a training loss, or an epoch cap), and repeated over seeds. Within a seed every batch
 * size starts from the same initial parameters and sees the training samples in the same order of epochs; the
 * seeds differ in both. A trial is one batch size at one seed, keyed {@code <group>.seed-<k>} ({@code batch-64.seed-0},
 * {@code large.seed-2}); after its training a measurement reads the model (its sensitivity, its sharpness) before it
 * is closed.
 *
 * @param spec      the architecture
 * @param optimizer the optimizer and its learning rate
 * @param target    when each training stops
 */
public record BatchSizeSweep(ModelSpec spec, OptimizerSpec optimizer, TrainingTarget target) {

    /** What is measured on each trained model. */
    @FunctionalInterface
    public interface Measurement {
        /** Named values of the trained model, in the order to report them. */
        Map<String, Double> measure(Model model, TrainedClassifier trained);
    }

    /**
     * One model of the sweep.
     *
     * @param group            the trial key's group ({@code batch-64}, {@code small})
     * @param seed             the index of its seed, from 0
     * @param trained          its training and metrics
     * @param reachedTarget    whether its training loss reached the target before the epoch cap
     * @param trainLossByEpoch the cross-entropy on the whole training set after each epoch
     * @param measured         what the measurement returned
     */
    public record Point(String group, int seed, TrainedClassifier trained, boolean reachedTarget,
                        double[] trainLossByEpoch, Map<String, Double> measured) {

        public Point {
            trainLossByEpoch = trainLossByEpoch.clone();
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

        /** The generalization gap in loss: test minus train cross-entropy. */
        public double lossGap() {
            return trained.lossGap();
        }

        /** The generalization gap in accuracy: train minus test accuracy. */
        public double accuracyGap() {
            return trained.trainAccuracy() - trained.testAccuracy();
        }
    }

    /**
     * The sweep of the {@link Classifier#mlp classifier} of {@code hiddenWidths} for the samples of {@code data},
     * trained with {@code optimizer} at {@code learningRate} until {@code target}.
     */
    public static BatchSizeSweep mlp(MnistInput data, List<Integer> hiddenWidths, OptimizerKind optimizer,
                                     double learningRate, TrainingTarget target) {
        return new BatchSizeSweep(Classifier.mlp(data, hiddenWidths), optimizer.spec(learningRate), target);
    }

    /** The group of a batch size in a sweep over batch sizes: {@code batch-64}. */
    public static String group(int batchSize) {
        return "batch-" + batchSize;
    }

    /** The trial keys: every group at seed 0, then every group at seed 1, and so on. */
    public static List<String> keys(List<String> groups, int seeds) {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            for (String g : groups) {
                keys.add(SeedKey.of(g, s));
            }
        }
        return keys;
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
     * rate, a positive target training loss, at least 1 epoch as the cap, a plateau stop of at least 0 epochs, at
     * least 0 training and test samples ({@link MnistInput#ALL} for a whole split), and at least one seed.
     *
     * @return the training target
     * @throws InvalidSettingException naming the first setting that is wrong
     */
    public static TrainingTarget checkTraining(OptimizerKind optimizer, double learningRate, double targetTrainLoss,
                                               int maxEpochs, int plateauEpochs, int trainSamples,
                                               int testSamples, int seeds) {
        TrainingChecks.optimizer(optimizer, learningRate);
        TrainingTarget target = new TrainingTarget(targetTrainLoss, maxEpochs, plateauEpochs);
        Check.between("trainSamples", trainSamples, 0, Limits.SAMPLES);
        Check.between("testSamples", testSamples, 0, Limits.SAMPLES);
        Check.between("seeds", seeds, 1, Limits.RUNS);
        return target;
    }

    /**
     * One trial of the sweep: trains the model of {@code batchSize} at seed {@code seed} until the target and
     * measures it. The seed's initial parameters and order of samples come from
     * {@link ExperimentContext#random(int)}, split once so that they do not repeat the draws of the data, which
     * come from seed 0's stream. A training that diverges throws
     * {@link io.github.losslab.api.train.TrainingDivergedException}, which marks the trial as diverged; the other
     * trials go on.
     */
    public Point point(ExperimentContext context, MnistInput data, SeedKey key, int batchSize,
                       Measurement measurement) {
        SplittableRandom random = context.random(key.seed()).split();
        long initSeed = random.nextLong();
        long shuffleSeed = random.nextLong();
        TrainingConfig config = TrainingConfig.of(target.maxEpochs(), batchSize, shuffleSeed, context.precision());
        String label = "batch " + batchSize + ", seed " + key.seed();
        try (Model model = context.backend().createModel(spec, context.precision(), initSeed)) {
            TrainingTarget.Listener stop = target.listener(data.train());
            TrainedClassifier trained = TrainedClassifier.train(context, model, data, label, optimizer, config,
                    List.of(stop));
            return new Point(key.point(), key.seed(), trained, stop.reached(), stop.losses(),
                    measurement.measure(model, trained));
        }
    }

    /** The points of each group, in the order of {@code groups}; a group without points (all diverged) is empty. */
    public static List<List<Point>> byGroup(List<Point> points, List<String> groups) {
        List<List<Point>> out = new ArrayList<>();
        for (String g : groups) {
            out.add(points.stream().filter(p -> p.group().equals(g)).toList());
        }
        return out;
    }

    /**
     * The value of {@code f} of the point of {@code group} at each seed {@code 0 .. seeds - 1}; NaN for a seed
     * whose trial gave no point.
     */
    public static double[] perSeed(List<Point> points, String group, int seeds, ToDoubleFunction<Point> f) {
        double[] v = new double[seeds];
        java.util.Arrays.fill(v, Double.NaN);
        for (Point p : points) {
            if (p.group().equals(group) && p.seed() < seeds) {
                v[p.seed()] = f.applyAsDouble(p);
            }
        }
        return v;
    }
}
