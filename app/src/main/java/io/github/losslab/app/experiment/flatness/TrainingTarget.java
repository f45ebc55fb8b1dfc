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
import java.util.Locale;

/**
 * When a training of the flatness experiments stops: as soon as the cross-entropy of the model's parameters on the
 * whole training set is at most {@code trainLoss} (checked after every epoch), or after {@code maxEpochs} epochs,
 * whichever comes first. Keskar, Mudigere, Nocedal, Smelyanskiy and Tang (2017, "On Large-Batch Training for Deep
 * Learning: Generalization Gap and Sharp Minima") compare the minima that small and large batches end in, each
 * trained until its training accuracy is near 100%. A fixed number of epochs does not: a larger batch takes
 * proportionally fewer steps per epoch and stops far from any minimum, where its sharpness says little about the
 * minimum it would end in.
 *
 * <p>A training that cannot reach the target (a learning rate too high to settle, a batch too large for the cap)
 * spends the whole cap on it. With {@code plateauEpochs} above 0 it stops earlier, once its training loss has not
 * fallen by at least {@value #PLATEAU_IMPROVEMENT} of itself for that many epochs, as Keras' {@code EarlyStopping}
 * ({@code patience}, {@code min_delta}) and Ray Tune's {@code TrialPlateauStopper} stop a run that has stalled; it
 * is then reported as plateaued rather than as having hit the cap. The model then returns to the parameters of its
 * lowest training loss (Keras' {@code restore_best_weights}): a noisy training stopped at a spike of its loss would
 * otherwise be measured there.
 *
 * @param trainLoss     the training cross-entropy to reach, nats
 * @param maxEpochs     the cap: a training that has not reached {@code trainLoss} after this many epochs stops
 *                      there and is reported as not having reached it
 * @param plateauEpochs 0 for no plateau stop; otherwise the epochs without a relative fall of the training loss of
 *                      {@value #PLATEAU_IMPROVEMENT} after which a training stops before its cap
 */
public record TrainingTarget(double trainLoss, int maxEpochs, int plateauEpochs) {

    /** The relative fall of the training loss that counts as progress for the plateau stop: 1%. */
    public static final double PLATEAU_IMPROVEMENT = 0.01;

    public TrainingTarget {
        Check.positive("targetTrainLoss", trainLoss);
        Check.between("maxEpochs", maxEpochs, 1, Limits.EPOCHS);
        Check.between("plateauEpochs", plateauEpochs, 0, Limits.EPOCHS);
    }

    /** A target without a plateau stop. */
    public TrainingTarget(double trainLoss, int maxEpochs) {
        this(trainLoss, maxEpochs, 0);
    }

    /**
     * The target in words, for figures and summaries: {@code training loss ≤ 0.02 nats (at most 1,000 epochs)}, with
     * {@code ; stopped when it falls by less than 1% in 50 epochs} when there is a plateau stop.
     */
    public String describe() {
        return "training loss ≤ " + trainLoss + " nats (at most " + String.format(Locale.ROOT, "%,d", maxEpochs)
                + " epochs" + (plateauEpochs > 0 ? "; stopped when it falls by less than 1% in " + plateauEpochs
                + " epochs" : "") + ")";
    }

    /**
     * Whether a training that ran {@code epochs} epochs and did not reach the target was stopped by the plateau
     * stop rather than by the cap.
     */
    public boolean plateaued(boolean reached, int epochs) {
        return !reached && epochs < maxEpochs;
    }

    /**
     * Thrown by {@link Listener} to end {@code Model.train} once the target is reached or the loss has stalled (a
     * listener that throws stops the training, and the model keeps the parameters of its last step);
     * {@link TrainedClassifier#train} catches it.
     */
    static final class Stopped extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int epoch;

        Stopped(int epoch, String why) {
            super(why + " after epoch " + epoch, null, false, false);
            this.epoch = epoch;
        }

        /** The epoch after which the training stopped, from 1. */
        int epoch() {
            return epoch;
        }
    }

    /**
     * Evaluates the training loss after every epoch, records it, and stops the training once it is at most the
     * target, or once it has stalled for the target's {@code plateauEpochs}.
     */
    public static final class Listener implements TrainingListener {

        private final TrainingTarget target;
        private final Dataset train;
        private final List<Double> losses = new ArrayList<>();
        private boolean reached;
        private boolean plateaued;
        private double progressLoss = Double.POSITIVE_INFINITY;
        private int progressEpoch;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private double[] bestParameters;

        Listener(TrainingTarget target, Dataset train) {
            this.target = target;
            this.train = train;
        }

        /**
         * Evaluates the training loss; with a plateau stop, keeps the parameters of the lowest loss so far, and puts
         * them back into the model when the plateau stop ends the training.
         */
        @Override
        public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
            double loss = model.evaluate(train, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            if (target.plateauEpochs() > 0 && loss < bestLoss) {
                bestLoss = loss;
                bestParameters = model.parameters();
            }
            try {
                record(epoch, loss);
            } catch (Stopped stopped) {
                if (plateaued && bestParameters != null) {
                    model.setParameters(bestParameters);
                }
                throw stopped;
            }
        }

        /** Records the training loss after {@code epoch} and stops the training when the target says so. */
        void record(int epoch, double loss) {
            losses.add(loss);
            if (loss <= target.trainLoss()) {
                reached = true;
                throw new Stopped(epoch, "training target reached");
            }
            if (!(loss > progressLoss * (1 - PLATEAU_IMPROVEMENT))) {
                progressLoss = loss;
                progressEpoch = epoch;
            } else if (target.plateauEpochs() > 0 && epoch - progressEpoch >= target.plateauEpochs()) {
                plateaued = true;
                throw new Stopped(epoch, "training loss plateaued");
            }
        }

        /** Whether the plateau stop ended the training. */
        public boolean plateaued() {
            return plateaued;
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
