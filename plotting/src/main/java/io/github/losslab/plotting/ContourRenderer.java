package io.github.losslab.plotting;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Area;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Draws a {@link ContourChart}: colour map, iso-lines with level labels, colour bar, paths and centre. */
final class ContourRenderer {

    /** Path colours, chosen to stand out on viridis: vermillion, orange, reddish purple, sky blue. */
    private static final Color[] PATH_COLOURS = {
        new Color(0xD55E00), new Color(0xE69F00), new Color(0xCC79A7), new Color(0x56B4E9),
    };
    private static final Color LIGHT_LINE = new Color(255, 255, 255, 190);
    private static final Color DARK_LINE = new Color(0, 0, 0, 150);
    private static final Stroke ISOLINE = new BasicStroke(1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke PATH = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Font LEVEL_FONT = new Font(Theme.FONT_FAMILY, Font.PLAIN, 13);
    /** The longest side of the colour map embedded in an SVG, in pixels; viewers interpolate it smoothly. */
    private static final int SVG_RASTER = 480;
    private static final double CENTRE_SIZE = 18;
    private static final BigDecimal PLAIN_FROM = new BigDecimal("0.001");
    private static final BigDecimal PLAIN_BELOW = new BigDecimal("1E+7");
    private static final BigDecimal GROUP_FROM = new BigDecimal("10000");
    private static final char MINUS = '−';

    private ContourRenderer() {
    }

    static XYPlot plot(ContourChart chart) {
        double[] xs = chart.xs();
        double[] ys = chart.ys();
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(fixed(new LinearAxis(chart.xLabel(), xs[0], xs[xs.length - 1]), xs));
        plot.setRangeAxis(fixed(new LinearAxis(chart.yLabel(), ys[0], ys[ys.length - 1]), ys));
        ValueAxis bar = chart.logScale()
                ? ColourBar.log(chart.valueLabel(), chart.colourMin(), chart.colourMax())
                : ColourBar.linear(chart.valueLabel(), chart.colourMin(), chart.colourMax());
        bar.setLabelAngle(Math.PI);
        plot.setRangeAxis(1, bar);
        plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);

        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setDrawSeriesLineAsPath(true);
        renderer.setAutoPopulateSeriesPaint(false);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setAutoPopulateSeriesShape(false);
        renderer.setLegendLine(Theme.LEGEND_LINE);
        renderer.setUseOutlinePaint(true);
        renderer.setDrawOutlines(true);
        int k = 0;
        for (Series path : chart.paths()) {
            XYSeries xy = new XYSeries(path.name(), false, true);
            for (int i = 0; i < path.size(); i++) {
                if (Double.isFinite(path.xAt(i)) && Double.isFinite(path.yAt(i))) {
                    xy.add(path.xAt(i), path.yAt(i), false);
                }
            }
            dataset.addSeries(xy);
            Color colour = PATH_COLOURS[k % PATH_COLOURS.length];
            renderer.setSeriesPaint(k, colour);
            renderer.setSeriesStroke(k, PATH);
            renderer.setSeriesShape(k, Theme.marker(k));
            renderer.setSeriesOutlinePaint(k, Color.WHITE);
            renderer.setSeriesOutlineStroke(k, new BasicStroke(1f));
            renderer.setSeriesLinesVisible(k, path.style() != SeriesStyle.POINTS);
            renderer.setSeriesShapesVisible(k, path.style() != SeriesStyle.LINE && path.style() != SeriesStyle.DASHED
                    && path.style() != SeriesStyle.REFERENCE);
            renderer.setSeriesShapesFilled(k, true);
            k++;
        }
        if (chart.hasCentre()) {
            double[] c = chart.centre();
            XYSeries xy = new XYSeries(chart.centreLabel().isBlank() ? "centre" : chart.centreLabel(), false, true);
            xy.add(c[0], c[1]);
            dataset.addSeries(xy);
            renderer.setSeriesPaint(k, Color.WHITE);
            renderer.setSeriesOutlinePaint(k, Color.BLACK);
            renderer.setSeriesOutlineStroke(k, new BasicStroke(1.5f));
            renderer.setSeriesShape(k, star(CENTRE_SIZE));
            renderer.setSeriesLinesVisible(k, false);
            renderer.setSeriesShapesVisible(k, true);
            renderer.setSeriesShapesFilled(k, true);
        }
        renderer.addAnnotation(new Field(chart), Layer.BACKGROUND);
        plot.setDataset(0, dataset);
        plot.setRenderer(0, renderer);
        return plot;
    }

