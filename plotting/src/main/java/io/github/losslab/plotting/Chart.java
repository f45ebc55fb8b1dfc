package io.github.losslab.plotting;

/**
 * A figure that {@link Figures} can render: a {@link LineChart}, a {@link ScatterChart}, a {@link
 * PanelChart} or a {@link ContourChart}. Every chart is immutable and holds only its own values, so it can be
 * built in one place and written in another.
 */
public sealed interface Chart permits LineChart, ScatterChart, PanelChart, ContourChart {

    /** The title drawn above the figure; blank for none. */
    String title();
}
