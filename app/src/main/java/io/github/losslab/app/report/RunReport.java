package io.github.losslab.app.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code report.html} shows: the run as a whole, then one section per experiment.
 *
 * @param title         the page's title
 * @param state         one sentence on where the run stands, for example {@code The run finished.} or
 *                      {@code Written while the run was in progress ...}
 * @param facts         the run's settings and provenance as labelled values (command, seed, backend, ...)
 * @param deterministic whether native operations ran single-threaded, so that reruns give identical numbers
 * @param writtenAt     when the report was written, ISO-8601
 * @param entries       one per experiment, in the order to show them
 */
public record RunReport(String title, String state, Map<String, String> facts, boolean deterministic,
                        String writtenAt, List<ReportEntry> entries) {

    public RunReport {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(state, "state");
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        Objects.requireNonNull(writtenAt, "writtenAt");
        entries = List.copyOf(entries);
    }
}
