package io.github.losslab.app.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run did.
 *
 * @param outcomes    one per experiment, in the order they were to run
 * @param interrupted why the run was stopped early; null when it was not
 * @param report      the report it wrote
 */
public record RunResult(List<Outcome> outcomes, String interrupted, Path report) {

    public RunResult {
        outcomes = List.copyOf(outcomes);
    }

    /** The experiments that failed, diverged or were interrupted. */
    public List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.status().failed()).toList();
    }
}
