package io.github.losslab.app.report;

import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The page itself: self-contained, escaped, every part of an entry where a reader looks for it. */
class HtmlReportTest {

    private static RunReport report(boolean deterministic, ReportEntry... entries) {
        return new RunReport("losslab report", "The run finished with failures.", Map.of("seed", "42"),
                deterministic, "2024-01-01T00:00:00Z", List.of(entries));
    }

    @Test
    void aCompletedExperimentShowsItsFigureDataKeyNumbersSettingsAndProvenance(@TempDir Path dir)
            throws IOException {
        Figures.save(LineChart.builder("loss").xLabel("epoch").yLabel("loss")
                .add(Series.line("a", new double[] {1, 2}, new double[] {2, 1})).build(), dir.resolve("exp/cube"),
                "loss", 300, 200);
        Files.writeString(dir.resolve("exp/cube/history.csv"), "epoch,loss\n1,2\n2,1\n");
        Map<String, Double> keys = new LinkedHashMap<>();
        keys.put("cube / deep / final MSE", 0.000123);
        keys.put("cube / deep / parameters", 1000.0);
        keys.put("cube / shallow / final MSE", 0.5);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("functions", List.of("cube", "sin-5pi-x"));
        settings.put("adam-learning-rate", 0.001);
        ReportEntry e = new ReportEntry("exp", "fits <functions>", "First paragraph.\n\nSecond & last.",
                ExperimentStatus.COMPLETED, null, null, keys, settings, Map.of("seed", "42"),
                List.of("exp/cube/loss.png", "exp/cube/loss.svg", "exp/cube/history.csv", "exp/summary.json"), 75);

        String html = new HtmlReport(dir).render(report(false, e));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script")
                .doesNotContain("<link").doesNotContain("http://").doesNotContain("https://");
        assertThat(html).contains("<img alt=\"cube · loss\" src=\"data:image/png;base64,iVBORw0KGgo")
                .contains("<a href=\"exp/cube/loss.svg\">SVG</a>")
                .contains("<a href=\"exp/cube/history.csv\"><code>cube/history.csv</code></a>")
                .contains("(2 rows)").contains("href=\"exp/summary.json\"");
        assertThat(html).contains("<p class=\"description\">fits &lt;functions&gt;</p>")
                .contains("<p>First paragraph.</p>").contains("<p>Second &amp; last.</p>");
        assertThat(html).contains("<th class=\"num\">final MSE</th><th class=\"num\">parameters</th>")
                .contains("<tr><td>cube / deep</td><td class=\"num\">1.23e-4</td><td class=\"num\">1000</td></tr>")
                .contains("<tr><td>cube / shallow</td><td class=\"num\">0.5</td><td class=\"num\"></td></tr>");
        assertThat(html).contains("<th>functions</th><td>cube, sin-5pi-x</td>")
                .contains("<th>adam-learning-rate</th><td>0.001</td>").contains("1 min 15 s");
        assertThat(html).contains("Not deterministic.").contains("may give results that differ in the last digits");
        assertThat(new HtmlReport(dir).render(report(true, e))).contains("Deterministic run.")
                .doesNotContain("Not deterministic.");
    }

    /** A resumed run's wall time counts only its own work; the trials' summed time is shown when it says more. */
    @Test
    void theTrialsSummedTimeStandsUnderTheWallTimeWhenLonger(@TempDir Path dir) throws IOException {
        ReportEntry resumed = new ReportEntry("resumed", "fits", null, ExperimentStatus.COMPLETED, null, null,
                Map.of(), Map.of(), Map.of(), List.of(), 1.9, List.of(), 341);
        ReportEntry alone = new ReportEntry("alone", "fits", null, ExperimentStatus.COMPLETED, null, null,
                Map.of(), Map.of(), Map.of(), List.of(), 100, List.of(), 99);
        String html = new HtmlReport(dir).render(report(false, resumed, alone));
        assertThat(html).contains("1.9 s<br><span class=\"muted\" title=\"the sum of the trials' own times, "
                + "whichever run did them\">trials 5 min 41 s</span>");
        assertThat(html).contains("1 min 40 s</td>").containsOnlyOnce("trials 5 min 41 s")
                .doesNotContain("trials 1 min 39 s");
    }

