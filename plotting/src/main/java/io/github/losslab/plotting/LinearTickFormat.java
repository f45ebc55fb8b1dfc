package io.github.losslab.plotting;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.axis.TickUnits;

/**
 * Tick labels for a linear axis: the same in every locale, a true minus sign, as many decimals as the tick
 * spacing needs, thousands grouped only from 10,000 on, and 0 rather than -0.00 for a tick that lands a
 * rounding error away from zero. Labels may be written in units of a power of ten, {@code 10^scale}, which
 * the axis label then states (2.5 on an axis labelled "(×10⁻⁵)" for 0.000025).
 */
final class LinearTickFormat extends NumberFormat {

    private static final int EXPONENT_REACH = 15;
    private static final String[] MANTISSAS = {"1", "2", "2.5", "5"};
    private static final double GROUP_FROM = 10_000;

    private final DecimalFormat format;
    private final DecimalFormat grouped;
    private final double zeroBelow;
    private final int scale;

    private LinearTickFormat(int decimals, double tickSize, int scale) {
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
        symbols.setMinusSign('−');
        String fraction = decimals == 0 ? "" : "." + "0".repeat(decimals);
        this.format = new DecimalFormat("0" + fraction, symbols);
        this.grouped = new DecimalFormat("#,##0" + fraction, symbols);
        this.zeroBelow = tickSize * 1e-6;
        this.scale = scale;
    }

    /** Tick spacings of 1, 2, 2.5 and 5 times each power of ten, labelled in plain units. */
    static TickUnitSource tickUnits() {
        return tickUnits(0);
    }

    /**
     * Tick spacings of 1, 2, 2.5 and 5 times each power of ten around {@code 10^scale}, labelled in units of
     * {@code 10^scale}.
     */
    static TickUnitSource tickUnits(int scale) {
        TickUnits units = new TickUnits();
        for (int e = scale - EXPONENT_REACH; e <= scale + EXPONENT_REACH; e++) {
            for (String m : MANTISSAS) {
                double size = Double.parseDouble(m + "E" + e);
                int decimals = Math.max(0, scale - e + (m.equals("2.5") ? 1 : 0));
                int minorTicks = m.equals("2") ? 4 : 5;
                units.add(new NumberTickUnit(size, new LinearTickFormat(decimals, size, scale), minorTicks));
            }
        }
        return units;
    }

    /**
     * The power of ten to label an axis in, given the largest magnitude it shows: 0 for magnitudes from
     * 0.001 up to ten million, whose plain labels stay short, otherwise the magnitude's own exponent.
     */
    static int scaleFor(double maxMagnitude) {
        if (!(maxMagnitude > 0) || Double.isInfinite(maxMagnitude)) {
            return 0;
        }
        if (maxMagnitude >= 1e-3 && maxMagnitude < 1e7) {
            return 0;
        }
        return (int) Math.floor(Math.log10(maxMagnitude));
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        double v = Math.abs(number) < zeroBelow ? 0.0 : number;
        if (scale != 0) {
            v = v / Math.pow(10, scale);
        }
        return (Math.abs(v) >= GROUP_FROM ? grouped : format).format(v, toAppendTo, pos);
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return format((double) number, toAppendTo, pos);
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        Number n = format.parse(source, parsePosition);
        return n == null || scale == 0 ? n : n.doubleValue() * Math.pow(10, scale);
    }
}
