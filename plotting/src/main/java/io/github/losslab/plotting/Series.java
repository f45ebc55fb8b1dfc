package io.github.losslab.plotting;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named sequence of points, {@code (x[i], y[i])}, drawn in the given style.
 *
 * <p>The arrays are copied on the way in and on the way out, so a series never changes after it is made.
 * Points are drawn in their order (a line joins point {@code i} to point {@code i + 1}), so a trajectory
 * need not be sorted by x. Non-finite values are allowed here; a chart skips those points when it draws,
 * and on a log axis it also skips points whose value is zero or negative.
 *
 * @param name the legend entry; not blank, and unique within a chart
 * @param x the x coordinates
 * @param y the y coordinates, as many as {@code x}
 * @param style how the points are drawn
 * @param low   the lower edge of a shaded band around the line (the spread over seeds, say), as many values as
 *              {@code x}; null for no band
 * @param high  the band's upper edge; null exactly when {@code low} is
 * @param colourOf the name of the series whose colour this one takes (a threshold drawn dashed beside its curve);
 *                 null for a colour of its own
 */
public record Series(String name, double[] x, double[] y, SeriesStyle style, double[] low, double[] high,
                     String colourOf) {

    /** A series without a band. */
    public Series(String name, double[] x, double[] y, SeriesStyle style) {
        this(name, x, y, style, null, null, null);
    }

    /** A series with its own colour. */
    public Series(String name, double[] x, double[] y, SeriesStyle style, double[] low, double[] high) {
        this(name, x, y, style, low, high, null);
    }

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException if the name is blank or the arrays differ in length
     * @throws NullPointerException if any argument is null
     */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, () -> "x of series '" + name + "'");
        Objects.requireNonNull(y, () -> "y of series '" + name + "'");
        Objects.requireNonNull(style, () -> "style of series '" + name + "'");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name for the legend, was blank");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' needs as many x as y values, had "
                    + x.length + " x and " + y.length + " y values");
        }
        if ((low == null) != (high == null)) {
            throw new IllegalArgumentException("the band of series '" + name + "' needs both edges or neither");
        }
        if (low != null && (low.length != x.length || high.length != x.length)) {
            throw new IllegalArgumentException("the band of series '" + name + "' needs one low and one high value "
                    + "per point, had " + low.length + " and " + high.length + " for " + x.length + " points");
        }
        x = x.clone();
        y = y.clone();
        low = low == null ? null : low.clone();
        high = high == null ? null : high.clone();
    }

    /**
     * This series with a shaded band from {@code low} to {@code high} at each point, drawn in its colour beneath
     * the line: the spread of a mean over seeds (mean ± standard deviation, or a confidence interval).
     */
    public Series withBand(double[] low, double[] high) {
        return new Series(name, x, y, style, low, high, colourOf);
    }

    /**
     * This series in the colour of the series named {@code seriesName} in the same chart (or panel chart), for a
     * line that belongs to that one, such as a dashed threshold beside its curve.
     */
    public Series withColourOf(String seriesName) {
        return new Series(name, x, y, style, low, high, Objects.requireNonNull(seriesName, "seriesName"));
    }

    /** The name whose colour this series is drawn in: {@link #colourOf()}, or its own. */
    public String colourKey() {
        return colourOf != null ? colourOf : name;
    }

    /** Whether a band is drawn around this series. */
    public boolean hasBand() {
        return low != null;
    }

    /** A copy of the band's lower edge; null without a band. */
    @Override
    public double[] low() {
        return low == null ? null : low.clone();
    }

    /** A copy of the band's upper edge; null without a band. */
    @Override
    public double[] high() {
        return high == null ? null : high.clone();
    }

    /** The band's lower edge at point {@code i}; NaN without a band. */
    public double lowAt(int i) {
        return low == null ? Double.NaN : low[i];
    }

    /** The band's upper edge at point {@code i}; NaN without a band. */
    public double highAt(int i) {
        return high == null ? Double.NaN : high[i];
    }

    /** A solid line through the points. */
    public static Series line(String name, double[] x, double[] y) {
        return new Series(name, x, y, SeriesStyle.LINE);
    }

    /** Unconnected markers. */
    public static Series points(String name, double[] x, double[] y) {
        return new Series(name, x, y, SeriesStyle.POINTS);
    }

    /** A solid line with a marker on every point, for example a trajectory whose steps matter. */
    public static Series lineAndPoints(String name, double[] x, double[] y) {
        return new Series(name, x, y, SeriesStyle.LINE_AND_POINTS);
    }

    /** A dashed line through the points. */
    public static Series dashed(String name, double[] x, double[] y) {
        return new Series(name, x, y, SeriesStyle.DASHED);
    }

    /** A thick grey reference line, drawn beneath the coloured series (see {@link SeriesStyle#REFERENCE}). */
    public static Series reference(String name, double[] x, double[] y) {
        return new Series(name, x, y, SeriesStyle.REFERENCE);
    }

    /** The same points under another style. */
    public Series withStyle(SeriesStyle newStyle) {
        return new Series(name, x, y, newStyle, low, high, colourOf);
    }

    /** The number of points. */
    public int size() {
        return x.length;
    }

    /** A copy of the x coordinates. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** A copy of the y coordinates. */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** The x coordinate of point {@code i}, without copying the array. */
    public double xAt(int i) {
        return x[i];
    }

    /** The y coordinate of point {@code i}, without copying the array. */
    public double yAt(int i) {
        return y[i];
    }

    /** Equal when name, style, colour and every coordinate are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Series s
                && name.equals(s.name)
                && style == s.style
                && Objects.equals(colourOf, s.colourOf)
                && Arrays.equals(x, s.x)
                && Arrays.equals(y, s.y)
                && Arrays.equals(low, s.low)
                && Arrays.equals(high, s.high);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, style, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "Series[name=" + name + ", style=" + style + ", points=" + x.length + "]";
    }
}
