package io.github.losslab.plotting;

/**
 * What every chart with one x and one y axis holds: the title and the axis labels, as its {@link AxesChartBuilder}
 * had them.
 */
abstract class AxesChart {

    private final String title;
    private final String xLabel;
    private final String yLabel;

    AxesChart(AxesChartBuilder<?> b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
    }

    /** The title drawn above the figure; blank for none. */
    public String title() {
        return title;
    }

    /** The x-axis label, with its unit. */
    public String xLabel() {
        return xLabel;
    }

    /** The y-axis label (of the left axis, when there is a second), with its unit. */
    public String yLabel() {
        return yLabel;
    }
}
