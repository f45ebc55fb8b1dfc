package io.github.losslab.app.trial;

import io.github.losslab.app.experiment.Divergence;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How one trial ended, in a form that travels between processes (Java serialization for Spark, JSON on disk).
 *
 * @param key         the trial's key within its experiment
 * @param status      how it ended
 * @param result      its result as JSON text; null when it has none (a failure, or a divergence before any
 *                    result)
 * @param divergences the trainings of the trial that diverged, in order
 * @param error       what went wrong, for a failed trial; null otherwise
 * @param wallSeconds how long the trial ran
 * @param worker      where it ran, in words ({@code this process}, {@code executor 1 on 10.0.0.7})
 */
public record TrialOutcome(String key, Status status, String result, List<Divergence> divergences, String error,
                           double wallSeconds, String worker) implements Serializable {

    /** How a trial ended. */
    public enum Status {
        /** It returned its result. */
        COMPLETED("completed"),
        /** A training's loss became NaN or infinite; the result, if any, holds what the trial measured before. */
        DIVERGED("diverged"),
        /** It threw an error; nothing of it is kept, and {@code --resume} runs it again. */
        FAILED("failed");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Status parse(String text) {
            for (Status s : values()) {
                if (s.label.equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown trial status '" + text + "'");
        }
    }

    public TrialOutcome {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        divergences = List.copyOf(divergences);
        worker = worker == null ? "" : worker;
    }

    /** Whether the trial is done for good: its result (or its divergence) is kept and not run again. */
    public boolean kept() {
        return status != Status.FAILED;
    }
}
