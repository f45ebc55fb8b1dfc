package io.github.losslab.plotting;

/** How a {@link Series} is drawn. Colours come from the theme, not from the series. */
public enum SeriesStyle {
    /** A solid line through the points in their order. */
    LINE,
    /** Unconnected markers, one per point. */
    POINTS,
    /** A solid line with a marker on every point. */
    LINE_AND_POINTS,
    /** A dashed line through the points in their order. */
    DASHED,
    /**
     * A thick grey line for a ground truth or other reference curve. It takes no colour from the palette
     * and is drawn beneath the coloured series so that they stay visible on top of it.
     */
    REFERENCE
}
