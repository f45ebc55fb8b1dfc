package io.github.losslab.plotting;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks shared by the chart builders. */
final class SeriesNames {

    private SeriesNames() {
    }

    /**
     * Rejects two series with one name in a chart, since the legend could not tell them apart.
     *
     * @throws IllegalArgumentException naming the repeated series
     */
    static void requireUnique(String chartKind, String title, List<Series> series) {
        Set<String> seen = new HashSet<>();
        for (Series s : series) {
            if (!seen.add(s.name())) {
                throw new IllegalArgumentException(chartKind + " '" + title + "' has two series named '"
                        + s.name() + "'; give each series its own name so the legend can tell them apart");
            }
        }
    }
}
