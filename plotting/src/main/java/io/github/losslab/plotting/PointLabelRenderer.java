package io.github.losslab.plotting;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;

/**
 * Lines and markers whose point labels are placed where they hide the least: of eight spots around the
 * point (right first), the one that covers the fewest other points, crosses the fewest line segments and
 * overlaps no label placed before it, inside the data area. The text sits on a thin white halo so that it
 * stays legible where it crosses the grid.
 *
 * <p>Holds the positions of one drawing at a time; a chart is drawn by one thread at a time.
 */
final class PointLabelRenderer extends XYLineAndShapeRenderer {

    private static final double GAP = 6;
    private static final double MARKER_RADIUS = 4;
    private static final int POINT_COST = 2;
    private static final int SEGMENT_COST = 1;
    private static final int LABEL_COST = 4;
    private static final int OUTSIDE_COST = 8;
    private static final Color HALO = new Color(255, 255, 255, 220);
    private static final BasicStroke HALO_STROKE =
            new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private Rectangle2D dataArea;
    private XYPlot plot;
    private ValueAxis domainAxis;
    private ValueAxis rangeAxis;
    private List<Point2D[]> screenPoints;
    private final List<Rectangle2D> placed = new ArrayList<>();

    PointLabelRenderer() {
        super(true, false);
    }

    @Override
    public XYItemRendererState initialise(Graphics2D g2, Rectangle2D area, XYPlot xyPlot, XYDataset dataset,
            PlotRenderingInfo info) {
        screenPoints = null;
        placed.clear();
        return super.initialise(g2, area, xyPlot, dataset, info);
    }

    @Override
    public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D area, PlotRenderingInfo info,
            XYPlot xyPlot, ValueAxis domain, ValueAxis range, XYDataset dataset, int series, int item,
            CrosshairState crosshairState, int pass) {
        this.dataArea = area;
        this.plot = xyPlot;
        this.domainAxis = domain;
        this.rangeAxis = range;
        super.drawItem(g2, state, area, info, xyPlot, domain, range, dataset, series, item, crosshairState, pass);
    }

    @Override
    protected void drawItemLabel(Graphics2D g2, PlotOrientation orientation, XYDataset dataset, int series,
            int item, double x, double y, boolean negative) {
        XYItemLabelGenerator generator = getItemLabelGenerator(series, item);
        if (generator == null) {
            return;
        }
        String label = generator.generateLabel(dataset, series, item);
        if (label == null || label.isEmpty()) {
            return;
        }
        Font font = getItemLabelFont(series, item);
        TextLayout layout = new TextLayout(label, font, g2.getFontRenderContext());
        double w = layout.getAdvance();
        double ascent = layout.getAscent();
        double h = ascent + layout.getDescent();
        Rectangle2D box = bestSpot(dataset, series, item, x, y, w, h);
        placed.add(box);
        float left = (float) box.getX();
        float baseline = (float) (box.getY() + ascent);
        Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(left, baseline));
        g2.setStroke(HALO_STROKE);
        g2.setPaint(HALO);
        g2.draw(outline);
        g2.setPaint(getItemLabelPaint(series, item));
        g2.setFont(font);
        g2.drawString(label, left, baseline);
    }

    private Rectangle2D bestSpot(XYDataset dataset, int series, int item, double x, double y, double w,
            double h) {
        double d = GAP * Math.sqrt(0.5);
        double[][] spots = {
            {x + GAP, y - h / 2},
            {x + d, y - d - h},
            {x + d, y + d},
            {x - GAP - w, y - h / 2},
            {x - d - w, y - d - h},
            {x - d - w, y + d},
            {x - w / 2, y - GAP - h},
            {x - w / 2, y + GAP},
        };
        List<Point2D[]> points = screenPoints(dataset);
        Rectangle2D best = null;
        int bestCost = Integer.MAX_VALUE;
        for (double[] spot : spots) {
            Rectangle2D box = new Rectangle2D.Double(spot[0], spot[1], w, h);
            int cost = cost(box, points, series, item);
            if (cost < bestCost) {
                bestCost = cost;
                best = box;
            }
        }
        return best;
    }

    private int cost(Rectangle2D box, List<Point2D[]> points, int series, int item) {
        int cost = 0;
        if (dataArea != null && !dataArea.contains(box)) {
            cost += OUTSIDE_COST;
        }
        Rectangle2D near = new Rectangle2D.Double(box.getX() - MARKER_RADIUS, box.getY() - MARKER_RADIUS,
                box.getWidth() + 2 * MARKER_RADIUS, box.getHeight() + 2 * MARKER_RADIUS);
        for (int s = 0; s < points.size(); s++) {
            Point2D[] line = points.get(s);
            boolean joined = getSeriesLinesVisible(s) == null || getSeriesLinesVisible(s);
            for (int i = 0; i < line.length; i++) {
                if ((s != series || i != item) && near.contains(line[i])) {
                    cost += POINT_COST;
                }
                if (joined && i > 0 && box.intersectsLine(line[i - 1].getX(), line[i - 1].getY(),
                        line[i].getX(), line[i].getY())) {
                    cost += SEGMENT_COST;
                }
            }
        }
        for (Rectangle2D other : placed) {
            if (other.intersects(box)) {
                cost += LABEL_COST;
            }
        }
        return cost;
    }

    /** Every point of the dataset in Java2D coordinates, computed once per drawing. */
    private List<Point2D[]> screenPoints(XYDataset dataset) {
        if (screenPoints != null) {
            return screenPoints;
        }
        List<Point2D[]> result = new ArrayList<>();
        if (plot == null || domainAxis == null || rangeAxis == null) {
            return result;
        }
        RectangleEdge xEdge = plot.getDomainAxisEdge();
        RectangleEdge yEdge = plot.getRangeAxisEdge(Math.max(0, plot.getRangeAxisIndex(rangeAxis)));
        for (int s = 0; s < dataset.getSeriesCount(); s++) {
            Point2D[] line = new Point2D[dataset.getItemCount(s)];
            for (int i = 0; i < line.length; i++) {
                line[i] = new Point2D.Double(domainAxis.valueToJava2D(dataset.getXValue(s, i), dataArea, xEdge),
                        rangeAxis.valueToJava2D(dataset.getYValue(s, i), dataArea, yEdge));
            }
            result.add(line);
        }
        screenPoints = result;
        return result;
    }
}
