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
 * rounding error away from zero.
 */
final class LinearTickFormat extends NumberFormat {

    private static final int SMALLEST_EXPONENT = -12;
    private static final int LARGEST_EXPONENT = 12;
    private static final String[] MANTISSAS = {"1", "2", "2.5", "5"};

    private static final double GROUP_FROM = 10_000;

    private final DecimalFormat format;
    private final DecimalFormat grouped;
    private final double zeroBelow;

    private LinearTickFormat(int decimals, double tickSize) {
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
        symbols.setMinusSign('−');
        String fraction = decimals == 0 ? "" : "." + "0".repeat(decimals);
        this.format = new DecimalFormat("0" + fraction, symbols);
        this.grouped = new DecimalFormat("#,##0" + fraction, symbols);
        this.zeroBelow = tickSize * 1e-6;
    }

    /** Tick spacings of 1, 2, 2.5 and 5 times each power of ten, each with its label format. */
    static TickUnitSource tickUnits() {
        TickUnits units = new TickUnits();
        for (int e = SMALLEST_EXPONENT; e <= LARGEST_EXPONENT; e++) {
            for (String m : MANTISSAS) {
                double size = Double.parseDouble(m + "E" + e);
                int decimals = Math.max(0, -e + (m.equals("2.5") ? 1 : 0));
                int minorTicks = m.equals("2.5") ? 5 : Integer.parseInt(m.substring(0, 1)) == 2 ? 4 : 5;
                units.add(new NumberTickUnit(size, new LinearTickFormat(decimals, size), minorTicks));
            }
        }
        return units;
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        double v = Math.abs(number) < zeroBelow ? 0.0 : number;
        return (Math.abs(v) >= GROUP_FROM ? grouped : format).format(v, toAppendTo, pos);
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return (Math.abs(number) >= GROUP_FROM ? grouped : format).format(number, toAppendTo, pos);
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        return format.parse(source, parsePosition);
    }
}
