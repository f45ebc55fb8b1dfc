package io.github.losslab.plotting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A function of two variables sampled on a grid, such as a loss surface around a trained model: a filled colour
 * map on the perceptually uniform, colour-blind-safe viridis scale with a colour bar that states the value, iso-lines
 * at chosen levels (computed by marching squares and labelled with their level, to three significant digits and in
 * the colour bar's style and units: 125,000 beside a bar labelled 140,000; 1.25 beside a bar in units of ×10⁻⁵), and
 * optionally paths drawn on top (a training trajectory, points with markers joined by a line) and a marked centre
 * (the trained model).
 *
 * <p>Build one with {@link #builder(String)}. The colour map is interpolated bilinearly between grid points, on the
 * logarithm of the values with {@link Builder#logScale(boolean)} (where values at or below zero, and NaN anywhere,
 * are drawn in light grey). The colour scale spans the drawable values.
 */
public final class ContourChart extends AxesChart implements Chart {

    /** Iso-lines chosen automatically: at most this many. */
    static final int MAX_AUTO_LEVELS = 14;

    private final String valueLabel;
    private final double[] xs;
    private final double[] ys;
    private final double[][] values;
    private final boolean logScale;
    private final double[] levels;
    private final List<Series> paths;
    private final double[] centre;
    private final String centreLabel;
    private final double colourMin;
    private final double colourMax;

    private ContourChart(Builder b, double colourMin, double colourMax, double[] levels) {
        super(b);
        this.valueLabel = b.valueLabel;
        this.xs = b.xs;
        this.ys = b.ys;
        this.values = b.values;
        this.logScale = b.logScale;
        this.levels = levels;
        this.paths = List.copyOf(b.paths);
        this.centre = b.centre;
        this.centreLabel = b.centreLabel;
        this.colourMin = colourMin;
        this.colourMax = colourMax;
    }

    /** Starts a chart with the given title (blank for none). */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The label of the colour bar: what the colours mean, with its unit. */
    public String valueLabel() {
        return valueLabel;
    }

    /** The grid's x coordinates, increasing (a copy). */
    public double[] xs() {
        return xs.clone();
    }

    /** The grid's y coordinates, increasing (a copy). */
    public double[] ys() {
        return ys.clone();
    }

    /** The value at {@code (xs[i], ys[j])}. */
    public double value(int i, int j) {
        return values[j][i];
    }

    /** Whether colours and automatic levels follow the logarithm of the values. */
    public boolean logScale() {
        return logScale;
    }

    /** The levels of the iso-lines, increasing (a copy): those given, or those chosen automatically. */
    public double[] levels() {
        return levels.clone();
    }

    /** The value at the bottom of the colour bar. */
    public double colourMin() {
        return colourMin;
    }

    /** The value at the top of the colour bar. */
    public double colourMax() {
        return colourMax;
    }

    /** The paths drawn over the map, in order. */
    public List<Series> paths() {
        return paths;
    }

    /** Whether a centre is marked. */
    public boolean hasCentre() {
        return centre != null;
    }

    /** The marked centre {@code [x, y]} (a copy); empty when there is none. */
    public double[] centre() {
        return centre == null ? new double[0] : centre.clone();
    }

    /** The legend entry of the centre; empty when there is none. */
    public String centreLabel() {
        return centreLabel;
    }

    /** The iso-lines at one level. */
    List<MarchingSquares.Polyline> isolines(double level) {
        return MarchingSquares.isolines(xs, ys, transformed(), transform(level));
    }

    /** The values as the colour scale sees them: their logarithm on a log scale, NaN where not drawable. */
    double[][] transformed() {
        double[][] t = new double[values.length][];
        for (int j = 0; j < values.length; j++) {
            t[j] = new double[values[j].length];
            for (int i = 0; i < values[j].length; i++) {
                t[j][i] = transform(values[j][i]);
            }
        }
        return t;
    }

    /** A value on the colour scale's axis: its logarithm on a log scale; NaN when it cannot be drawn. */
    double transform(double v) {
        if (!Double.isFinite(v) || logScale && v <= 0) {
            return Double.NaN;
        }
        return logScale ? Math.log10(v) : v;
    }

    /** Where a transformed value sits on the colour scale, 0 at the bottom and 1 at the top. */
    double colourFraction(double transformed) {
        double lo = transform(colourMin);
        double hi = transform(colourMax);
        return hi == lo ? 0.5 : (transformed - lo) / (hi - lo);
    }

    @Override
    public String toString() {
        return "ContourChart[title=" + title() + ", grid=" + xs.length + "x" + ys.length + ", levels="
                + levels.length + ", paths=" + paths.size() + "]";
    }

    /** Collects the parts of a {@link ContourChart}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder extends AxesChartBuilder<Builder> {

        private String valueLabel = "";
        private double[] xs;
        private double[] ys;
        private double[][] values;
        private boolean logScale;
        private double[] levels;
        private final List<Series> paths = new ArrayList<>();
        private double[] centre;
        private String centreLabel = "";

        private Builder(String title) {
            super(title);
        }

        /** The colour bar's label: what the colours mean, with its unit. */
        public Builder valueLabel(String label) {
            this.valueLabel = Objects.requireNonNull(label, "valueLabel");
            return this;
        }

        /**
         * The sampled function: {@code values[j][i]} is the value at {@code (xs[i], ys[j])}. The arrays are
         * copied.
         */
        public Builder grid(double[] xs, double[] ys, double[][] values) {
            this.xs = Objects.requireNonNull(xs, "xs").clone();
            this.ys = Objects.requireNonNull(ys, "ys").clone();
            Objects.requireNonNull(values, "values");
            this.values = new double[values.length][];
            for (int j = 0; j < values.length; j++) {
                this.values[j] = Objects.requireNonNull(values[j], () -> "row of values").clone();
            }
            return this;
        }

        /** Colours and automatic levels follow the logarithm of the values (base 10, decade ticks). */
        public Builder logScale(boolean log) {
            this.logScale = log;
            return this;
        }

        /** The levels of the iso-lines; without this call they are chosen from the values' range. */
        public Builder levels(double... values) {
            this.levels = Objects.requireNonNull(values, "levels").clone();
            return this;
        }

        /** A path drawn over the map as markers joined by a line, in its order; its name is its legend entry. */
        public Builder path(Series path) {
            paths.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        /** Marks the point {@code (x, y)}, for example the trained model at the centre of a loss surface. */
        public Builder centre(double x, double y, String label) {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("the centre must be finite, was (" + x + ", " + y + ")");
            }
            this.centre = new double[] {x, y};
            this.centreLabel = Objects.requireNonNull(label, "centre label");
            return this;
        }

        /**
         * Builds the chart.
         *
         * @throws IllegalArgumentException if the grid is missing, smaller than 2 x 2, not increasing, or has
         *     rows of the wrong length; if no value can be drawn; if a level cannot be drawn; or if two paths
         *     share a name
         */
        public ContourChart build() {
            if (xs == null) {
                throw new IllegalArgumentException("contour chart '" + title + "' has no grid; call grid(xs, ys,"
                        + " values) before build()");
            }
            requireIncreasing("x", xs);
            requireIncreasing("y", ys);
            if (values.length != ys.length) {
                throw new IllegalArgumentException("contour chart '" + title + "' needs one row of values per y ("
                        + ys.length + "), had " + values.length);
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < values.length; j++) {
                if (values[j].length != xs.length) {
                    throw new IllegalArgumentException("contour chart '" + title + "': row " + j + " has "
                            + values[j].length + " values, expected one per x (" + xs.length + ")");
                }
                for (double v : values[j]) {
                    if (Double.isFinite(v) && (!logScale || v > 0)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            if (min > max) {
                throw new IllegalArgumentException("contour chart '" + title + "' has no value that can be drawn"
                        + (logScale ? " on a log scale (finite and > 0)" : " (finite)"));
            }
            double[] range = logScale && max > min ? new double[] {min, max}
                    : logScale ? new double[] {min / 2, max * 2} : linearRange(min, max);
            double[] chosen;
            if (levels != null) {
                chosen = levels.clone();
                Arrays.sort(chosen);
                for (double level : chosen) {
                    if (!Double.isFinite(level) || logScale && level <= 0) {
                        throw new IllegalArgumentException("contour chart '" + title + "': level " + level
                                + " cannot be drawn" + (logScale ? " on a log scale (levels must be > 0)" : ""));
                    }
                }
            } else {
                chosen = logScale ? logLevels(min, max) : linearLevels(min, max);
            }
            if (paths.size() > 1 || centre != null) {
                List<Series> named = new ArrayList<>(paths);
                if (centre != null) {
                    named.add(Series.points(centreLabel.isBlank() ? "centre" : centreLabel, centre, centre));
                }
                SeriesNames.requireUnique("contour chart", title, named);
            }
            return new ContourChart(this, range[0], range[1], chosen);
        }

        private void requireIncreasing(String axis, double[] grid) {
            if (grid.length < 2) {
                throw new IllegalArgumentException("contour chart '" + title + "' needs at least 2 grid "
                        + axis + " values, had " + grid.length);
            }
            for (int i = 0; i < grid.length; i++) {
                if (!Double.isFinite(grid[i]) || i > 0 && !(grid[i] > grid[i - 1])) {
                    throw new IllegalArgumentException("contour chart '" + title + "': grid " + axis
                            + " values must be finite and increasing, were " + Arrays.toString(grid));
                }
            }
        }
    }

    /** The data range, or a range around a constant value. */
    private static double[] linearRange(double min, double max) {
        if (max > min) {
            return new double[] {min, max};
        }
        double half = min == 0 ? 1 : 0.1 * Math.abs(min);
        return new double[] {min - half, max + half};
    }

    /** Round levels strictly inside (min, max), a 1-2-5 step chosen for about ten of them. */
    static double[] linearLevels(double min, double max) {
        if (!(max > min)) {
            return new double[0];
        }
        double raw = (max - min) / 10;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.floor(min / step) + 1; k * step < max; k++) {
            double level = round(k * step);
            if (level > min && level < max) {
                out.add(level);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code v} to 12 significant digits, so that 3 x 0.1 is 0.3. */
    private static double round(double v) {
        return v == 0 ? 0 : new BigDecimal(v).round(new MathContext(12)).doubleValue();
    }

    /**
     * Levels strictly inside (min, max) at round multiples of each decade: the densest of 1, 1.5, 2, 3, 4, 5 and 7;
     * 1, 2, 3, 5 and 7; 1, 2 and 5; 1 and 3; or 1 times a power of ten that gives at most
     * {@value #MAX_AUTO_LEVELS} levels.
     */
    static double[] logLevels(double min, double max) {
        double[][] multiples = {{1, 1.5, 2, 3, 4, 5, 7}, {1, 2, 3, 5, 7}, {1, 2, 5}, {1, 3}, {1}};
        double[] last = new double[0];
        for (double[] m : multiples) {
            List<Double> out = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
                double decade = Math.pow(10, e);
                for (double f : m) {
                    double level = round(f * decade);
                    if (level > min && level < max) {
                        out.add(level);
                    }
                }
            }
            last = out.stream().mapToDouble(Double::doubleValue).toArray();
            if (last.length <= MAX_AUTO_LEVELS) {
                return last;
            }
        }
        return last;
    }
}
