package io.github.losslab.app.experiment;

/**
 * Where an experiment stands, for a {@link ProgressDisplay}.
 *
 * @param experiment       the experiment
 * @param model            the model training now, as the experiment names it; empty before the first
 * @param epoch            epochs of that model done
 * @param epochs           epochs that model trains for
 * @param loss             mean training loss of its last epoch; NaN before the first
 * @param fraction         the part of the experiment done, in [0, 1]: of all its epochs when it said how many
 *                         ({@link Progress#plan}), otherwise of the current model's
 * @param elapsedSeconds   since the experiment started
 * @param remainingSeconds estimated from the pace so far; NaN while unknown
 * @param trialsDone       trials of the experiment finished (0 for an experiment of one trial)
 * @param trialsTotal      trials of the experiment; with more than one, {@code fraction} and
 *                         {@code remainingSeconds} are the whole experiment's, counted in trials
 */
public record ProgressSnapshot(String experiment, String model, int epoch, int epochs, double loss,
                               double fraction, double elapsedSeconds, double remainingSeconds, int trialsDone,
                               int trialsTotal) {

    /** A snapshot of an experiment not split into several trials. */
    public ProgressSnapshot(String experiment, String model, int epoch, int epochs, double loss, double fraction,
                            double elapsedSeconds, double remainingSeconds) {
        this(experiment, model, epoch, epochs, loss, fraction, elapsedSeconds, remainingSeconds, 0, 0);
    }
}
