package io.github.losslab.app.experiment.minimalratio;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment.Found;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment.Point;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The figures of {@link MinimalRatioExperiment}: both minimal ratios against the loss at every critical point,
 * coloured by index (minima, saddles of index 1, 2, 3 and more, searches that did not converge); the statistic of
 * each seed with its mean and 95% interval against the threshold; and the eigenvalues of the lowest minimum and of
 * the saddle of highest index.
 */
final class MinimalRatioFigures {

    /** Critical points of this many different indices get a series each; higher indices share the last. */
    static final int SERIES_APART = 5;

    private MinimalRatioFigures() {
    }

    static void write(OutputWriter out, MinimalRatioExperiment.Settings settings, ModelSpec spec, List<Found> found,
                      double[] perSeed, Verdict verdict) throws IOException {
        String net = spec.parameterCount() + "-parameter " + settings.activation().configName() + " net fitting "
                + settings.function().label();
        save(out, ratios(settings, net, found), "minimal-ratio");
        save(out, correlations(perSeed, verdict), "rank-correlation");
        save(out, spectra(settings, found), "eigenvalues");
    }

    /** Both ratios against the loss, one series per index class, the robust ratio above. */
    private static PanelChart ratios(MinimalRatioExperiment.Settings settings, String net, List<Found> found) {
        List<String> names = new ArrayList<>();
        List<Predicate<Point>> classes = new ArrayList<>();
        int[] indices = found.stream().map(Found::point).filter(Point::critical).mapToInt(Point::negative)
                .distinct().sorted().toArray();
        for (int k = 0; k < indices.length && k < SERIES_APART; k++) {
            int index = indices[k];
            boolean last = k == SERIES_APART - 1 && indices.length > SERIES_APART;
            names.add(index == 0 ? "minimum (index 0)" : last ? "saddle, index ≥ " + index : "saddle, index " + index);
            classes.add(last ? p -> p.critical() && p.negative() >= index : p -> p.critical() && p.negative() == index);
        }
        names.add(String.format(Locale.ROOT, "not critical: |∇L| ≥ %.0e", settings.tolerance()));
        classes.add(p -> p.succeeded() && !p.converged());

        LineChart.Builder robust = LineChart.builder("").yLabel("robust ratio  pos / (pos + neg)").logX(true);
        LineChart.Builder assignment = LineChart.builder("").yLabel("minimal ratio  pos / all").logX(true);
        for (int c = 0; c < names.size(); c++) {
            Predicate<Point> in = classes.get(c);
            List<Point> points = found.stream().map(Found::point).filter(in).toList();
            if (points.isEmpty()) {
                continue;
            }
            String name = names.get(c) + " (" + points.size() + ")";
            robust.add(Series.points(name, values(points, Point::loss), values(points, Point::robustRatio)));
            assignment.add(Series.points(name, values(points, Point::loss), values(points, Point::minimalRatio)));
        }
        if (found.stream().noneMatch(x -> x.point().succeeded())) {
            robust.add(Series.points("every search failed", new double[0], new double[0]));
            assignment.add(Series.points("every search failed", new double[0], new double[0]));
        }
        String title = String.format(Locale.ROOT, "Critical points of a %s, searched after %s epochs "
                        + "(eigenvalues within %.0e·max|λ| count as zero)", net,
                settings.stages().toString().replaceAll("[\\[\\]]", ""), settings.zeroTolerance());
        return PanelChart.of(title, "training loss at the critical point (MSE); saddles recur at a few losses, so their markers "
                + "coincide: the legend counts them", List.of(robust.build(),
                assignment.build()));
    }

