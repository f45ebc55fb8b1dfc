package io.github.losslab.app.experiment.training;

import io.github.losslab.api.model.Activation;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.InvalidSettingException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.experiment.OptimizerKind;

/** Checks of the settings that the experiments training MNIST classifiers have in common. */
public final class TrainingChecks {

    private TrainingChecks() {
    }

    /**
     * Checks, in this order, that {@code activation} and {@code optimizer} are given, that {@code learningRate} is
     * positive and that {@code epochs} and {@code batchSize} are at least 1 and at most their {@link Limits}.
     *
     * @throws InvalidSettingException naming the first setting that is not
     */
    public static void classifierTraining(Activation activation, OptimizerKind optimizer, double learningRate,
                                          int epochs, int batchSize) {
        if (activation == null) {
            throw new InvalidSettingException("activation", null, "an activation");
        }
        optimizer(optimizer, learningRate);
        Check.between("epochs", epochs, 1, Limits.EPOCHS);
        Check.between("batchSize", batchSize, 1, Limits.SAMPLES);
    }

    /**
     * Checks that {@code optimizer} is given, then that {@code learningRate} is positive.
     *
     * @throws InvalidSettingException naming the first setting that is not
     */
    public static void optimizer(OptimizerKind optimizer, double learningRate) {
        if (optimizer == null) {
            throw new InvalidSettingException("optimizer", null, "sgd or adam");
        }
        Check.positive("learningRate", learningRate);
    }
}
