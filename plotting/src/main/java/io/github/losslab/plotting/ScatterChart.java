package io.github.losslab.plotting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
public final class ScatterChart extends XYChart implements Chart {

    private final List<List<String>> labels;

    private ScatterChart(Builder b) {
        super(b);
        this.labels = List.copyOf(b.labelsPerSeries());
    }

    /** Starts a chart with the given title (blank for none). */
    public static Builder builder(String title) {
        return new Builder(title);
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
        return "ScatterChart[title=" + title() + ", series=" + series.size() + "]";
    }

    /** Collects the parts of a {@link ScatterChart}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder extends XYChartBuilder<Builder> {

        /** The point labels of the series added with them, by the series' index. */
        private final Map<Integer, List<String>> labels = new HashMap<>();

        private Builder(String title) {
            super(title);
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
            this.labels.put(series.size(), Collections.unmodifiableList(Arrays.asList(labels.clone())));
            return add(s);
        }

        /**
         * Builds the chart.
         *
         * @throws IllegalArgumentException if no series was added, or two series share a name
         */
        public ScatterChart build() {
            checkSeries("scatter chart", "add(Series) or addLabelled(...)", series);
            return new ScatterChart(this);
        }

        /** The point labels of every series, in the order of the series; empty for a series without. */
        private List<List<String>> labelsPerSeries() {
            List<List<String>> all = new ArrayList<>();
            for (int i = 0; i < series.size(); i++) {
                all.add(labels.getOrDefault(i, List.of()));
            }
            return all;
        }
    }
}
