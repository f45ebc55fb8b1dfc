package io.github.losslab.app.trial;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the reduce step of an experiment reads: the result of every trial that has one, in the order of the
 * experiment's trial keys, and the keys of the trials that diverged.
 *
 * @param results  the trials with a result, in key order
 * @param diverged the keys of the trials that diverged, in key order (a diverged trial may still have a result)
 * @param total    the experiment's number of trials
 * @param <R>      the experiment's result type
 */
public record TrialResults<R>(List<Trial<R>> results, List<String> diverged, int total) {

    /**
     * One trial's result.
     *
     * @param key         its key
     * @param index       its position among the experiment's trials, from 0
     * @param value       its result
     * @param wallSeconds how long it ran
     * @param <R>         the result type
     */
    public record Trial<R>(String key, int index, R value, double wallSeconds) {
        public Trial {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public TrialResults {
        results = List.copyOf(results);
        diverged = List.copyOf(diverged);
    }

    /** The results alone, in key order. */
    public List<R> values() {
        return results.stream().map(Trial::value).toList();
    }

    /** The results by key, in key order. */
    public Map<String, R> byKey() {
        return results.stream().collect(Collectors.toMap(Trial::key, Trial::value, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    /** The result of one trial, when it has one. */
    public java.util.Optional<R> get(String key) {
        return results.stream().filter(t -> t.key().equals(key)).map(Trial::value).findFirst();
    }

    /** The results mapped, in key order. */
    public <T> List<T> map(Function<R, T> f) {
        return results.stream().map(t -> f.apply(t.value())).toList();
    }
}
