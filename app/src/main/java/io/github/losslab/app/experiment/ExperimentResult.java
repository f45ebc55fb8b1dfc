package io.github.losslab.app.experiment;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an experiment produced: the files it wrote and its key numbers (for example the final loss of each
 * model), which the command line prints and reports show in a table.
 *
 * @param experiment  the experiment's name
 * @param directory   where its files are
 * @param files       every file it wrote
 * @param keyNumbers  named results in the order to show them
 * @param wallSeconds wall-clock time of the run
 */
public record ExperimentResult(String experiment, Path directory, List<Path> files, Map<String, Double> keyNumbers,
                               double wallSeconds) {

    public ExperimentResult {
        files = List.copyOf(files);
        keyNumbers = Collections.unmodifiableMap(new LinkedHashMap<>(keyNumbers));
    }
}
