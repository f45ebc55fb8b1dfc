package io.github.losslab.app.trial;

/**
 * A trial of an experiment threw an error. The message names the experiment, the trial's key and the error, and
 * says that the results of the experiment's other trials are kept for {@code --resume}.
 */
public final class TrialFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrialFailedException(String message) {
        super(message);
    }
}
