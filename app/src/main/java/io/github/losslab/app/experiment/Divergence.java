package io.github.losslab.app.experiment;

import io.github.losslab.api.train.TrainingDivergedException;

import java.util.Objects;

/**
 * A training of an experiment whose loss became NaN or infinite.
 *
 * @param experiment the experiment
 * @param model      the model that was training, as the experiment names it
 * @param epoch      the epoch of the step that diverged, from 1
 * @param step       the optimizer step that diverged, from 1 over the whole training
 * @param loss       the loss that step produced
 * @param detail     the backend's message, which ends with what to try
 */
public record Divergence(String experiment, String model, int epoch, long step, double loss, String detail)
        implements java.io.Serializable {

    public Divergence {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(detail, "detail");
    }

    public static Divergence of(String experiment, String model, TrainingDivergedException e) {
        return new Divergence(experiment, model, e.epoch(), e.step(), e.loss(),
                e.getMessage() == null ? "training diverged" : e.getMessage());
    }

    /**
     * One line naming the experiment, the model, the epoch and the step, and the hint, for example
     * {@code fit-function: model '2 hidden layers, SGD': training diverged: the loss became NaN at epoch 3, step
     * 150 (optimizer sgd(lr=5.0)); try a smaller learning rate}.
     */
    public String message() {
        String where = detail.contains("epoch " + epoch) && detail.contains("step " + step) ? ""
                : "diverged at epoch " + epoch + ", step " + step + ": ";
        return experiment + ": model '" + model + "': " + where + detail;
    }
}
