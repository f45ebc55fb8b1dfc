package io.github.losslab.app.experiment;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop a run, set from another thread (the command line's shutdown hook on SIGINT or SIGTERM) and
 * checked by the running experiment between epochs and by the runner between experiments. Stopping there, and
 * not in the middle of a write, means every file of the run is either complete or not there.
 */
public final class Cancellation {

    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Asks the run to stop; the first reason given is kept. */
    public void cancel(String why) {
        reason.compareAndSet(null, why == null ? "cancelled" : why);
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    /** Why the run was asked to stop; null while it was not. */
    public String reason() {
        return reason.get();
    }

    /**
     * Returns when the run may go on.
     *
     * @throws RunCancelledException when the run was asked to stop
     */
    public void check() {
        String why = reason.get();
        if (why != null) {
            throw new RunCancelledException(why);
        }
    }
}
