package io.github.losslab.plotting;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The one look of every losslab figure, chosen for papers rather than for screens: white background,
 * light solid grid, a thin dark frame around the data, fonts readable when the figure is shown at 100%,
 * the legend below the data, and the Okabe-Ito palette, which stays distinguishable under the common
 * colour-vision deficiencies (Okabe and Ito, "Color Universal Design", 2008).
 */
final class Theme {

    /**
     * The Okabe-Ito colours in the order series take them: the strongest contrasts on white first, the pale
     * yellow late, black last.
     */
    static final Color[] PALETTE = {
        new Color(0x0072B2), // blue
        new Color(0xD55E00), // vermillion
        new Color(0x009E73), // bluish green
        new Color(0xE69F00), // orange
        new Color(0x56B4E9), // sky blue
        new Color(0xCC79A7), // reddish purple
        new Color(0xF0E442), // yellow
        new Color(0x000000), // black
    };

    /** The colour of {@link SeriesStyle#REFERENCE} lines. */
    static final Color REFERENCE = new Color(0x9A9A9A);

    static final Color TEXT = new Color(0x222222);
    static final Color FRAME = new Color(0x444444);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color MINOR_GRID = new Color(0xF0F0F0);

    static final String FONT_FAMILY = Font.SANS_SERIF;
    static final Font TITLE_FONT = new Font(FONT_FAMILY, Font.BOLD, 20);
    static final Font LABEL_FONT = new Font(FONT_FAMILY, Font.PLAIN, 18);
    static final Font TICK_FONT = new Font(FONT_FAMILY, Font.PLAIN, 16);
    static final Font LEGEND_FONT = new Font(FONT_FAMILY, Font.PLAIN, 16);
    static final Font POINT_LABEL_FONT = new Font(FONT_FAMILY, Font.PLAIN, 14);

