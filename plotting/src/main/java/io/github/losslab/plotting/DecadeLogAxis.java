package io.github.losslab.plotting;

import java.awt.FontMetrics;
import java.awt.font.TextAttribute;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * A base-10 axis with labelled ticks only at whole decades (10⁻¹, 10⁰, 10¹) and unlabelled minor ticks at
 * 2..9 times each decade, in place of JFreeChart's fractional exponents such as 10^-0.1.
 *
 * <p>When the data span less than two decade ticks, the range widens to the enclosing decades so that the
 * axis always carries at least two labels; when decades are too many to label, every second (third, ...)
 * decade is labelled. A {@link #fitted} axis keeps the data's own range instead and labels it at 1, 2 and 5
 * times each power of ten: for a horizontal axis of a few values, such as batch sizes 64 and 800, which the
 * enclosing decades (10 to 1,000) would squeeze into the right half of the plot.
 */
class DecadeLogAxis extends LogAxis {

    private static final double EPS = 1e-9;
    private static final int MAX_EXPONENT = 308;
    private static final double MIN_PIXELS_FOR_MINOR_TICKS = 40;
    private static final String WIDEST_LABEL = "10−00";

    private final boolean fitted;

    DecadeLogAxis(String label) {
        this(label, false);
    }

    private DecadeLogAxis(String label, boolean fitted) {
        super(label);
        this.fitted = fitted;
        setBase(10);
        setNumberFormatOverride(new DecadeTickFormat());
        setMinorTickMarksVisible(true);
    }

    /** An axis on the data's own range, with 1-2-5 labels where it holds fewer than two decade ticks. */
    static DecadeLogAxis fitted(String label) {
        return new DecadeLogAxis(label, true);
    }

    @Override
    protected void autoAdjustRange() {
        super.autoAdjustRange();
        if (!isAutoRange() || fitted) {
            return;
        }
        Range r = getRange();
        double lo = Math.log10(r.getLowerBound());
        double hi = Math.log10(r.getUpperBound());
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return;
        }
        long decadesInside = (long) Math.floor(hi + EPS) - (long) Math.ceil(lo - EPS) + 1;
        if (decadesInside >= 2) {
            return;
        }
        long low = (long) Math.floor(lo + EPS);
        long high = (long) Math.ceil(hi - EPS);
        if (high <= low) {
            low--;
            high++;
        }
        low = Math.max(low, -MAX_EXPONENT);
        high = Math.min(high, MAX_EXPONENT);
        setRange(new Range(Math.pow(10, low), Math.pow(10, high)), false, false);
    }

    @Override
    public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
            RectangleEdge edge) {
        List<ValueTick> ticks = new ArrayList<>();
        Range range = getRange();
        double lo = Math.log10(range.getLowerBound());
        double hi = Math.log10(range.getUpperBound());
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi <= lo) {
            return ticks;
        }
        if (fitted && (long) Math.floor(hi + EPS) - (long) Math.ceil(lo - EPS) + 1 < 2) {
            return onesTwosFives(range, lo, hi, anchorFor(edge));
        }
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        g2.setFont(getTickLabelFont());
        FontMetrics fm = g2.getFontMetrics();
        double labelExtent = vertical ? 1.6 * fm.getHeight() : 1.4 * fm.stringWidth(WIDEST_LABEL);
        double length = vertical ? dataArea.getHeight() : dataArea.getWidth();
        double pixelsPerDecade = length / (hi - lo);
        long step = pixelsPerDecade > 0 ? Math.max(1, (long) Math.ceil(labelExtent / pixelsPerDecade)) : 1;

        TextAnchor anchor = anchorFor(edge);
        long first = (long) Math.floor(lo);
        long last = (long) Math.ceil(hi);
        for (long k = first; k <= last; k++) {
            double decade = Math.pow(10, k);
            if (range.contains(decade)) {
                boolean major = Math.floorMod(k, step) == 0;
                ticks.add(major
                        ? new LogTick(TickType.MAJOR, decade, label(k), anchor)
                        : minorTick(decade, anchor));
            }
            if (step == 1 && pixelsPerDecade >= MIN_PIXELS_FOR_MINOR_TICKS) {
                for (int m = 2; m <= 9; m++) {
                    double v = m * decade;
                    if (range.contains(v)) {
                        ticks.add(minorTick(v, anchor));
                    }
                }
            }
        }
        return ticks;
    }

    /**
     * Ticks at every integer multiple of each power of ten inside the range, labelled at 1, 2 and 5 times it, or
     * at every multiple when that labels fewer than three: for a range of fewer than two decades.
     */
    static List<ValueTick> onesTwosFives(Range range, double lo, double hi, TextAnchor anchor) {
        List<ValueTick> ticks = onesTwosFives(range, lo, hi, anchor, new int[] {1, 2, 5});
        if (ticks.stream().filter(t -> t.getTickType() == TickType.MAJOR).count() < 3) {
            ticks = onesTwosFives(range, lo, hi, anchor, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        }
        return ticks;
    }

    private static List<ValueTick> onesTwosFives(Range range, double lo, double hi, TextAnchor anchor,
            int[] labelled) {
        List<ValueTick> ticks = new ArrayList<>();
        for (long k = (long) Math.floor(lo); k <= (long) Math.ceil(hi); k++) {
            double decade = Math.pow(10, k);
            for (int m = 1; m <= 9; m++) {
                double v = m * decade;
                if (!range.contains(v)) {
                    continue;
                }
                int multiple = m;
                boolean major = Arrays.stream(labelled).anyMatch(x -> x == multiple);
                ticks.add(new NumberTick(major ? TickType.MAJOR : TickType.MINOR, v,
                        major ? ContourRenderer.formatLevel(v) : "", anchor, anchor, 0.0));
            }
        }
        return ticks;
    }

    /**
     * {@code 10} with the exponent set as a raised, smaller run of the tick font: larger and easier to read
     * than the Unicode superscript digits that {@link DecadeTickFormat} writes for plain text.
     */
    private AttributedString label(long exponent) {
        String text = "10" + (exponent < 0 ? "−" : "") + Math.abs(exponent);
        AttributedString label = new AttributedString(text);
        label.addAttributes(getTickLabelFont().getAttributes(), 0, text.length());
        label.addAttribute(TextAttribute.SUPERSCRIPT, TextAttribute.SUPERSCRIPT_SUPER, 2, text.length());
        return label;
    }

    /**
     * An unlabelled tick. JFreeChart skips the tick mark of a {@link LogTick} without a label, so minor
     * ticks are plain number ticks with empty text.
     */
    private static ValueTick minorTick(double value, TextAnchor anchor) {
        return new NumberTick(TickType.MINOR, value, "", anchor, anchor, 0.0);
    }

    private static TextAnchor anchorFor(RectangleEdge edge) {
        if (edge == RectangleEdge.LEFT) {
            return TextAnchor.CENTER_RIGHT;
        } else if (edge == RectangleEdge.RIGHT) {
            return TextAnchor.CENTER_LEFT;
        } else if (edge == RectangleEdge.TOP) {
            return TextAnchor.BOTTOM_CENTER;
        }
        return TextAnchor.TOP_CENTER;
    }
}
