package io.github.losslab.app.experiment;

import java.util.Locale;

/** How an experiment of a run ended, or that it has not (yet) run. */
public enum ExperimentStatus {
    /** Ran to the end in this run. */
    COMPLETED("completed"),
    /** Skipped by {@code --resume}: results of an earlier run with the same configuration are in place. */
    RESUMED("resumed"),
    /** A training's loss became NaN or infinite. */
    DIVERGED("diverged"),
    /** Stopped by an error. */
    FAILED("failed"),
    /** Stopped because the run was asked to stop (SIGINT, SIGTERM). */
    INTERRUPTED("interrupted"),
    /** Running while the report was written. */
    RUNNING("running"),
    /** Waiting for its turn while the report was written. */
    PENDING("pending"),
    /**
     * Some of its trials ran in this run ({@code --shard K/N}) and the others belong to other shards: reduced by a
     * later {@code --resume} run.
     */
    INCOMPLETE("incomplete"),
    /** Not run: not selected, or the run stopped before its turn. */
    NOT_RUN("not run");

    private final String label;

    ExperimentStatus(String label) {
        this.label = label;
    }

    /** In words, as summaries and reports write it: {@code completed}, {@code not run}. */
    public String label() {
        return label;
    }

    /** Whether the experiment's results are complete and valid. */
    public boolean succeeded() {
        return this == COMPLETED || this == RESUMED;
    }

    /** Whether this counts as a failure of the run (the command exits with a failure status). */
    public boolean failed() {
        return this == DIVERGED || this == FAILED || this == INTERRUPTED;
    }

    /** The status written as {@link #label()}. */
    public static ExperimentStatus parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ExperimentStatus s : values()) {
            if (s.label.equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown experiment status '" + text + "'");
    }
}
