/**
 * The HTML report of a run: {@link io.github.losslab.app.report.HtmlReport} renders immutable
 * {@link io.github.losslab.app.report.RunReport} and {@link io.github.losslab.app.report.ReportEntry} values as one
 * self-contained page (inline CSS, PNG figures embedded, no script, nothing from the network).
 */
package io.github.losslab.app.report;