    static final float LINE_WIDTH = 2f;
    static final float REFERENCE_WIDTH = 6f;
    static final float FRAME_WIDTH = 1f;
    static final Stroke LINE = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke DASHED = new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {8f, 5f}, 0f);
    static final Stroke REFERENCE_LINE =
            new BasicStroke(REFERENCE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke THIN = new BasicStroke(FRAME_WIDTH);
    static final float TICK_LENGTH = 5f;

    /** The stretch of line drawn beside each legend entry. */
    static final Shape LEGEND_LINE = new Line2D.Double(-16, 0, 16, 0);

    private static final double MARKER = 8;
    private static final Shape[] MARKERS = {
        new Ellipse2D.Double(-MARKER / 2, -MARKER / 2, MARKER, MARKER),
        new Rectangle2D.Double(-MARKER * 0.42, -MARKER * 0.42, MARKER * 0.84, MARKER * 0.84),
        triangle(true),
        diamond(),
        triangle(false),
    };

    private Theme() {
    }

    /** The palette colour of the {@code index}-th coloured series, cycling after the eighth. */
    static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** The marker of the {@code index}-th coloured series, so markers differ even in greyscale print. */
    static Shape marker(int index) {
        return MARKERS[Math.floorMod(index, MARKERS.length)];
    }

    /** Styles the chart, its title and legend, its plot or subplots, and their axes. */
    static void apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setBorderVisible(false);
        chart.setPadding(new RectangleInsets(12, 12, 12, 24));
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        RenderingHints hints = chart.getRenderingHints();
        hints.put(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        hints.put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        chart.setRenderingHints(hints);

        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE_FONT);
            title.setPaint(TEXT);
            title.setPadding(new RectangleInsets(4, 0, 12, 0));
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                styleLegend(legend);
            }
        }
        Plot plot = chart.getPlot();
        if (plot instanceof CombinedDomainXYPlot combined) {
            combined.setBackgroundPaint(null);
            combined.setOutlineVisible(false);
            combined.setInsets(RectangleInsets.ZERO_INSETS);
            styleAxis(combined.getDomainAxis());
            for (XYPlot sub : combined.getSubplots()) {
                stylePlot(sub);
            }
            boolean log = combined.getDomainAxis() instanceof LogAxis;
            for (XYPlot sub : combined.getSubplots()) {
                sub.setDomainMinorGridlinesVisible(log);
            }
        } else if (plot instanceof XYPlot xy) {
            stylePlot(xy);
        }
    }

    private static void styleLegend(LegendTitle legend) {
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setHorizontalAlignment(HorizontalAlignment.CENTER);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setItemFont(LEGEND_FONT);
        legend.setItemPaint(TEXT);
        legend.setMargin(new RectangleInsets(10, 0, 0, 0));
        legend.setItemLabelPadding(new RectangleInsets(2, 6, 2, 18));
        legend.setLegendItemGraphicPadding(new RectangleInsets(2, 6, 2, 2));
    }

    private static void stylePlot(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(true);
        plot.setOutlinePaint(FRAME);
        plot.setOutlineStroke(THIN);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setInsets(new RectangleInsets(4, 4, 4, 4));
        plot.setDomainGridlinesVisible(true);
        plot.setRangeGridlinesVisible(true);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(THIN);
        plot.setRangeGridlineStroke(THIN);
        plot.setDomainMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setDomainMinorGridlineStroke(THIN);
        plot.setRangeMinorGridlineStroke(THIN);
        plot.setDomainMinorGridlinesVisible(plot.getDomainAxis() instanceof LogAxis);
        plot.setRangeMinorGridlinesVisible(plot.getRangeAxis() instanceof LogAxis);
        plot.setDomainZeroBaselineVisible(false);
        plot.setRangeZeroBaselineVisible(false);
        for (int i = 0; i < plot.getDomainAxisCount(); i++) {
            styleAxis(plot.getDomainAxis(i));
        }
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            styleAxis(plot.getRangeAxis(i));
        }
    }

    private static void styleAxis(ValueAxis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(LABEL_FONT);
        axis.setLabelPaint(TEXT);
        axis.setLabelInsets(new RectangleInsets(6, 6, 6, 6));
        axis.setTickLabelFont(TICK_FONT);
        axis.setTickLabelPaint(TEXT);
        // JFreeChart measures the label gap from the frame, not from the end of an outside tick mark.
        double gap = TICK_LENGTH + 3;
        axis.setTickLabelInsets(new RectangleInsets(gap, gap, gap, gap));
        axis.setAxisLineVisible(false);
        axis.setTickMarksVisible(true);
        axis.setTickMarkPaint(FRAME);
        axis.setTickMarkStroke(THIN);
        axis.setTickMarkOutsideLength(TICK_LENGTH);
        axis.setTickMarkInsideLength(0f);
        axis.setMinorTickMarkOutsideLength(3f);
        axis.setMinorTickMarkInsideLength(0f);
        if (axis instanceof NumberAxis number) {
            number.setMinorTickMarksVisible(false);
        }
    }

    private static Shape triangle(boolean up) {
        double h = MARKER * 0.9;
        double s = up ? 1 : -1;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, -s * h / 2);
        p.lineTo(h / 2, s * h / 2);
        p.lineTo(-h / 2, s * h / 2);
        p.closePath();
        return p;
    }

    private static Shape diamond() {
        double r = MARKER * 0.6;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, -r);
        p.lineTo(r, 0);
        p.lineTo(0, r);
        p.lineTo(-r, 0);
        p.closePath();
        return p;
    }

    /** The paint of a series: grey for references, otherwise the palette colour at {@code index}. */
    /** Opacity of the shaded band around a series (the spread over seeds). */
    static final float BAND_ALPHA = 0.22f;

    static Paint paint(SeriesStyle style, int index) {
        return style == SeriesStyle.REFERENCE ? REFERENCE : colour(index);
    }

    /**
     * The stroke of the line of the {@code index}-th coloured series. Once the palette has been used up,
     * solid lines turn dashed so that series nine and one, which share a colour, still differ.
     */
    static Stroke stroke(SeriesStyle style, int index) {
        boolean secondRound = Math.floorMod(index / PALETTE.length, 2) == 1;
        return switch (style) {
            case DASHED -> DASHED;
            case REFERENCE -> REFERENCE_LINE;
            case LINE -> secondRound ? DASHED : LINE;
            default -> LINE;
        };
    }
}
