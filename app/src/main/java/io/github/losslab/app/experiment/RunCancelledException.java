package io.github.losslab.app.experiment;

/**
 * Thrown where a run checks for {@linkplain Cancellation cancellation} after it was asked to stop. Experiments
 * let it pass: their models are closed by try-with-resources on the way out, and the runner records the
 * experiment as interrupted.
 */
public class RunCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunCancelledException(String reason) {
        super("the run was stopped: " + reason);
    }
}
