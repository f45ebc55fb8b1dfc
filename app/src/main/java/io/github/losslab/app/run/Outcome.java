package io.github.losslab.app.run;

import io.github.losslab.app.experiment.Divergence;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentStatus;

import java.util.List;
import java.util.Objects;

/**
 * How one experiment of a run ended.
 *
 * @param experiment  its name
 * @param status      how it ended
 * @param result      what it produced; null when it did not finish (or was resumed)
 * @param message     one or more lines on what went wrong, starting with the experiment's name; null when nothing
 * @param divergences the trainings whose loss became NaN or infinite
 * @param failure     the exception or error that stopped it; null when none did
 */
public record Outcome(String experiment, ExperimentStatus status, ExperimentResult result, String message,
                      List<Divergence> divergences, Throwable failure) {

    public Outcome {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(status, "status");
        divergences = List.copyOf(divergences);
    }

    /** Whether its results are complete (run now or resumed). */
    public boolean succeeded() {
        return status.succeeded();
    }
}
