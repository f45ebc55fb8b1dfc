package io.github.losslab.plotting;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.ui.RectangleEdge;

/**
 * A linear axis with a few round ticks rather than as many as fit: JFreeChart packs ticks until their
 * labels nearly touch, while a figure in a paper reads best with five to ten. Ticks are at least {@value
 * #MIN_HORIZONTAL_SPACING} pixels apart along x and {@value #MIN_VERTICAL_SPACING} along y.
 *
 * <p>Very small or very large values are labelled in units of a power of ten, which the axis label states
 * ("weight change (×10⁻⁵)"), and data that do not vary get a range around their value instead of one a
 * rounding error wide.
 */
class LinearAxis extends NumberAxis {

    static final double MIN_HORIZONTAL_SPACING = 110;
    static final double MIN_VERTICAL_SPACING = 60;
    private static final double FLAT = 1e-9;

    /**
     * @param label the caller's label
     * @param dataMin the smallest value the axis must show, or NaN when there is none
     * @param dataMax the largest value the axis must show, or NaN when there is none
     */
    LinearAxis(String label, double dataMin, double dataMax) {
        super(label);
        int scale = scaleFor(dataMin, dataMax);
        if (scale != 0) {
            String unit = "×10" + DecadeTickFormat.superscript(scale);
            setLabel(label.isBlank() ? unit : label + " (" + unit + ")");
        }
        setAutoRangeIncludesZero(false);
        setStandardTickUnits(LinearTickFormat.tickUnits(scale));
        double centre = (dataMin + dataMax) / 2;
        if (Double.isFinite(centre) && dataMax - dataMin <= FLAT * Math.max(1, Math.abs(centre))) {
            setAutoRangeMinimumSize(centre == 0 ? 2 : 0.2 * Math.abs(centre));
        }
    }

    /**
     * The power of ten an axis showing {@code [dataMin, dataMax]} labels its ticks in (0 for plain units), as
     * {@link LinearTickFormat#scaleFor} chooses it from the larger magnitude.
     */
    static int scaleFor(double dataMin, double dataMax) {
        return LinearTickFormat.scaleFor(Math.max(Math.abs(dataMin), Math.abs(dataMax)));
    }

    @Override
    protected void selectAutoTickUnit(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        super.selectAutoTickUnit(g2, dataArea, edge);
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        double length = vertical ? dataArea.getHeight() : dataArea.getWidth();
        double maxIntervals = Math.max(2, length / (vertical ? MIN_VERTICAL_SPACING : MIN_HORIZONTAL_SPACING));
        double span = getRange().getLength();
        TickUnitSource units = getStandardTickUnits();
        NumberTickUnit unit = getTickUnit();
        while (span / unit.getSize() > maxIntervals) {
            TickUnit larger = units.getLargerTickUnit(unit);
            if (!(larger instanceof NumberTickUnit next) || next.getSize() <= unit.getSize()) {
                break;
            }
            unit = next;
        }
        setTickUnit(unit, false, false);
    }
}
