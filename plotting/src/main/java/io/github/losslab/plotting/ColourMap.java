package io.github.losslab.plotting;

import java.awt.Color;
import java.awt.LinearGradientPaint;
import java.awt.geom.Point2D;

/**
 * The viridis colour scale (van der Walt and Smith, matplotlib 2.0, 2015): perceptually uniform, readable in
 * greyscale and by readers with the common colour-vision deficiencies, from dark purple (low) through blue and
 * green to yellow (high). Here it is piecewise linear between eleven evenly spaced samples of the original.
 */
final class ColourMap {

    private static final int[] VIRIDIS = {
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    };

    /** The colour of cells whose value cannot be drawn (NaN, or not positive on a log scale). */
    static final Color MISSING = new Color(0xE6E6E6);

    private ColourMap() {
    }

    /** The colour at {@code t} in [0, 1] (clamped), as packed RGB. */
    static int rgb(double t) {
        double s = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double f = s - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = channel(a >> 16, b >> 16, f);
        int g = channel(a >> 8, b >> 8, f);
        int bl = channel(a, b, f);
        return (r << 16) | (g << 8) | bl;
    }

    static Color colour(double t) {
        return new Color(rgb(t));
    }

    /**
     * Whether text or lines drawn over the colour at {@code t} should be light: the dark lower half of the scale
     * takes white, the light upper half black.
     */
    static boolean darkAt(double t) {
        return t < 0.55;
    }

    /** The whole scale as a gradient from {@code start} (value 0) to {@code end} (value 1). */
    static LinearGradientPaint gradient(Point2D start, Point2D end) {
        float[] fractions = new float[VIRIDIS.length];
        Color[] colours = new Color[VIRIDIS.length];
        for (int i = 0; i < VIRIDIS.length; i++) {
            fractions[i] = (float) i / (VIRIDIS.length - 1);
            colours[i] = new Color(VIRIDIS[i]);
        }
        return new LinearGradientPaint(start, end, fractions, colours);
    }

    private static int channel(int a, int b, double f) {
        int x = a & 0xFF;
        int y = b & 0xFF;
        return (int) Math.round(x + (y - x) * f);
    }
}