    /** The statistic of each seed, its mean with the 95% interval, and the threshold of the claim. */
    private static LineChart correlations(double[] perSeed, Verdict verdict) {
        double[] seeds = new double[perSeed.length];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i;
        }
        Verdict.Summary s = verdict.summary();
        double[] span = {-0.25, perSeed.length - 0.75};
        LineChart.Builder chart = LineChart.builder(String.format(Locale.ROOT, "Loss against robust minimal "
                        + "ratio: rank correlation per seed (%s)", verdict.outcome().label()))
                .xLabel("seed").yLabel("Spearman ρ(loss, robust ratio)")
                .add(Series.points("seed", seeds, perSeed));
        if (s.n() >= 2) {
            chart.add(Series.line(String.format(Locale.ROOT, "mean %.2f, band: 95%% CI", s.mean()), span,
                    new double[] {s.mean(), s.mean()}).withBand(new double[] {s.low(), s.low()},
                    new double[] {s.high(), s.high()}));
        }
        chart.add(Series.dashed(String.format(Locale.ROOT, "claimed below %.1f", verdict.threshold()), span,
                new double[] {verdict.threshold(), verdict.threshold()}));
        return chart.build();
    }

    /**
     * The spectra of the lowest minimum and of the saddle of highest index: the magnitude of every eigenvalue
     * beyond the zero threshold (log scale), largest first, negative ones apart, with each point's threshold.
     */
    private static LineChart spectra(MinimalRatioExperiment.Settings settings, List<Found> found) {
        List<Found> shown = shownSpectra(found);
        LineChart.Builder chart = LineChart.builder(String.format(Locale.ROOT, "Hessian spectra at the lowest "
                        + "minimum and at the saddle of highest index (zero: |λ| ≤ %.0e·max|λ|)",
                settings.zeroTolerance())).xLabel("eigenvalue, by magnitude (1 = largest)").yLabel("|λ|")
                .logY(true);
        if (shown.isEmpty()) {
            chart.add(Series.points("no critical point found", new double[0], new double[0]));
        }
        for (Found x : shown) {
            Point p = x.point();
            String what = String.format(Locale.ROOT, "%s at loss %.2g", p.negative() == 0 ? "minimum" : "saddle",
                    p.loss());
            double[] e = p.eigenvalues();
            double max = Math.max(Math.abs(p.minEigenvalue()), Math.abs(p.maxEigenvalue()));
            Integer[] order = new Integer[e.length];
            for (int i = 0; i < e.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -Math.abs(e[i])));
            double[] rank = new double[e.length];
            double[] positive = new double[e.length];
            double[] negative = new double[e.length];
            for (int r = 0; r < e.length; r++) {
                double v = e[order[r]];
                rank[r] = r + 1;
                positive[r] = v > 0 ? v : Double.NaN;
                negative[r] = v < 0 ? -v : Double.NaN;
            }
            chart.add(Series.points(what + ": λ > 0", rank, positive));
            if (p.negative() > 0 || java.util.Arrays.stream(negative).anyMatch(Double::isFinite)) {
                chart.add(Series.points(what + ": λ < 0 (|λ| shown)", rank, negative));
            }
            double threshold = settings.zeroTolerance() * max;
            chart.add(Series.dashed(what + ": zero threshold", new double[] {1, e.length},
                    new double[] {threshold, threshold}));
        }
        return chart.build();
    }

    /** The critical point of lowest loss among the minima and the saddle of highest index (highest loss first). */
    static List<Found> shownSpectra(List<Found> found) {
        List<Found> critical = found.stream().filter(x -> x.point().critical()).toList();
        List<Found> shown = new ArrayList<>();
        critical.stream().filter(x -> x.point().negative() == 0)
                .min(Comparator.comparingDouble(x -> x.point().loss())).ifPresent(shown::add);
        critical.stream().filter(x -> x.point().negative() > 0)
                .max(Comparator.comparingInt((Found x) -> x.point().negative())
                        .thenComparingDouble(x -> x.point().loss())).ifPresent(shown::add);
        return shown;
    }

    private static double[] values(List<Point> points, ToDoubleFunction<Point> f) {
        return points.stream().mapToDouble(f).toArray();
    }

    private static void save(OutputWriter dir, Chart chart, String baseName) throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName)) {
            dir.record(p);
        }
    }
}
