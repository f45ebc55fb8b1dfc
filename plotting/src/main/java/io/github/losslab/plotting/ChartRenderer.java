package io.github.losslab.plotting;

import java.awt.Paint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.LegendItemSource;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.data.xy.XYSeriesCollection;

/** Turns the package's chart descriptions into themed JFreeChart objects. */
final class ChartRenderer {

    private static final double X_MARGIN = 0.02;
    private static final double Y_MARGIN = 0.05;
    private static final double LABEL_MARGIN = 0.08;
    private static final double PANEL_GAP = 18;

    private ChartRenderer() {
    }

    /** A new JFreeChart for {@code chart}, with the theme applied. */
    static JFreeChart toJFreeChart(Chart chart) {
        Colours colours = new Colours();
        XYPlot plot;
        if (chart instanceof LineChart line) {
            ValueAxis x = domainAxis(line.xLabel(), line.logX(), X_MARGIN,
                    Extent.ofX(allSeries(line), line.logX()));
            plot = linePlot(line, x, colours);
        } else if (chart instanceof ScatterChart scatter) {
            plot = scatterPlot(scatter, colours);
        } else if (chart instanceof PanelChart panels) {
            plot = panelPlot(panels, colours);
        } else if (chart instanceof ContourChart contour) {
            plot = ContourRenderer.plot(contour);
        } else {
            throw new IllegalArgumentException("cannot render " + chart);
        }
        JFreeChart result = new JFreeChart(chart.title().isBlank() ? null : chart.title(), Theme.TITLE_FONT,
                plot, false);
        LegendItemSource legend = () -> distinctByLabel(plot.getLegendItems());
        int minimum = chart instanceof ContourChart ? 1 : 2;
        if (legend.getLegendItems().getItemCount() >= minimum) {
            result.addLegend(new LegendTitle(legend));
        }
        Theme.apply(result);
        return result;
    }

    private static XYPlot linePlot(LineChart chart, ValueAxis domain, Colours colours) {
        ValueAxis range = axis(chart.yLabel(), chart.logY(), Y_MARGIN,
                Extent.ofY(chart.series(), chart.logX(), chart.logY()));
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(domain);
        plot.setRangeAxis(range);
        addLayer(plot, 0, chart.series(), null, chart.logX(), chart.logY(), colours);
        if (chart.hasSecondaryAxis()) {
            ValueAxis secondary = axis(chart.secondaryYLabel(), chart.logSecondaryY(), Y_MARGIN,
                    Extent.ofY(chart.secondarySeries(), chart.logX(), chart.logSecondaryY()));
            secondary.setLabelAngle(Math.PI);
            if (chart.secondaryYFromZero() && secondary instanceof LinearAxis linear) {
                linear.setAutoRangeIncludesZero(true);
            }
            plot.setRangeAxis(1, secondary);
            plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
            addLayer(plot, 1, chart.secondarySeries(), null, chart.logX(), chart.logSecondaryY(), colours);
            plot.mapDatasetToRangeAxis(1, 1);
        }
        return finishPlot(plot);
    }

    private static XYPlot scatterPlot(ScatterChart chart, Colours colours) {
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(domainAxis(chart.xLabel(), chart.logX(), LABEL_MARGIN,
                Extent.ofX(chart.series(), chart.logX())));
        plot.setRangeAxis(axis(chart.yLabel(), chart.logY(), LABEL_MARGIN,
                Extent.ofY(chart.series(), chart.logX(), chart.logY())));
        List<List<String>> labels = new ArrayList<>();
        for (int i = 0; i < chart.series().size(); i++) {
            labels.add(chart.labels(i));
        }
        addLayer(plot, 0, chart.series(), labels, chart.logX(), chart.logY(), colours);
        return finishPlot(plot);
    }

    private static XYPlot panelPlot(PanelChart chart, Colours colours) {
        List<Series> all = new ArrayList<>();
        for (LineChart panel : chart.panels()) {
            all.addAll(allSeries(panel));
        }
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(
                domainAxis(chart.xLabel(), chart.logX(), X_MARGIN, Extent.ofX(all, chart.logX())));
        combined.setGap(PANEL_GAP);
        for (LineChart panel : chart.panels()) {
            XYPlot sub = linePlot(panel, null, colours);
            combined.add(sub, 1);
        }
        return combined;
    }

    private static XYPlot finishPlot(XYPlot plot) {
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        return plot;
    }

    private static ValueAxis axis(String label, boolean log, double margin, Extent extent) {
        return margins(log ? new DecadeLogAxis(label) : new LinearAxis(label, extent.min(), extent.max()), margin);
    }

    /** A horizontal axis: on a log scale, fitted to the data rather than widened to whole decades. */
    private static ValueAxis domainAxis(String label, boolean log, double margin, Extent extent) {
        return log ? margins(DecadeLogAxis.fitted(label), margin) : axis(label, false, margin, extent);
    }

    private static ValueAxis margins(ValueAxis axis, double margin) {
        axis.setLowerMargin(margin);
        axis.setUpperMargin(margin);
        return axis;
    }

