package io.github.losslab.plotting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Markers in the plane, optionally with a short text beside each point: a PCA projection of the weights
 * along training with the epoch beside each point, or a scatter of minimal ratios against sharpness.
 *
 * <p>Build one with {@link #builder(String)}. Series added with {@link Builder#add(Series)} keep their
 * style, so {@link Series#lineAndPoints} draws a trajectory joined in order. Log axes, skipped points and
 * colours work as in {@link LineChart}: on a log axis, points whose value is zero or negative are skipped
 * (with their labels), as are points with a NaN or infinite coordinate.
 */
public final class ScatterChart implements Chart {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series;
    private final List<List<String>> labels;

    private ScatterChart(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.logX = b.logX;
        this.logY = b.logY;
        this.series = List.copyOf(b.series);
        this.labels = List.copyOf(b.labels);
    }

    /** Starts a chart with the given title (blank for none). */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    @Override
    public String title() {
        return title;
    }

    /** The x-axis label, with its unit. */
    public String xLabel() {
        return xLabel;
    }

    /** The y-axis label, with its unit. */
    public String yLabel() {
        return yLabel;
    }

    /** Whether the x axis is logarithmic. */
    public boolean logX() {
        return logX;
    }

    /** Whether the y axis is logarithmic. */
    public boolean logY() {
        return logY;
    }

    /** The series in the order they were added; never empty. */
    public List<Series> series() {
        return series;
    }

    /**
     * The point labels of series {@code index}: one entry per point, {@code null} where a point has no
     * label; an empty list when the series was added without labels.
     */
    public List<String> labels(int index) {
        return labels.get(Objects.checkIndex(index, labels.size()));
    }

    @Override
    public String toString() {
        return "ScatterChart[title=" + title + ", series=" + series.size() + "]";
    }

    /** Collects the parts of a {@link ScatterChart}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {

        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private final List<Series> series = new ArrayList<>();
        private final List<List<String>> labels = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** The x-axis label, with its unit. */
        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        /** The y-axis label, with its unit. */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /** Draws the x axis in base 10 with decade ticks; points with x at or below zero are skipped. */
        public Builder logX(boolean log) {
            this.logX = log;
            return this;
        }

        /** Draws the y axis in base 10 with decade ticks; points with y at or below zero are skipped. */
        public Builder logY(boolean log) {
            this.logY = log;
            return this;
        }

        /** Adds a series without point labels, drawn in its own style. */
        public Builder add(Series s) {
            series.add(Objects.requireNonNull(s, "series"));
            labels.add(List.of());
            return this;
        }

        /**
         * Adds markers with a text beside each point.
         *
         * @param labels one per point; a {@code null} entry leaves that point unlabelled
         * @throws IllegalArgumentException if the arrays differ in length
         */
        public Builder addLabelled(String name, double[] x, double[] y, String[] labels) {
            return addLabelled(Series.points(name, x, y), labels);
        }

        /**
         * Adds a series, drawn in its own style, with a text beside each point.
         *
         * @param labels one per point; a {@code null} entry leaves that point unlabelled
         * @throws IllegalArgumentException if there are not as many labels as points
         */
        public Builder addLabelled(Series s, String[] labels) {
            Objects.requireNonNull(s, "series");
            Objects.requireNonNull(labels, () -> "labels of series '" + s.name() + "'");
            if (labels.length != s.size()) {
                throw new IllegalArgumentException("series '" + s.name() + "' needs one label per point, had "
                        + s.size() + " points and " + labels.length + " labels (use null for no label)");
            }
            series.add(s);
            this.labels.add(Collections.unmodifiableList(Arrays.asList(labels.clone())));
            return this;
        }

        /**
         * Builds the chart.
         *
         * @throws IllegalArgumentException if no series was added, or two series share a name
         */
        public ScatterChart build() {
            if (series.isEmpty()) {
                throw new IllegalArgumentException("scatter chart '" + title
                        + "' has no series; add at least one with add(Series) or addLabelled(...) before build()");
            }
            SeriesNames.requireUnique("scatter chart", title, series);
            return new ScatterChart(this);
        }
    }
}
