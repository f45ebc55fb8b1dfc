package io.github.losslab.plotting;

import java.util.Objects;

/**
 * What the builders of every chart with one x and one y axis share: the title and the axis labels. Every setter
 * returns the concrete builder {@code B}, so the calls chain in any order. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
abstract class AxesChartBuilder<B extends AxesChartBuilder<B>> {

    final String title;
    String xLabel = "";
    String yLabel = "";

    AxesChartBuilder(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** The x-axis label, with its unit. */
    public B xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label, "xLabel");
        return self();
    }

    /** The y-axis label (of the left axis, when there is a second), with its unit. */
    public B yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label, "yLabel");
        return self();
    }
}
