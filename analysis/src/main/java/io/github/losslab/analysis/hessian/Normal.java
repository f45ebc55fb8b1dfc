package io.github.losslab.analysis.hessian;

/**
 * The complementary error function and the standard normal distribution's probabilities, with a relative error
 * below 2e-14 (against 40-digit values at 4001 points on each of {@code [0, 27]} for {@code erfc} and
 * {@code [0, 38.4]} for the tail, where they are still normal doubles), as {@link SpectralDensity} needs them to
 * integrate its Gaussian kernel over bins.
 *
 * <p>Both are computed the same way, each in its own variable so that no rescaling {@code z / sqrt(2)} rounds the
 * argument (an ulp of the argument costs {@code z^2} ulps of the tail). Near 0, from the series of positive terms
 * {@code erf(x) = (2 / sqrt(pi)) x exp(-x^2) sum_n (2 x^2)^n / (1 * 3 * ... * (2n + 1))} (Abramowitz and Stegun
 * 7.1.6) and its normal form {@code Phi(z) - 1/2 = z phi(z) sum_n z^(2n) / (1 * 3 * ... * (2n + 1))} (A&amp;S
 * 26.2.11), which have no cancellation; they are used up to {@code x = 1.5} ({@code z = 1.5 sqrt(2)}), where the tail
 * is above 0.03, so subtracting from 1 loses less than two digits. Beyond, from Laplace's continued fractions
 * {@code erfc(x) = (exp(-x^2) / sqrt(pi)) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))} (A&amp;S 7.1.14) and
 * {@code Q(z) = phi(z) / (z + 1 / (z + 2 / (z + 3 / (z + ...))))} (A&amp;S 26.2.14), evaluated by the modified Lentz
 * method (Numerical Recipes, 3rd ed., 5.2); they converge in fewer than 100 terms there and keep their relative
 * accuracy far into the tail. {@code exp(-x^2)} is taken as {@code exp(-s^2) exp(-(x - s)(x + s))} with {@code s} the
 * multiple of 1/16 below {@code x}, whose square is exact, so that rounding {@code x^2} does not cost {@code x^2}
 * ulps (Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969).
 */
final class Normal {

    private static final double ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** Below it {@code erfc} comes from the series, from it on from the continued fraction. */
    private static final double ERFC_SWITCH = 1.5;
    /** The same point for the normal tail: {@code 1.5 sqrt(2)}. */
    private static final double TAIL_SWITCH = 2.12;
    /** {@code erfc(27) < 1e-318}: from there on it is 0 in double precision. */
    private static final double ERFC_ZERO_FROM = 27;
    /** {@code Q(38.5) < 1e-323}. */
    private static final double TAIL_ZERO_FROM = 38.5;
    private static final double TINY = 1e-300;
    private static final int MAX_TERMS = 500;

    private Normal() {
    }

    /** The complementary error function {@code erfc(x) = (2 / sqrt(pi)) int_x^inf exp(-t^2) dt}. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x >= ERFC_ZERO_FROM) {
            return 0;
        }
        double e = expMinusSquare(x, 1);
        if (x < ERFC_SWITCH) {
            return 1 - 2 * ONE_OVER_SQRT_PI * x * e * positiveSeries(2 * x * x);
        }
        return ONE_OVER_SQRT_PI * e / continuedFraction(x, 0.5);
    }

    /** The standard normal upper tail {@code Q(z) = P(Z > z) = erfc(z / sqrt(2)) / 2}. */
    static double upperTail(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        if (z < 0) {
            return 1 - upperTail(-z);
        }
        if (z >= TAIL_ZERO_FROM) {
            return 0;
        }
        double phi = ONE_OVER_SQRT_2PI * expMinusSquare(z, 0.5);
        if (z < TAIL_SWITCH) {
            return 0.5 - z * phi * positiveSeries(z * z);
        }
        return phi / continuedFraction(z, 1);
    }

    /** The standard normal distribution function {@code Phi(z) = P(Z <= z) = Q(-z)}. */
    static double cdf(double z) {
        return upperTail(-z);
    }

    /**
     * {@code P(a < Z <= b) = Phi(b) - Phi(a)} for {@code a <= b}, computed from the tails that keep their relative
     * accuracy: the upper tails when both ends are above 0, the lower tails when both are below.
     */
    static double probability(double a, double b) {
        if (a >= 0) {
            return upperTail(a) - upperTail(b);
        }
        if (b <= 0) {
            return upperTail(-b) - upperTail(-a);
        }
        return 1 - upperTail(-a) - upperTail(b);
    }

    /** {@code sum_n t^n / (1 * 3 * ... * (2n + 1))}. */
    private static double positiveSeries(double t) {
        double term = 1;
        double sum = 1;
        for (int n = 1; n < MAX_TERMS; n++) {
            term *= t / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    /** {@code b + step / (b + 2 step / (b + 3 step / (b + ...)))} by the modified Lentz method. */
    private static double continuedFraction(double b, double step) {
        double f = b;
        double c = b;
        double d = 0;
        for (int n = 1; n < MAX_TERMS; n++) {
            double a = step * n;
            d = b + a * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + a / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return f;
    }

    /**
     * {@code exp(-scale x^2)} for {@code x >= 0} and a scale of 1 or 1/2, with the square split so that its rounding
     * does not grow with {@code x}: {@code scale s^2} is exact for {@code s} a multiple of 1/16 below 38.5.
     */
    private static double expMinusSquare(double x, double scale) {
        double s = Math.floor(16 * x) / 16;
        return Math.exp(-scale * s * s) * Math.exp(-scale * (x - s) * (x + s));
    }
}
