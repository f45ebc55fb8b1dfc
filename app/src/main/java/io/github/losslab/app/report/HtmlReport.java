package io.github.losslab.app.report;

import io.github.losslab.app.experiment.ExperimentStatus;
import io.github.losslab.app.output.AtomicFiles;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: inline CSS, PNG figures embedded as data, no script
 * and nothing fetched from the network, so that it opens anywhere and prints well. SVG figures, CSV data and
 * summaries are linked relative to the page, which lives in the output directory beside them.
 */
public final class HtmlReport {

    /** How much longer than the wall time the trials' summed time must be to be shown beside it. */
    private static final double TRIAL_TIME_SHOWN = 1.1;

    /** The report's file name in the output directory. */
    public static final String FILE_NAME = "report.html";

    private static final String CSS = """
            :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --link: #0969da; }
            * { box-sizing: border-box; }
            body { margin: 0 auto; max-width: 1160px; padding: 28px 36px 48px; color: var(--fg); background: #fff;
                   font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            a { color: var(--link); }
            h1 { font-size: 30px; margin: 0 0 6px; letter-spacing: -0.01em; }
            h2 { font-size: 22px; margin: 0; }
            h3 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: 0.04em;
                 color: var(--muted); }
            p { margin: 6px 0 10px; }
            code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
            .lead { font-size: 17px; margin-bottom: 18px; }
            .muted { color: var(--muted); }
            table { border-collapse: collapse; font-size: 14px; margin: 4px 0 8px; }
            th, td { border-bottom: 1px solid var(--line); padding: 5px 12px 5px 0; text-align: left;
                     vertical-align: top; }
            th { font-weight: 600; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 16px; }
            table.facts th { color: var(--muted); font-weight: 500; white-space: nowrap; padding-right: 20px; }
            table.facts td { word-break: break-word; }
            table.overview { width: 100%; }
            table.overview td:first-child, table.overview td.num { white-space: nowrap; padding-right: 16px; }
            .badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12.5px;
                     font-weight: 600; white-space: nowrap; vertical-align: 3px; border: 1px solid transparent; }
            .completed { background: #dafbe1; color: #116329; border-color: #aceebb; }
            .resumed { background: #ddf4ff; color: #0550ae; border-color: #b6e3ff; }
            .failed { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
            .diverged { background: #fff1e5; color: #953800; border-color: #ffd8b5; }
            .interrupted { background: #fff8c5; color: #7d4e00; border-color: #f5e27d; }
            .running, .pending, .not-run, .incomplete { background: #eff2f5; color: #59636e; border-color: #d1d9e0; }
            .reproduced { background: #dafbe1; color: #116329; border-color: #aceebb; }
            .not-reproduced { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
            .inconclusive { background: #fff8c5; color: #7d4e00; border-color: #f5e27d; }
            table.claims { width: 100%; }
            table.claims td.why { color: var(--muted); font-size: 13px; }
            .notice { border-left: 4px solid #d1d9e0; background: var(--soft); padding: 8px 14px; margin: 12px 0; }
            .notice.warn { border-color: #d4a72c; background: #fff8c5; }
            .problem { border-left: 4px solid #cf222e; background: #ffebe9; padding: 10px 14px; margin: 14px 0;
                       white-space: pre-wrap; word-break: break-word; }
            .problem.diverged { border-color: #bc4c00; background: #fff1e5; }
            .problem.interrupted { border-color: #d4a72c; background: #fff8c5; }
            section.experiment { margin-top: 44px; padding-top: 18px; border-top: 2px solid var(--fg); }
            .heading { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
            .description { font-size: 16px; margin-top: 4px; }
            .figures { display: grid; grid-template-columns: minmax(0, 920px); gap: 18px; }
            figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px; background: #fff; }
            figure img { display: block; width: 100%; height: auto; }
            figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
            .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 8px 40px; }
            ul.files { margin: 4px 0; padding-left: 20px; columns: 2; }
            footer { margin-top: 48px; font-size: 13px; color: var(--muted); border-top: 1px solid var(--line);
                     padding-top: 10px; }
            @media print {
              body { max-width: none; padding: 0; font-size: 10.5pt; }
              a { color: inherit; text-decoration: none; }
              section.experiment { break-before: page; border-top: none; }
              figure, table, .problem, .notice { break-inside: avoid; }
              .figures { grid-template-columns: 1fr; }
              figure { max-width: 17cm; }
              .columns { grid-template-columns: 1fr 1fr; }
            }
            """;

    private final Path directory;

    /** @param directory the directory the report is written to; files of the entries are relative to it */
    public HtmlReport(Path directory) {
        this.directory = directory;
    }