    /** An axis that spans exactly the grid, without margins. */
    private static ValueAxis fixed(LinearAxis axis, double[] grid) {
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        axis.setRange(grid[0], grid[grid.length - 1]);
        return axis;
    }

    /** A five-pointed star of the given outer diameter, centred on the origin. */
    static Shape star(double size) {
        Path2D.Double p = new Path2D.Double();
        double outer = size / 2;
        double inner = outer * 0.45;
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** A level as its label in plain units: {@link #formatLevel(double, int)} with scale 0. */
    static String formatLevel(double level) {
        return formatLevel(level, 0);
    }

    /**
     * A level (or a colour-bar tick) as its label, in the style of the axes' tick labels: the value in units of
     * {@code 10^scale} (the power of ten that a linear colour bar states in its label, 0 when it states none),
     * rounded to three significant digits without trailing zeros, with a true minus sign; plain from 0.001 up to
     * ten million, as {@link LinearTickFormat} writes ticks, with thousands grouped from 10,000 on (125,000 and
     * 0.00125), and beyond that range as a mantissa times a power of ten, as the log axes write them (1.25×10⁻⁴,
     * 1.25×10⁸).
     */
    static String formatLevel(double level, int scale) {
        if (!Double.isFinite(level)) {
            return DecadeTickFormat.label(level);
        }
        BigDecimal v = new BigDecimal(level).movePointLeft(scale).round(new MathContext(3));
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal a = v.abs().stripTrailingZeros();
        if (a.compareTo(PLAIN_FROM) < 0 || a.compareTo(PLAIN_BELOW) >= 0) {
            return DecadeTickFormat.label(v.doubleValue());
        }
        String digits = a.compareTo(GROUP_FROM) >= 0 ? String.format(Locale.ROOT, "%,d", a.longValueExact())
                : a.toPlainString();
        return v.signum() < 0 ? MINUS + digits : digits;
    }

    /** The power of ten a chart's level labels are written in: that of its colour bar, 0 on a log scale. */
    static int levelScale(ContourChart chart) {
        return chart.logScale() ? 0 : LinearAxis.scaleFor(chart.colourMin(), chart.colourMax());
    }

    /**
     * The colour map and the iso-lines, drawn beneath the paths. The map is computed for the drawing: one image
     * pixel per device pixel in a PNG, a smaller image that the viewer scales smoothly in an SVG.
     */
    private static final class Field extends AbstractXYAnnotation {

        private static final long serialVersionUID = 1L;

        private final transient ContourChart chart;

        Field(ContourChart chart) {
            this.chart = chart;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis,
                ValueAxis rangeAxis, int rendererIndex, PlotRenderingInfo info) {
            RectangleEdge xEdge = plot.getDomainAxisEdge();
            RectangleEdge yEdge = plot.getRangeAxisEdge();
            double[][] t = chart.transformed();
            drawMap(g2, dataArea, domainAxis, rangeAxis, xEdge, yEdge, t);
            drawIsolines(g2, dataArea, domainAxis, rangeAxis, xEdge, yEdge);
        }

        private void drawMap(Graphics2D g2, Rectangle2D area, ValueAxis xAxis, ValueAxis yAxis,
                RectangleEdge xEdge, RectangleEdge yEdge, double[][] t) {
            int x0 = (int) Math.floor(area.getMinX());
            int y0 = (int) Math.floor(area.getMinY());
            int w = Math.max(1, (int) Math.ceil(area.getMaxX()) - x0);
            int h = Math.max(1, (int) Math.ceil(area.getMaxY()) - y0);
            int iw = w;
            int ih = h;
            if (g2 instanceof SVGGraphics2D && Math.max(w, h) > SVG_RASTER) {
                double s = (double) SVG_RASTER / Math.max(w, h);
                iw = Math.max(2, (int) Math.round(w * s));
                ih = Math.max(2, (int) Math.round(h * s));
            }
            double[] xs = chart.xs();
            double[] ys = chart.ys();
            int[] ci = new int[iw];
            double[] cf = new double[iw];
            for (int px = 0; px < iw; px++) {
                double x = xAxis.java2DToValue(x0 + (px + 0.5) * w / iw, area, xEdge);
                locate(xs, x, ci, cf, px);
            }
            int[] ri = new int[ih];
            double[] rf = new double[ih];
            for (int py = 0; py < ih; py++) {
                double y = yAxis.java2DToValue(y0 + (py + 0.5) * h / ih, area, yEdge);
                locate(ys, y, ri, rf, py);
            }
            BufferedImage image = new BufferedImage(iw, ih, BufferedImage.TYPE_INT_RGB);
            int missing = ColourMap.MISSING.getRGB() & 0xFFFFFF;
            for (int py = 0; py < ih; py++) {
                int j = ri[py];
                double fy = rf[py];
                for (int px = 0; px < iw; px++) {
                    int i = ci[px];
                    double fx = cf[px];
                    double v = (1 - fy) * ((1 - fx) * t[j][i] + fx * t[j][i + 1])
                            + fy * ((1 - fx) * t[j + 1][i] + fx * t[j + 1][i + 1]);
                    image.setRGB(px, py, Double.isNaN(v) ? missing : ColourMap.rgb(chart.colourFraction(v)));
                }
            }
            Object old = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(image, x0, y0, w, h, null);
            if (old != null) {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, old);
            }
        }

        /** The cell of {@code grid} holding {@code v} and the fraction of the way across it, clamped to the grid. */
        private static void locate(double[] grid, double v, int[] cell, double[] fraction, int k) {
            int n = grid.length;
            if (!(v > grid[0])) {
                cell[k] = 0;
                fraction[k] = 0;
                return;
            }
            if (v >= grid[n - 1]) {
                cell[k] = n - 2;
                fraction[k] = 1;
                return;
            }
            int i = Arrays.binarySearch(grid, v);
            if (i < 0) {
                i = -i - 2;
            }
            i = Math.min(i, n - 2);
            cell[k] = i;
            fraction[k] = (v - grid[i]) / (grid[i + 1] - grid[i]);
        }

        private void drawIsolines(Graphics2D g2, Rectangle2D area, ValueAxis xAxis, ValueAxis yAxis,
                RectangleEdge xEdge, RectangleEdge yEdge) {
            double[] levels = chart.levels();
            List<Path2D> paths = new ArrayList<>();
            List<Color> colours = new ArrayList<>();
            List<Rectangle2D> labelBoxes = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<Color> labelColours = new ArrayList<>();
            g2.setFont(LEVEL_FONT);
            FontMetrics fm = g2.getFontMetrics();
            List<Shape> obstacles = overlays(area, xAxis, yAxis, xEdge, yEdge);
            int scale = levelScale(chart);
            for (int k = 0; k < levels.length; k++) {
                double fraction = chart.colourFraction(chart.transform(levels[k]));
                Color colour = ColourMap.darkAt(fraction) ? LIGHT_LINE : DARK_LINE;
                List<double[][]> lines = new ArrayList<>();
                for (MarchingSquares.Polyline line : chart.isolines(levels[k])) {
                    double[][] pts = new double[2][line.size()];
                    Path2D.Double path = new Path2D.Double();
                    for (int i = 0; i < line.size(); i++) {
                        pts[0][i] = xAxis.valueToJava2D(line.x()[i], area, xEdge);
                        pts[1][i] = yAxis.valueToJava2D(line.y()[i], area, yEdge);
                        if (i == 0) {
                            path.moveTo(pts[0][i], pts[1][i]);
                        } else {
                            path.lineTo(pts[0][i], pts[1][i]);
                        }
                    }
                    paths.add(path);
                    colours.add(colour);
                    lines.add(pts);
                }
                String text = formatLevel(levels[k], scale);
                double width = fm.stringWidth(text) + 6;
                double height = fm.getAscent() + 2;
                Rectangle2D box = labelBox(lines, k, width, height, area, labelBoxes, obstacles);
                if (box != null) {
                    labelBoxes.add(box);
                    labels.add(text);
                    labelColours.add(ColourMap.darkAt(fraction) ? Color.WHITE : Color.BLACK);
                }
            }
            Shape oldClip = g2.getClip();
            Area clip = new Area(area);
            for (Rectangle2D box : labelBoxes) {
                clip.subtract(new Area(box));
            }
            g2.clip(clip);
            g2.setStroke(ISOLINE);
            for (int i = 0; i < paths.size(); i++) {
                g2.setPaint(colours.get(i));
                g2.draw(paths.get(i));
            }
            g2.setClip(oldClip);
            for (int i = 0; i < labels.size(); i++) {
                Rectangle2D box = labelBoxes.get(i);
                g2.setPaint(labelColours.get(i));
                g2.drawString(labels.get(i), (float) (box.getCenterX() - fm.stringWidth(labels.get(i)) / 2.0),
                        (float) (box.getCenterY() + fm.getAscent() / 2.0 - 1.5));
            }
        }

        /**
         * Where to write a level's label: on its longest line, at a point whose box stays inside the data and
         * clear of the labels placed before and of the paths and the centre drawn on top; null when the lines are
         * too short or no place is free. Successive levels start their search at different points along the line,
         * so that the labels of nested rings do not stack up.
         */
        /** The paths and the centre as drawn over the map, which level labels keep clear of. */
        private List<Shape> overlays(Rectangle2D area, ValueAxis xAxis, ValueAxis yAxis, RectangleEdge xEdge,
                RectangleEdge yEdge) {
            List<Shape> shapes = new ArrayList<>();
            for (Series path : chart.paths()) {
                double px = Double.NaN;
                double py = Double.NaN;
                for (int i = 0; i < path.size(); i++) {
                    double x = xAxis.valueToJava2D(path.xAt(i), area, xEdge);
                    double y = yAxis.valueToJava2D(path.yAt(i), area, yEdge);
                    if (!Double.isFinite(x) || !Double.isFinite(y)) {
                        continue;
                    }
                    shapes.add(new Rectangle2D.Double(x - 6, y - 6, 12, 12));
                    if (Double.isFinite(px) && path.style() != SeriesStyle.POINTS) {
                        shapes.add(new Line2D.Double(px, py, x, y));
                    }
                    px = x;
                    py = y;
                }
            }
            if (chart.hasCentre()) {
                double x = xAxis.valueToJava2D(chart.centre()[0], area, xEdge);
                double y = yAxis.valueToJava2D(chart.centre()[1], area, yEdge);
                shapes.add(new Rectangle2D.Double(x - CENTRE_SIZE / 2, y - CENTRE_SIZE / 2, CENTRE_SIZE,
                        CENTRE_SIZE));
            }
            return shapes;
        }

        private static Rectangle2D labelBox(List<double[][]> lines, int level, double width, double height,
                Rectangle2D area, List<Rectangle2D> taken, List<Shape> obstacles) {
            double[][] best = null;
            double bestLength = 0;
            for (double[][] pts : lines) {
                double length = length(pts);
                if (length > bestLength) {
                    bestLength = length;
                    best = pts;
                }
            }
            if (best == null || bestLength < 3 * width) {
                return null;
            }
            double start = (0.5 + 0.3 * level) % 1.0;
            for (int attempt = 0; attempt < 20; attempt++) {
                double[] p = pointAt(best, bestLength * ((start + 0.05 * attempt) % 1.0));
                Rectangle2D box = new Rectangle2D.Double(p[0] - width / 2, p[1] - height / 2, width, height);
                Rectangle2D inner = new Rectangle2D.Double(area.getX() + 2, area.getY() + 2, area.getWidth() - 4,
                        area.getHeight() - 4);
                if (!inner.contains(box)) {
                    continue;
                }
                boolean free = true;
                for (Rectangle2D other : taken) {
                    if (other.intersects(box.getX() - 4, box.getY() - 4, box.getWidth() + 8, box.getHeight() + 8)) {
                        free = false;
                        break;
                    }
                }
                for (Shape obstacle : obstacles) {
                    if (!free) {
                        break;
                    }
                    free = obstacle instanceof Line2D line ? !box.intersectsLine(line) : !obstacle.intersects(box);
                }
                if (free) {
                    return box;
                }
            }
            return null;
        }

        private static double length(double[][] pts) {
            double s = 0;
            for (int i = 1; i < pts[0].length; i++) {
                s += Math.hypot(pts[0][i] - pts[0][i - 1], pts[1][i] - pts[1][i - 1]);
            }
            return s;
        }

        private static double[] pointAt(double[][] pts, double distance) {
            double s = 0;
            for (int i = 1; i < pts[0].length; i++) {
                double d = Math.hypot(pts[0][i] - pts[0][i - 1], pts[1][i] - pts[1][i - 1]);
                if (s + d >= distance && d > 0) {
                    double f = (distance - s) / d;
                    return new double[] {pts[0][i - 1] + f * (pts[0][i] - pts[0][i - 1]),
                        pts[1][i - 1] + f * (pts[1][i] - pts[1][i - 1])};
                }
                s += d;
            }
            int last = pts[0].length - 1;
            return new double[] {pts[0][last], pts[1][last]};
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
