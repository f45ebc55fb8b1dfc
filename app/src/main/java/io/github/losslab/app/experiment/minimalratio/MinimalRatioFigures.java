package io.github.losslab.app.experiment.minimalratio;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.ScatterChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@link MinimalRatioExperiment}: loss against minimal ratio at every critical point (searches that
 * reached the tolerance apart from those that did not), and the eigenvalue histogram of one run, drawn as steps.
 */
final class MinimalRatioFigures {

    private MinimalRatioFigures() {
    }

    static void write(OutputWriter out, MinimalRatioExperiment.Settings settings, ModelSpec spec,
                      List<MinimalRatioExperiment.Run> runs, MinimalRatioExperiment.Run shown) throws IOException {
        String net = spec.parameterCount() + "-parameter " + settings.activation().configName() + " net fitting "
                + settings.function().label();
        ScatterChart.Builder scatter = ScatterChart.builder("Critical points of a " + net)
                .xLabel("minimal ratio (fraction of positive Hessian eigenvalues)")
                .yLabel("training loss (MSE)").logY(true);
        List<MinimalRatioExperiment.Run> converged = runs.stream()
                .filter(r -> r.succeeded() && r.converged()).toList();
        List<MinimalRatioExperiment.Run> other = runs.stream()
                .filter(r -> r.succeeded() && !r.converged()).toList();
        String tol = String.format(Locale.ROOT, "%.0e", settings.tolerance());
        scatter.add(Series.points("|∇L| < " + tol + " (" + converged.size() + ")", ratios(converged),
                losses(converged)));
        if (!other.isEmpty()) {
            scatter.add(Series.points("search stopped above " + tol + " (" + other.size() + ")", ratios(other),
                    losses(other)));
        }
        save(out, scatter.build(), "minimal-ratio");

        CsvTable table = CsvTable.of("bin_low", "bin_high", "count");
        LineChart.Builder histogram;
        if (shown == null) {
            histogram = LineChart.builder("Hessian eigenvalues (every run failed)").xLabel("eigenvalue")
                    .yLabel("count");
        } else {
            double[][] h = MinimalRatioExperiment.histogram(shown.eigenvalues(), settings.histogramBins());
            double[] edges = h[0];
            double[] counts = h[1];
            for (int i = 0; i < counts.length; i++) {
                table.add(edges[i], edges[i + 1], (int) counts[i]);
            }
            double[] x = new double[2 * counts.length + 2];
            double[] y = new double[x.length];
            x[0] = edges[0];
            for (int i = 0; i < counts.length; i++) {
                x[2 * i + 1] = edges[i];
                y[2 * i + 1] = counts[i];
                x[2 * i + 2] = edges[i + 1];
                y[2 * i + 2] = counts[i];
            }
            x[x.length - 1] = edges[edges.length - 1];
            histogram = LineChart.builder(String.format(Locale.ROOT, "Hessian eigenvalues of run %d: loss %.3g, "
                            + "|∇L| %.1e, minimal ratio %.3f (%d negative, %d ≈ 0, %d positive)", shown.index(),
                    shown.loss(), shown.gradientNorm(), shown.minimalRatio(), shown.negative(), shown.nearZero(),
                    shown.positive())).xLabel("eigenvalue").yLabel("count (of " + shown.eigenvalues().length + ")")
                    .add(Series.line("eigenvalues per bin", x, y));
        }
        out.writeCsv("eigenvalue-histogram.csv", table);
        save(out, histogram.build(), "eigenvalues");
    }

    private static double[] ratios(List<MinimalRatioExperiment.Run> runs) {
        return runs.stream().mapToDouble(MinimalRatioExperiment.Run::minimalRatio).toArray();
    }

    private static double[] losses(List<MinimalRatioExperiment.Run> runs) {
        return runs.stream().mapToDouble(MinimalRatioExperiment.Run::loss).toArray();
    }

    private static void save(OutputWriter dir, Chart chart, String baseName) throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName)) {
            dir.record(p);
        }
    }
}