    /** Writes {@value #FILE_NAME} into the directory, atomically. */
    public Path write(RunReport report) throws IOException {
        String html = render(report);
        return AtomicFiles.write(directory.resolve(FILE_NAME), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** The page. */
    public String render(RunReport report) throws IOException {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(report.title())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        header(h, report);
        overview(h, report);
        for (ReportEntry e : report.entries()) {
            section(h, e);
        }
        h.append("<footer>Written ").append(esc(report.writtenAt()))
                .append(" by losslab. Figures are embedded; SVG, CSV and JSON files are linked relative to this page,")
                .append(" in the output directory.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, RunReport r) {
        h.append("<header>\n<h1>").append(esc(r.title())).append("</h1>\n");
        h.append("<p class=\"lead\">").append(esc(r.state())).append("</p>\n");
        facts(h, r.facts(), "facts");
        if (r.deterministic()) {
            h.append("<p class=\"notice\"><strong>Deterministic run.</strong> Native operations ran single-threaded: "
                    + "the same configuration and seed give identical numbers.</p>\n");
        } else {
            h.append("<p class=\"notice warn\"><strong>Not deterministic.</strong> Native operations ran on several "
                    + "threads, which add numbers in varying order: rerunning with the same seed may give results "
                    + "that differ in the last digits. Run with <code>--deterministic</code> (or "
                    + "<code>deterministic: true</code>) for identical numbers.</p>\n");
        }
        h.append("</header>\n");
    }

    private static void overview(StringBuilder h, RunReport r) {
        Map<String, Integer> tally = new java.util.LinkedHashMap<>();
        for (String v : List.of("reproduced", "not reproduced", "inconclusive")) {
            tally.put(v, 0);
        }
        r.entries().forEach(e -> e.claims().forEach(c -> tally.merge(c.verdict(), 1, Integer::sum)));
        int claims = tally.values().stream().mapToInt(Integer::intValue).sum();
        h.append("<nav>\n<h3>Experiments</h3>\n");
        if (claims > 0) {
            StringBuilder t = new StringBuilder();
            tally.forEach((v, n) -> t.append(t.length() == 0 ? "" : ", ").append(n).append(' ').append(v));
            h.append("<p>Of the ").append(claims).append(claims == 1 ? " claim" : " claims")
                    .append(" the experiments tested: ").append(esc(t.toString()))
                    .append(". Each experiment's section gives the statistic over seeds and why.</p>\n");
        }
        h.append("<table class=\"overview\">\n<tr><th>experiment</th><th>status</th>")
                .append("<th>claims</th><th>what it shows</th><th class=\"num\">time</th></tr>\n");
        for (ReportEntry e : r.entries()) {
            h.append("<tr><td><a href=\"#").append(anchor(e.name())).append("\">").append(esc(e.name()))
                    .append("</a></td><td>").append(badge(e.status())).append("</td><td>");
            for (ClaimLine c : e.claims()) {
                h.append("<span title=\"").append(esc(c.claim())).append("\">").append(verdictBadge(c.verdict()))
                        .append("</span> ");
            }
            h.append("</td><td>")
                    .append(esc(e.description())).append("</td><td class=\"num\">")
                    .append(Double.isNaN(e.wallSeconds()) ? "" : esc(duration(e.wallSeconds())))
                    .append(trialTime(e)).append("</td></tr>\n");
        }
        h.append("</table>\n</nav>\n");
    }

    private void section(StringBuilder h, ReportEntry e) throws IOException {
        h.append("<section class=\"experiment\" id=\"").append(anchor(e.name())).append("\">\n")
                .append("<div class=\"heading\"><h2>").append(esc(e.name())).append("</h2>")
                .append(badge(e.status())).append("</div>\n");
        if (!e.description().isEmpty()) {
            h.append("<p class=\"description\">").append(esc(e.description())).append("</p>\n");
        }
        if (!e.explanation().equals(e.description())) {
            for (String paragraph : e.explanation().strip().split("\\n\\s*\\n")) {
                h.append("<p>").append(esc(paragraph.strip())).append("</p>\n");
            }
        }
        claims(h, e.claims());
        if (e.message() != null) {
            h.append("<div class=\"problem ").append(cssClass(e.status())).append("\"><strong>")
                    .append(esc(problemTitle(e.status()))).append("</strong>\n").append(esc(e.message()))
                    .append("</div>\n");
        }
        String statusText = statusText(e);
        if (statusText != null) {
            h.append("<p class=\"notice\">").append(esc(statusText)).append("</p>\n");
        }
        if (e.note() != null) {
            h.append("<p class=\"notice\">").append(esc(e.note())).append("</p>\n");
        }
        keyNumbers(h, e.keyNumbers());
        figures(h, e.name(), e.files());
        dataFiles(h, e.name(), e.files());
        if (!e.settings().isEmpty() || !e.provenance().isEmpty()) {
            h.append("<div class=\"columns\">\n");
            if (!e.settings().isEmpty()) {
                h.append("<div>\n<h3>Settings</h3>\n");
                Map<String, String> settings = new LinkedHashMap<>();
                e.settings().forEach((k, v) -> settings.put(k, value(v)));
                facts(h, settings, "facts mono");
                h.append("</div>\n");
            }
            if (!e.provenance().isEmpty()) {
                h.append("<div>\n<h3>Provenance</h3>\n");
                facts(h, e.provenance(), "facts");
                h.append("</div>\n");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    /**
     * Key numbers as a table. Names of the form {@code row / column} (the last {@code " / "} splits them) become
     * a grid: {@code cube / 1 hidden layer, Adam / final MSE} is row {@code cube / 1 hidden layer, Adam}, column
     * {@code final MSE}.
     */
    static void keyNumbers(StringBuilder h, Map<String, Double> numbers) {
        if (numbers.isEmpty()) {
            return;
        }
        Set<String> rows = new LinkedHashSet<>();
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Double> cells = new LinkedHashMap<>();
        for (Map.Entry<String, Double> n : numbers.entrySet()) {
            int cut = n.getKey().lastIndexOf(" / ");
            String row = cut < 0 ? n.getKey() : n.getKey().substring(0, cut);
            String column = cut < 0 ? "value" : n.getKey().substring(cut + 3);
            rows.add(row);
            columns.add(column);
            cells.put(row + "\u0000" + column, n.getValue());
        }
        h.append("<h3>Key numbers</h3>\n<table>\n<tr><th></th>");
        for (String c : columns) {
            h.append("<th class=\"num\">").append(esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (String r : rows) {
            h.append("<tr><td>").append(esc(r)).append("</td>");
            for (String c : columns) {
                Double v = cells.get(r + "\u0000" + c);
                h.append("<td class=\"num\">").append(v == null ? "" : esc(number(v))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private void figures(StringBuilder h, String experiment, List<String> files) throws IOException {
        List<String> pngs = files.stream().filter(f -> f.endsWith(".png")).toList();
        if (pngs.isEmpty()) {
            return;
        }
        h.append("<h3>Figures</h3>\n<div class=\"figures\">\n");
        for (String png : pngs) {
            String base = png.substring(0, png.length() - ".png".length());
            String svg = base + ".svg";
            Path file = directory.resolve(png);
            String title = figureTitle(base.startsWith(experiment + "/") ? base.substring(experiment.length() + 1)
                    : base);
            h.append("<figure>");
            if (Files.isRegularFile(file)) {
                h.append("<img alt=\"").append(esc(title)).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(file))).append("\">");
            } else {
                h.append("<p class=\"muted\">").append(esc(png)).append(" is missing.</p>");
            }
            h.append("<figcaption>").append(esc(title)).append(" &nbsp;·&nbsp; ");
            if (files.contains(svg)) {
                h.append("<a href=\"").append(href(svg)).append("\">SVG</a> · ");
            }
            h.append("<a href=\"").append(href(png)).append("\">PNG</a></figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    private void dataFiles(StringBuilder h, String experiment, List<String> files) throws IOException {
        List<String> data = files.stream().filter(f -> !f.endsWith(".png") && !f.endsWith(".svg")).toList();
        if (data.isEmpty()) {
            return;
        }
        h.append("<h3>Data</h3>\n<ul class=\"files\">\n");
        for (String f : data) {
            Path file = directory.resolve(f);
            String size = "";
            if (f.endsWith(".csv") && Files.isRegularFile(file)) {
                long rows;
                try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                    rows = Math.max(0, lines.count() - 1);
                }
                size = " <span class=\"muted\">(" + rows + " rows)</span>";
            }
            String shown = f.startsWith(experiment + "/") ? f.substring(experiment.length() + 1) : f;
            h.append("<li><a href=\"").append(href(f)).append("\"><code>").append(esc(shown)).append("</code></a>")
                    .append(size).append("</li>\n");
        }
        h.append("</ul>\n");
    }

    private static void facts(StringBuilder h, Map<String, String> facts, String cssClass) {
        h.append("<table class=\"").append(cssClass).append("\">\n");
        for (Map.Entry<String, String> f : facts.entrySet()) {
            h.append("<tr><th>").append(esc(f.getKey())).append("</th><td>").append(esc(f.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String statusText(ReportEntry e) {
        return switch (e.status()) {
            case RUNNING -> "This experiment was running when the report was written. If the run was stopped, it "
                    + "did not finish; rerun with --resume to run it and keep what is done.";
            case PENDING -> "This experiment had not started when the report was written.";
            case NOT_RUN -> e.message() != null || e.note() != null ? null
                    : "This experiment was not part of this run: run it with 'losslab run " + e.name() + "'.";
            default -> null;
        };
    }

    private static String problemTitle(ExperimentStatus s) {
        return switch (s) {
            case DIVERGED -> "Training diverged. ";
            case INTERRUPTED -> "Interrupted. ";
            case FAILED -> "Failed. ";
            default -> "";
        };
    }

    /** The claims an experiment tested: claim and source, the statistic over seeds, threshold and verdict. */
    private static void claims(StringBuilder h, List<ClaimLine> claims) {
        if (claims.isEmpty()) {
            return;
        }
        h.append("<h3>Claims</h3>\n<table class=\"claims\">\n<tr><th>claim</th><th>statistic over seeds</th>")
                .append("<th>threshold</th><th>verdict</th></tr>\n");
        for (ClaimLine c : claims) {
            h.append("<tr><td>").append(esc(c.claim()));
            if (!c.source().isEmpty()) {
                h.append(" <span class=\"muted\">(").append(esc(c.source())).append(")</span>");
            }
            h.append("</td><td>").append(esc(c.statistic())).append(": ");
            if (c.seeds() >= 2) {
                h.append(esc(number(c.mean()) + " ± " + number(c.sd()) + " (95% CI " + number(c.low()) + " to "
                        + number(c.high()) + ", " + c.seeds() + " seeds)"));
            } else {
                h.append(esc(c.seeds() == 1 ? number(c.mean()) + " (1 seed)" : "no value"));
            }
            h.append("</td><td>").append(esc(("below".equals(c.direction()) ? "< " : "> ") + number(c.threshold())))
                    .append("</td><td>").append(verdictBadge(c.verdict())).append("</td></tr>\n");
            if (!c.explanation().isEmpty()) {
                h.append("<tr><td colspan=\"4\" class=\"why\">").append(esc(c.explanation())).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static String verdictBadge(String verdict) {
        return "<span class=\"badge " + esc(verdict.replace(' ', '-')) + "\">" + esc(verdict) + "</span>";
    }

    private static String badge(ExperimentStatus s) {
        return "<span class=\"badge " + cssClass(s) + "\">" + esc(s.label()) + "</span>";
    }

    private static String cssClass(ExperimentStatus s) {
        return s.label().replace(' ', '-');
    }

    /** {@code cube/loss} as {@code cube · loss}. */
    private static String figureTitle(String base) {
        return String.join(" · ", base.split("/"));
    }

    static String value(Object v) {
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(o -> parts.add(value(o)));
            return String.join(", ", parts);
        }
        if (v instanceof Double d) {
            return number(d);
        }
        return String.valueOf(v);
    }

    /** Four significant digits, scientific notation for very large or small magnitudes. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", v).replaceFirst("\\.?0+e", "e").replace("e-0", "e-")
                    .replace("e+0", "e").replace("e+", "e");
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * The trials' summed time under the run's wall time, when it says more than the wall time does: trials that ran
     * at once, or that an earlier run did and this one resumed.
     */
    private static String trialTime(ReportEntry e) {
        double t = e.trialSeconds();
        if (!Double.isFinite(t) || (Double.isFinite(e.wallSeconds()) && t <= TRIAL_TIME_SHOWN * e.wallSeconds())) {
            return "";
        }
        return "<br><span class=\"muted\" title=\"the sum of the trials' own times, whichever run did them\">"
                + "trials " + esc(duration(t)) + "</span>";
    }

    /** The human-readable form of a duration: {@code 7.3 s}, {@code 5 min 41 s}, {@code 1 h 55 min}. */
    public static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String anchor(String name) {
        return "experiment-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /**
     * A relative link to a file, each path segment percent-encoded. A colon in the first segment would make a
     * browser read what comes before it as a URL scheme ({@code a:b/c.png} as scheme {@code a}), so such a link
     * starts with {@code ./}, which keeps it relative (RFC 3986, section 4.2).
     */
    static String href(String relative) {
        String link;
        try {
            link = new URI(null, null, relative, null).toASCIIString();
        } catch (URISyntaxException e) {
            link = relative;
        }
        int slash = link.indexOf('/');
        if ((slash < 0 ? link : link.substring(0, slash)).indexOf(':') >= 0) {
            link = "./" + link;
        }
        return esc(link);
    }

    /** Escapes text for HTML element content and for attributes in double quotes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
