package io.github.losslab.plotting;

import java.util.List;

/**
 * What {@link LineChart} and {@link ScatterChart} hold beyond the title and axis labels: log axes and the series on
 * the y axis (the left one, when a line chart has a second), as their {@link XYChartBuilder} had them. Each chart
 * says in its own {@code series()} which axis its series are on.
 */
abstract class XYChart extends AxesChart {

    private final boolean logX;
    private final boolean logY;
    /** The series on the y axis (the left one, when there is a second), in the order they were added. */
    final List<Series> series;

    XYChart(XYChartBuilder<?> b) {
        super(b);
        this.logX = b.logX;
        this.logY = b.logY;
        this.series = List.copyOf(b.series);
    }

    /** Whether the x axis is logarithmic. */
    public boolean logX() {
        return logX;
    }

    /** Whether the y axis (the left one, when there is a second) is logarithmic. */
    public boolean logY() {
        return logY;
    }
}