    @Test
    void claimsAreTabledWithTheirStatisticThresholdAndVerdictAndBadgedInTheOverview(@TempDir Path dir)
            throws IOException {
        ClaimLine reproduced = new ClaimLine("deeper fits <better>", "the assignment", "log10 MSE ratio", "reproduced",
                3, 2, 1, 0.5, 3.5, "above", 0, "trained long enough");
        ClaimLine not = new ClaimLine("large batches are sharper", "Keskar et al. 2017", "log10 sharpness ratio",
                "not reproduced", 5, -0.3, 0.1, -0.42, -0.18, "above", 0, "");
        ReportEntry e = new ReportEntry("exp", "fits", null, ExperimentStatus.COMPLETED, null, null, Map.of(),
                Map.of(), Map.of(), List.of(), 3, List.of(reproduced, not));
        String html = new HtmlReport(dir).render(report(false, e));
        assertThat(html).contains("<p>Of the 2 claims the experiments tested: 1 reproduced, 1 not reproduced, 0 "
                + "inconclusive.")
                .contains("<h3>Claims</h3>")
                .contains("<tr><td>deeper fits &lt;better&gt; <span class=\"muted\">(the assignment)</span></td>"
                        + "<td>log10 MSE ratio: 2 ± 1 (95% CI 0.5 to 3.5, 3 seeds)</td><td>&gt; 0</td>"
                        + "<td><span class=\"badge reproduced\">reproduced</span></td></tr>")
                .contains("<td colspan=\"4\" class=\"why\">trained long enough</td>")
                .contains("<span class=\"badge not-reproduced\">not reproduced</span>")
                .contains("<span title=\"large batches are sharper\"><span class=\"badge not-reproduced\">");
    }

    @Test
    void failedDivergedAndNotRunExperimentsSaySo(@TempDir Path dir) throws IOException {
        ReportEntry failed = ReportEntry.bare("breaks", "fails", null, ExperimentStatus.FAILED,
                "breaks: failed: the file <x> was missing", null);
        ReportEntry diverged = ReportEntry.bare("explodes", "diverges", null, ExperimentStatus.DIVERGED,
                "explodes: model 'wide': training diverged", null);
        ReportEntry pending = ReportEntry.bare("later", "waits", null, ExperimentStatus.PENDING, null, null);
        ReportEntry notRun = ReportEntry.bare("other", "was not asked for", null, ExperimentStatus.NOT_RUN, null,
                null);
        Path file = new HtmlReport(dir).write(report(false, failed, diverged, pending, notRun));
        assertThat(file).isEqualTo(dir.resolve("report.html"));
        String html = Files.readString(file);
        assertThat(html).contains("<div class=\"problem failed\"><strong>Failed. </strong>\nbreaks: failed: the file "
                + "&lt;x&gt; was missing</div>")
                .contains("<div class=\"problem diverged\"><strong>Training diverged. </strong>")
                .contains("explodes: model 'wide': training diverged")
                .contains("This experiment had not started when the report was written.")
                .contains("not part of this run: run it with 'losslab run other'")
                .contains("<a href=\"#experiment-breaks\">breaks</a></td><td><span class=\"badge failed\">failed")
                .contains("<span class=\"badge not-run\">not run</span>");
    }

    @Test
    void numbersReadWell() {
        assertThat(HtmlReport.number(0.012345)).isEqualTo("0.01235");
        assertThat(HtmlReport.number(3.0)).isEqualTo("3");
        assertThat(HtmlReport.number(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(HtmlReport.number(2.5e6 + 0.5)).isEqualTo("2.5e6");
        assertThat(HtmlReport.number(2.5e6)).isEqualTo("2500000");
        assertThat(HtmlReport.number(Double.NaN)).isEqualTo("NaN");
        assertThat(HtmlReport.href("a b/c.csv")).isEqualTo("a%20b/c.csv");
        assertThat(HtmlReport.esc("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void linksWithAColonInTheFirstSegmentStayRelative() {
        assertThat(HtmlReport.href("a:b/c.png")).isEqualTo("./a:b/c.png");
        assertThat(HtmlReport.href("c:d.png")).isEqualTo("./c:d.png");
        assertThat(HtmlReport.href("run/a:b.png")).isEqualTo("run/a:b.png");
        assertThat(HtmlReport.href("run/c.png")).isEqualTo("run/c.png");
        // What a browser does with the link in a report at /report/index.html: it must stay inside /report/.
        java.net.URI page = java.net.URI.create("https://example.org/report/index.html");
        for (String file : new String[] {"a:b/c.png", "c:d.png", "javascript:alert(1)", "run/a:b.png"}) {
            java.net.URI target = page.resolve(HtmlReport.href(file));
            assertThat(target.getScheme()).as(file).isEqualTo("https");
            assertThat(target.getPath()).as(file).startsWith("/report/");
        }
    }
}
