package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.Limits;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * When a training of the flatness experiments stops: as soon as the cross-entropy of the model's parameters on the
 * whole training set is at most {@code trainLoss} (checked after every epoch), or after {@code maxEpochs} epochs,
 * whichever comes first. Keskar, Mudigere, Nocedal, Smelyanskiy and Tang (2017, "On Large-Batch Training for Deep
 * Learning: Generalization Gap and Sharp Minima") compare the minima that small and large batches end in, each
 * trained until its training accuracy is near 100%. A fixed number of epochs does not: a larger batch takes
 * proportionally fewer steps per epoch and stops far from any minimum, where its sharpness says little about the
 * minimum it would end in.
 *
 * @param trainLoss the training cross-entropy to reach, nats
 * @param maxEpochs the cap: a training that has not reached {@code trainLoss} after this many epochs stops there
 *                  and is reported as not having reached it
 */
public record TrainingTarget(double trainLoss, int maxEpochs) {

    public TrainingTarget {
        Check.positive("targetTrainLoss", trainLoss);
        Check.between("maxEpochs", maxEpochs, 1, Limits.EPOCHS);
    }

    /** The target in words, for figures and summaries: {@code training loss ≤ 0.02 nats (at most 300 epochs)}. */
    public String describe() {
        return "training loss ≤ " + trainLoss + " nats (at most " + maxEpochs + " epochs)";
    }

    /**
     * Thrown by {@link Listener} to end {@code Model.train} once the target is reached (a listener that throws
     * stops the training, and the model keeps the parameters of its last step); {@link TrainedClassifier#train}
     * catches it.
     */
    static final class Reached extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int epoch;

        Reached(int epoch) {
            super("training target reached after epoch " + epoch, null, false, false);
            this.epoch = epoch;
        }

        /** The epoch after which the target was reached, from 1. */
        int epoch() {
            return epoch;
        }
    }

    /**
     * Evaluates the training loss after every epoch, records it, and stops the training once it is at most the
     * target.
     */
    public static final class Listener implements TrainingListener {

        private final TrainingTarget target;
        private final Dataset train;
        private final List<Double> losses = new ArrayList<>();
        private boolean reached;

        Listener(TrainingTarget target, Dataset train) {
            this.target = target;
            this.train = train;
        }

        @Override
        public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
            double loss = model.evaluate(train, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            losses.add(loss);
            if (loss <= target.trainLoss()) {
                reached = true;
                throw new Reached(epoch);
            }
        }

        /** The training loss after each epoch so far. */
        public double[] losses() {
            return losses.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** Whether the training loss reached the target. */
        public boolean reached() {
            return reached;
        }

        /** Epochs run so far. */
        public int epochs() {
            return losses.size();
        }
    }

    /** A listener for one training on {@code train} towards this target. */
    public Listener listener(Dataset train) {
        return new Listener(this, train);
    }
}
