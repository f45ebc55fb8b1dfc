package io.github.losslab.plotting;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the builders of {@link LineChart} and {@link ScatterChart} share beyond the title and the axis labels of
 * {@link AxesChartBuilder}: log axes and the series on the y axis (the left one, when a line chart has a second).
 * Every setter returns the concrete builder {@code B}, so the calls chain in any order. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
abstract class XYChartBuilder<B extends XYChartBuilder<B>> extends AxesChartBuilder<B> {

    boolean logX;
    boolean logY;
    final List<Series> series = new ArrayList<>();

    XYChartBuilder(String title) {
        super(title);
    }

    /** Draws the x axis in base 10 with decade ticks; points with x at or below zero are skipped. */
    public B logX(boolean log) {
        this.logX = log;
        return self();
    }

    /**
     * Draws the y axis (the left one, when there is a second) in base 10 with decade ticks; points with y at or
     * below zero are skipped.
     */
    public B logY(boolean log) {
        this.logY = log;
        return self();
    }

    /** Adds a series, drawn in its own style (on the left y axis, when there is a second). */
    public B add(Series s) {
        series.add(Objects.requireNonNull(s, "series"));
        return self();
    }

    /** Adds every series, in order, as {@link #add(Series)} does. */
    public B addAll(Iterable<Series> all) {
        for (Series s : all) {
            add(s);
        }
        return self();
    }

    /**
     * Checks what {@code build()} needs: at least one series added with {@link #add(Series)} or its like, and no two
     * series of one name among {@code all}.
     *
     * @param kind   the chart, for messages, for example {@code line chart}
     * @param adders the methods that add a series, for the message, for example {@code add(Series)}
     * @param all    every series of the chart, on either axis
     * @throws IllegalArgumentException if there is no series, or two share a name
     */
    void checkSeries(String kind, String adders, List<Series> all) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException(kind + " '" + title + "' has no series; add at least one with "
                    + adders + " before build()");
        }
        SeriesNames.requireUnique(kind, title, all);
    }
}
