package io.github.losslab.plotting;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * The colour bar of a {@link ContourChart}: an axis on the right of the plot with a strip of the colour scale
 * between the data and the tick labels. Being an axis of the plot, it spans exactly the height of the data, and its
 * ticks are the theme's (decade ticks on a log scale). The strip is a linear gradient along the axis, which is
 * exact on both scales: the colour follows the value on a linear scale and its logarithm on a log scale, as the
 * axis does. A log colour bar that holds fewer than three decades is labelled at 1, 2 and 5 times each power of ten
 * (or at every multiple, on a very narrow range), written as the contour levels are
 * ({@link ContourRenderer#formatLevel(double)}: plain numbers from 0.001 to ten million), so that it always carries
 * several labels without widening the colour scale beyond the data.
 */
final class ColourBar {

    /** Space between the data and the strip, in pixels. */
    static final double GAP = 16;
    /** Width of the strip, in pixels. */
    static final double WIDTH = 22;

    private ColourBar() {
    }

    /** A colour bar for values on a linear scale from {@code min} to {@code max}. */
    static LinearAxis linear(String label, double min, double max) {
        Linear axis = new Linear(label, min, max);
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        axis.setRange(min, max);
        return axis;
    }

    /** A colour bar for positive values on a log scale from {@code min} to {@code max}. */
    static DecadeLogAxis log(String label, double min, double max) {
        Log axis = new Log(label);
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        axis.setRange(min, max);
        return axis;
    }

    private static double paintStrip(Graphics2D g2, double cursor, Rectangle2D dataArea, RectangleEdge edge) {
        if (!RectangleEdge.isLeftOrRight(edge)) {
            return cursor;
        }
        boolean right = edge == RectangleEdge.RIGHT;
        double x = right ? cursor + GAP : cursor - GAP - WIDTH;
        Rectangle2D strip = new Rectangle2D.Double(x, dataArea.getMinY(), WIDTH, dataArea.getHeight());
        g2.setPaint(ColourMap.gradient(new Point2D.Double(x, dataArea.getMaxY()),
                new Point2D.Double(x, dataArea.getMinY())));
        g2.fill(strip);
        g2.setPaint(Theme.FRAME);
        g2.setStroke(Theme.THIN);
        g2.draw(strip);
        return right ? cursor + GAP + WIDTH : cursor - GAP - WIDTH;
    }

    private static AxisSpace widen(AxisSpace space, RectangleEdge edge) {
        if (RectangleEdge.isLeftOrRight(edge)) {
            space.add(GAP + WIDTH, edge);
        }
        return space;
    }

    /** A linear colour bar. */
    private static final class Linear extends LinearAxis {

        Linear(String label, double min, double max) {
            super(label, min, max);
        }

        @Override
        public AxisSpace reserveSpace(Graphics2D g2, Plot plot, Rectangle2D plotArea, RectangleEdge edge,
                AxisSpace space) {
            return widen(super.reserveSpace(g2, plot, plotArea, edge, space), edge);
        }

        @Override
        public AxisState draw(Graphics2D g2, double cursor, Rectangle2D plotArea, Rectangle2D dataArea,
                RectangleEdge edge, PlotRenderingInfo plotState) {
            return super.draw(g2, paintStrip(g2, cursor, dataArea, edge), plotArea, dataArea, edge, plotState);
        }
    }

    /** A log colour bar with decade ticks, or 1-2-5 ticks on a range of fewer than three decades. */
    private static final class Log extends DecadeLogAxis {

        Log(String label) {
            super(label);
        }

        @Override
        public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                RectangleEdge edge) {
            Range range = getRange();
            double lo = Math.log10(range.getLowerBound());
            double hi = Math.log10(range.getUpperBound());
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi <= lo || hi - lo >= 2) {
                return super.refreshTicks(g2, state, dataArea, edge);
            }
            return onesTwosFives(range, lo, hi,
                    edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT);
        }

        @Override
        public AxisSpace reserveSpace(Graphics2D g2, Plot plot, Rectangle2D plotArea, RectangleEdge edge,
                AxisSpace space) {
            return widen(super.reserveSpace(g2, plot, plotArea, edge, space), edge);
        }

        @Override
        public AxisState draw(Graphics2D g2, double cursor, Rectangle2D plotArea, Rectangle2D dataArea,
                RectangleEdge edge, PlotRenderingInfo plotState) {
            return super.draw(g2, paintStrip(g2, cursor, dataArea, edge), plotArea, dataArea, edge, plotState);
        }
    }
}
