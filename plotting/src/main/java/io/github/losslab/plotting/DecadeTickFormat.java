package io.github.losslab.plotting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Writes powers of ten the way papers print them, with superscript digits: 0.01 as 10⁻², 1000 as 10³.
 * Values between decades keep three significant digits of mantissa (0.05 as 5×10⁻²).
 */
final class DecadeTickFormat extends NumberFormat {

    private static final String SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private static final char SUPERSCRIPT_MINUS = '⁻';
    private static final char MINUS = '−';
    private static final double DECADE_TOLERANCE = 1e-9;

    /** The label of {@code value}: {@code 10ⁿ} for a power of ten, {@code m×10ⁿ} otherwise. */
    static String label(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (value == 0) {
            return "0";
        }
        if (value < 0) {
            return MINUS + label(-value);
        }
        if (Double.isInfinite(value)) {
            return "∞";
        }
        double log = Math.log10(value);
        long nearest = Math.round(log);
        if (Math.abs(value / Math.pow(10, nearest) - 1) < DECADE_TOLERANCE) {
            return "10" + superscript(nearest);
        }
        long exponent = (long) Math.floor(log);
        BigDecimal mantissa = new BigDecimal(value / Math.pow(10, exponent)).round(new MathContext(3));
        if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
            mantissa = mantissa.movePointLeft(1);
            exponent++;
        }
        String m = mantissa.stripTrailingZeros().toPlainString();
        return exponent == 0 ? m : m + "×10" + superscript(exponent);
    }

    /** {@code n} in superscript digits, with a superscript minus when negative. */
    static String superscript(long n) {
        StringBuilder sb = new StringBuilder();
        if (n < 0) {
            sb.append(SUPERSCRIPT_MINUS);
        }
        for (char c : Long.toString(Math.abs(n)).toCharArray()) {
            sb.append(SUPERSCRIPT_DIGITS.charAt(c - '0'));
        }
        return sb.toString();
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(label(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(label(number));
    }

    /** Tick labels are written, never read back; parsing always fails. */
    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        parsePosition.setErrorIndex(parsePosition.getIndex());
        return null;
    }
}
