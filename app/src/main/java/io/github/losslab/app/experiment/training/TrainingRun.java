package io.github.losslab.app.experiment.training;

import io.github.losslab.api.Model;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import io.github.losslab.app.experiment.ExperimentContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One classifier trained on an experiment's MNIST training set, with its loss and accuracy on the whole training and
 * test sets. A training that diverged is kept, with its failure, so that an experiment can go on with its other
 * models and still report this one.
 *
 * @param spec        the architecture
 * @param metrics     the loss and accuracy on the {@code train} and {@code test} sets, at the epochs the
 *                    {@link Evaluation} asked for (up to the divergence, if the training diverged)
 * @param batchLoss   the mean mini-batch loss of every epoch; empty when the training diverged
 * @param wallSeconds the training and its evaluations
 * @param failure     why the training stopped, or {@code null} when it completed
 */
public record TrainingRun(ModelSpec spec, EpochMetrics metrics, double[] batchLoss, double wallSeconds,
                          String failure) {

    private static final Logger LOG = LogManager.getLogger(TrainingRun.class);

    /** When the loss and accuracy are evaluated on the whole training and test sets. */
    public enum Evaluation {
        /** Before the training (epoch 0) and after every epoch: learning curves. */
        EVERY_EPOCH,
        /** After the training only: the final values. */
        FINAL
    }

    /**
     * Creates a model of {@code spec} in the context's precision, trains it on {@code data.train()} and evaluates
     * it on both splits. The first number of {@code part} seeds the initial parameters, the second the order of
     * the samples. The training reports to the context's progress under {@code label}; a divergence is recorded
     * with {@link ExperimentContext#diverged} under the same label and returned as a failed run.
     */
    public static TrainingRun train(ExperimentContext context, MnistInput data, ModelSpec spec,
                                    OptimizerSpec optimizer, int epochs, int batchSize, SplittableRandom part,
                                    String label, Evaluation evaluation) {
        long initSeed = part.nextLong();
        TrainingConfig config = TrainingConfig.of(epochs, batchSize, part.nextLong(), context.precision());
        EpochMetrics metrics = EpochMetrics.trainAndTest(data.train(), data.test());
        List<TrainingListener> listeners = new ArrayList<>();
        if (evaluation == Evaluation.EVERY_EPOCH) {
            listeners.add(metrics);
        }
        listeners.add(context.progress().training(label, epochs));
        long start = System.nanoTime();
        try (Model model = context.backend().createModel(spec, context.precision(), initSeed)) {
            if (evaluation == Evaluation.EVERY_EPOCH) {
                metrics.evaluate(model, 0);
            }
            TrainingHistory history = model.train(data.train(), optimizer, config, listeners);
            if (evaluation == Evaluation.FINAL) {
                metrics.evaluate(model, epochs);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("{}: train accuracy {}, test accuracy {} ({} s)", label,
                    Outputs.percent(metrics.lastAccuracy("train")), Outputs.percent(metrics.lastAccuracy("test")),
                    String.format(Locale.ROOT, "%.1f", seconds));
            return new TrainingRun(spec, metrics, history.series(TrainingHistory.LOSS), seconds, null);
        } catch (TrainingDivergedException e) {
            context.diverged(label, e);
            return new TrainingRun(spec, metrics, new double[0], (System.nanoTime() - start) / 1e9, e.getMessage());
        }
    }

    /** Whether the training completed. */
    public boolean succeeded() {
        return failure == null;
    }

    /** The last evaluated loss on the training set; NaN when none was evaluated. */
    public double trainLoss() {
        return metrics.lastLoss("train");
    }

    /** The last evaluated accuracy on the training set; NaN when none was evaluated. */
    public double trainAccuracy() {
        return metrics.lastAccuracy("train");
    }

    /** The last evaluated loss on the test set; NaN when none was evaluated. */
    public double testLoss() {
        return metrics.lastLoss("test");
    }

    /** The last evaluated accuracy on the test set; NaN when none was evaluated. */
    public double testAccuracy() {
        return metrics.lastAccuracy("test");
    }
}
