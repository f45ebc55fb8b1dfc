package io.github.losslab.api.train;

import io.github.losslab.api.Model;

/**
 * Called during {@code Model.train}. Callbacks run on the training thread between optimizer steps, so
 * {@code model.parameters()} reads the parameters as they are at that point. Throwing stops the training.
 */
public interface TrainingListener {

    /** After every optimizer step; {@code step} counts from 1 over the whole training. */
    default void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
    }

    /**
     * After every epoch (numbered from 1), with the mean training loss of its steps. A listener may add its
     * own per-epoch values to {@code history}, for example test metrics.
     */
    default void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
    }

    /**
     * True when this listener reads the model in {@link #onStep}; a backend may otherwise run several steps per
     * native call and report their losses afterwards.
     */
    default boolean readsModelEveryStep() {
        return false;
    }

    /**
     * Steps between this listener's reads of the model in {@link #onStep}: 1 when it reads it after every step,
     * {@code k} when only after steps whose number (counted from 1 over the whole training) is a multiple of
     * {@code k}, 0 when never. A backend may run the steps between two reads in one native call. The default
     * follows {@link #readsModelEveryStep()}.
     */
    default int readsModelEvery() {
        return readsModelEveryStep() ? 1 : 0;
    }
}