    /**
     * Adds one dataset with its renderer: reference series first, so that they lie beneath the coloured
     * ones, then the others in order; points that the axes cannot show are left out, with their labels.
     */
    private static void addLayer(XYPlot plot, int index, List<Series> series, List<List<String>> labels,
            boolean logX, boolean logY, Colours colours) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).style() == SeriesStyle.REFERENCE) {
                order.add(i);
            }
        }
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).style() != SeriesStyle.REFERENCE) {
                order.add(i);
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new PointLabelRenderer();
        renderer.setDrawSeriesLineAsPath(true);
        renderer.setAutoPopulateSeriesPaint(false);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setAutoPopulateSeriesShape(false);
        renderer.setLegendLine(Theme.LEGEND_LINE);
        renderer.setUseFillPaint(false);
        renderer.setDefaultItemLabelFont(Theme.POINT_LABEL_FONT);
        renderer.setDefaultItemLabelPaint(Theme.TEXT);

        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            Series s = series.get(i);
            List<String> pointLabels = labels == null ? List.of() : labels.get(i);
            XYSeries xy = new XYSeries(s.name(), false, true);
            List<String> kept = new ArrayList<>();
            for (int p = 0; p < s.size(); p++) {
                double x = s.xAt(p);
                double y = s.yAt(p);
                if (drawable(x, logX) && drawable(y, logY)) {
                    xy.add(x, y, false);
                    if (!pointLabels.isEmpty()) {
                        kept.add(pointLabels.get(p));
                    }
                }
            }
            dataset.addSeries(xy);
            SeriesStyle style = s.style();
            int colour = style == SeriesStyle.REFERENCE ? 0 : colours.indexOf(s.colourKey());
            renderer.setSeriesPaint(k, Theme.paint(style, colour));
            renderer.setSeriesStroke(k, Theme.stroke(style, colour));
            renderer.setSeriesShape(k, Theme.marker(colour));
            renderer.setSeriesLinesVisible(k, style != SeriesStyle.POINTS);
            boolean markers = style == SeriesStyle.POINTS || style == SeriesStyle.LINE_AND_POINTS;
            renderer.setSeriesShapesVisible(k, markers);
            renderer.setSeriesShapesFilled(k, true);
            if (!kept.isEmpty()) {
                renderer.setSeriesItemLabelGenerator(k, (data, row, item) -> {
                    String text = kept.get(item);
                    return text == null ? "" : text;
                });
                renderer.setSeriesItemLabelsVisible(k, true);
            }
        }
        plot.setDataset(index, dataset);
        plot.setRenderer(index, renderer);
        addBands(plot, index, series, logX, logY, colours);
    }

    /** Dataset index of the bands of the layer at index {@code i}: drawn after the lines, translucent. */
    static final int BAND_LAYER = 100;

    /** The shaded bands of the layer's series that have one, in their series' colours, not in the legend. */
    private static void addBands(XYPlot plot, int index, List<Series> series, boolean logX, boolean logY,
            Colours colours) {
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(false, false);
        renderer.setAlpha(Theme.BAND_ALPHA);
        renderer.setDefaultSeriesVisibleInLegend(false);
        int k = 0;
        for (Series s : series) {
            if (!s.hasBand()) {
                continue;
            }
            YIntervalSeries band = new YIntervalSeries(s.name() + " (band)", false, true);
            for (int p = 0; p < s.size(); p++) {
                double x = s.xAt(p);
                double lo = s.lowAt(p);
                double hi = s.highAt(p);
                if (drawable(x, logX) && drawable(lo, logY) && drawable(hi, logY)) {
                    band.add(x, s.yAt(p), lo, hi);
                }
            }
            bands.addSeries(band);
            Paint paint = Theme.paint(s.style(), colours.indexOf(s.colourKey()));
            renderer.setSeriesPaint(k, paint);
            renderer.setSeriesFillPaint(k, paint);
            k++;
        }
        if (k > 0) {
            plot.setDataset(BAND_LAYER + index, bands);
            plot.setRenderer(BAND_LAYER + index, renderer);
            plot.mapDatasetToRangeAxis(BAND_LAYER + index, index);
        }
    }

    private static List<Series> allSeries(LineChart chart) {
        List<Series> all = new ArrayList<>(chart.series());
        all.addAll(chart.secondarySeries());
        return all;
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** The legend with each label once, as the first series of that name draws it. */
    private static LegendItemCollection distinctByLabel(LegendItemCollection items) {
        LegendItemCollection result = new LegendItemCollection();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.getItemCount(); i++) {
            LegendItem item = items.get(i);
            if (seen.add(item.getLabel())) {
                result.add(item);
            }
        }
        return result;
    }

    /** The smallest and largest drawable coordinate along one axis; NaN for both when nothing is drawn. */
    private record Extent(double min, double max) {

        static Extent ofX(List<Series> series, boolean logX) {
            return of(series, true, logX, false);
        }

        static Extent ofY(List<Series> series, boolean logX, boolean logY) {
            return of(series, false, logX, logY);
        }

        private static Extent of(List<Series> series, boolean alongX, boolean logX, boolean logY) {
            double min = Double.NaN;
            double max = Double.NaN;
            for (Series s : series) {
                for (int i = 0; i < s.size(); i++) {
                    if (drawable(s.xAt(i), logX) && drawable(s.yAt(i), logY)) {
                        double v = alongX ? s.xAt(i) : s.yAt(i);
                        min = Double.isNaN(min) ? v : Math.min(min, v);
                        max = Double.isNaN(max) ? v : Math.max(max, v);
                        if (!alongX && drawable(s.lowAt(i), logY) && drawable(s.highAt(i), logY)) {
                            min = Math.min(min, s.lowAt(i));
                            max = Math.max(max, s.highAt(i));
                        }
                    }
                }
            }
            return new Extent(min, max);
        }
    }

    /** Gives each series name the next palette colour the first time it appears, and the same one after. */
    private static final class Colours {
        private final Map<String, Integer> byName = new LinkedHashMap<>();

        int indexOf(String name) {
            return byName.computeIfAbsent(name, n -> byName.size());
        }
    }
}
