package io.github.losslab.app.trial;

/**
 * Not every trial of an experiment is done, because the others belong to other shards of the run
 * ({@code --shard K/N}): the experiment cannot be reduced yet. The trials of this shard are written.
 */
public final class TrialsPendingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int done;
    private final int total;

    public TrialsPendingException(String experiment, int done, int total, Shard shard) {
        super(experiment + ": " + done + " of " + total + " trials done; the others belong to other shards than "
                + shard + ": when every shard has finished, run again with --resume to reduce them");
        this.done = done;
        this.total = total;
    }

    public int done() {
        return done;
    }

    public int total() {
        return total;
    }
}
