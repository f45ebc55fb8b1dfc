package io.github.losslab.app.report;

import io.github.losslab.app.experiment.ExperimentStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment's section of the report.
 *
 * @param name        the experiment
 * @param description one line of what it shows
 * @param explanation a longer text (paragraphs separated by blank lines); may equal the description
 * @param status      how it ended in this run, or that it did not run
 * @param message     what went wrong (error, divergence, interruption); null when nothing did
 * @param note        a remark on where the results come from (for example an earlier run); null for none
 * @param keyNumbers  named results in the order to show them
 * @param settings    the experiment's settings as configuration keys and values
 * @param provenance  how the results were produced, as labelled values in the order to show them
 * @param files       the files it wrote, relative to the report's directory, with {@code /} separators
 * @param wallSeconds its wall-clock time; NaN when unknown
 * @param claims      the papers' claims it tested, with their verdicts
 * @param trialSeconds the sum of its trials' own wall-clock times, whichever run did them (more than
 *                     {@code wallSeconds} when trials ran at once or were done by an earlier run and resumed); NaN
 *                     for an experiment without trials
 */
public record ReportEntry(String name, String description, String explanation, ExperimentStatus status,
                          String message, String note, Map<String, Double> keyNumbers, Map<String, Object> settings,
                          Map<String, String> provenance, List<String> files, double wallSeconds,
                          List<ClaimLine> claims, double trialSeconds) {

    /** An entry without claims. */
    public ReportEntry(String name, String description, String explanation, ExperimentStatus status,
                       String message, String note, Map<String, Double> keyNumbers, Map<String, Object> settings,
                       Map<String, String> provenance, List<String> files, double wallSeconds) {
        this(name, description, explanation, status, message, note, keyNumbers, settings, provenance, files,
                wallSeconds, List.of());
    }

    /** An entry whose trial time is not known. */
    public ReportEntry(String name, String description, String explanation, ExperimentStatus status,
                       String message, String note, Map<String, Double> keyNumbers, Map<String, Object> settings,
                       Map<String, String> provenance, List<String> files, double wallSeconds,
                       List<ClaimLine> claims) {
        this(name, description, explanation, status, message, note, keyNumbers, settings, provenance, files,
                wallSeconds, claims, Double.NaN);
    }

    public ReportEntry {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        explanation = explanation == null ? description : explanation;
        Objects.requireNonNull(status, "status");
        keyNumbers = Collections.unmodifiableMap(new LinkedHashMap<>(keyNumbers));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        files = List.copyOf(files);
        claims = List.copyOf(claims);
    }

    /** This entry with {@code more} added to its provenance and the trials' summed time. */
    public ReportEntry withTrials(Map<String, String> more, double newTrialSeconds) {
        Map<String, String> p = new LinkedHashMap<>(more);
        p.putAll(provenance);
        return new ReportEntry(name, description, explanation, status, message, note, keyNumbers, settings, p,
                files, wallSeconds, claims, newTrialSeconds);
    }

    /** An entry with nothing but its status and a message: an experiment that has not run or left no summary. */
    public static ReportEntry bare(String name, String description, String explanation, ExperimentStatus status,
                                   String message, String note) {
        return new ReportEntry(name, description, explanation, status, message, note, Map.of(), Map.of(), Map.of(),
                List.of(), Double.NaN);
    }
}
