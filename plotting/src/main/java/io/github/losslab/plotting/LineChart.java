package io.github.losslab.plotting;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lines (or markers) against a numeric x axis, such as a loss over training steps, optionally with a second
 * y axis on the right for series of another unit (a learning rate beside a loss).
 *
 * <p>Build one with {@link #builder(String)}. Axis labels are drawn as given, so include the unit:
 * {@code "step"}, {@code "loss (cross-entropy, nats)"}. Each series takes the next colour of the theme's
 * palette, except {@link SeriesStyle#REFERENCE} series, which are grey and drawn beneath the others.
 *
 * <p>Log axes: with {@link Builder#logX(boolean)}, {@link Builder#logY(boolean)} or {@link
 * Builder#logSecondaryY(boolean)} an axis is drawn in base 10 with ticks at whole decades, labelled 10⁻¹,
 * 10⁰, 10¹. Points whose value on a log axis is zero or negative cannot be drawn and are skipped, as are
 * points with a NaN or infinite coordinate on any axis; a series left with no points draws nothing and
 * does not fail.
 */
public final class LineChart extends XYChart implements Chart {

    private final String secondaryYLabel;
    private final boolean logSecondaryY;
    private final boolean secondaryYFromZero;
    private final List<Series> secondarySeries;

    private LineChart(Builder b) {
        super(b);
        this.secondaryYLabel = b.secondaryYLabel;
        this.logSecondaryY = b.logSecondaryY;
        this.secondaryYFromZero = b.secondaryYFromZero;
        this.secondarySeries = List.copyOf(b.secondarySeries);
    }

    /** Starts a chart with the given title (blank for none). */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The series on the left y axis, in the order they were added; never empty. */
    public List<Series> series() {
        return series;
    }

    /** Whether the chart has a second y axis on the right, that is, any secondary series. */
    public boolean hasSecondaryAxis() {
        return !secondarySeries.isEmpty();
    }

    /** The label of the right y axis; empty when none was given. */
    public String secondaryYLabel() {
        return secondaryYLabel;
    }

    /** Whether the right y axis is logarithmic. */
    public boolean logSecondaryY() {
        return logSecondaryY;
    }

    /** Whether the linear right y axis reaches down (or up) to zero. */
    public boolean secondaryYFromZero() {
        return secondaryYFromZero;
    }

    /** The series on the right y axis, in the order they were added; empty when there is no such axis. */
    public List<Series> secondarySeries() {
        return secondarySeries;
    }

    @Override
    public String toString() {
        return "LineChart[title=" + title() + ", series=" + series.size() + ", secondarySeries="
                + secondarySeries.size() + "]";
    }

    /** Collects the parts of a {@link LineChart}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder extends XYChartBuilder<Builder> {

        private String secondaryYLabel = "";
        private boolean logSecondaryY;
        private boolean secondaryYFromZero;
        private final List<Series> secondarySeries = new ArrayList<>();

        private Builder(String title) {
            super(title);
        }

        /** The label of the right y axis, with its unit; used once a secondary series is added. */
        public Builder secondaryYLabel(String label) {
            this.secondaryYLabel = Objects.requireNonNull(label, "secondaryYLabel");
            return this;
        }

        /**
         * Draws the right y axis in base 10 with decade ticks; secondary points with y at or below zero are
         * skipped.
         */
        public Builder logSecondaryY(boolean log) {
            this.logSecondaryY = log;
            return this;
        }

        /**
         * Makes a linear right y axis include zero, for quantities measured from zero (a norm, a relative
         * increase) whose changes would otherwise be magnified to fill the axis; a log axis ignores it.
         */
        public Builder secondaryYFromZero(boolean fromZero) {
            this.secondaryYFromZero = fromZero;
            return this;
        }

        /** Adds a series on the right y axis, which appears once it has a series. */
        public Builder addSecondary(Series s) {
            secondarySeries.add(Objects.requireNonNull(s, "secondary series"));
            return this;
        }

        /**
         * Builds the chart.
         *
         * @throws IllegalArgumentException if no series was added on the left axis, or two series share a
         *     name
         */
        public LineChart build() {
            List<Series> all = new ArrayList<>(series);
            all.addAll(secondarySeries);
            checkSeries("line chart", "add(Series)", all);
            return new LineChart(this);
        }
    }
}
