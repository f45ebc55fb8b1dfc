package io.github.losslab.app.experiment;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * An experiment run once on the real TensorFlow backend in deterministic mode, for the tests that check what a
 * tiny run writes and prints.
 *
 * @param out     the directory the experiment wrote into
 * @param result  what the run returned
 * @param printed what the run printed to its results
 */
public record TensorFlowRun(Path out, ExperimentResult result, String printed) {

    /** Runs {@code experiment} into {@code out} with the given seed. */
    public static TensorFlowRun of(Experiment experiment, Path out, long seed) throws IOException {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        StringWriter results = new StringWriter();
        ExperimentContext context = ExperimentContext.builder(backend, out).seed(seed)
                .results(new PrintWriter(results)).build();
        ExperimentResult result = experiment.run(context);
        return new TensorFlowRun(out, result, results.toString());
    }
}
