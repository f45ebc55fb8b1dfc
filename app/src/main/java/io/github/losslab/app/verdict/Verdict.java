package io.github.losslab.app.verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A paper's claim tested over seeds. The statistic is measured once per seed; the claim holds when the statistic is
 * beyond the threshold in the claimed direction. The outcome is {@link Outcome#REPRODUCED} when the whole 95%
 * confidence interval of its mean (Student's t over the seeds) is beyond the threshold, {@link Outcome#NOT_REPRODUCED}
 * when the whole interval is on the other side, and {@link Outcome#INCONCLUSIVE} when the interval contains the
 * threshold, or fewer than two seeds gave a finite value.
 *
 * @param claim       the claim in one sentence
 * @param source      where it comes from ({@code Keskar et al. 2017})
 * @param statistic   what is measured per seed, in words, with its unit
 * @param values      the statistic of each seed, in seed order (NaN for a seed that gave none)
 * @param direction   on which side of the threshold the claim puts the statistic
 * @param threshold   the threshold
 * @param outcome     the verdict
 * @param explanation why, in a sentence or two: what was seen, and for a claim that did not reproduce, what setting
 *                    would show it
 */
public record Verdict(String claim, String source, String statistic, double[] values, Direction direction,
                      double threshold, Outcome outcome, String explanation) {

    /** On which side of the threshold the claim puts the statistic. */
    public enum Direction {
        ABOVE("above", ">"), BELOW("below", "<");

        private final String word;
        private final String symbol;

        Direction(String word, String symbol) {
            this.word = word;
            this.symbol = symbol;
        }

        public String word() {
            return word;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** The verdict on a claim. */
    public enum Outcome {
        REPRODUCED("reproduced"), NOT_REPRODUCED("not reproduced"), INCONCLUSIVE("inconclusive");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Outcome parse(String text) {
            for (Outcome o : values()) {
                if (o.label.equals(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown verdict '" + text + "'");
        }
    }

    /** Two-sided 97.5% quantiles of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    public Verdict {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(statistic, "statistic");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(outcome, "outcome");
        values = values.clone();
        explanation = explanation == null ? "" : explanation;
    }

    /**
     * Tests a claim: computes the outcome from the per-seed values.
     *
     * @param explanation what to add to the automatic sentence, or null; typically, for a claim that may not
     *                    reproduce at this size, what setting would show it
     */
    public static Verdict test(String claim, String source, String statistic, double[] values, Direction direction,
                               double threshold, String explanation) {
        Summary s = Summary.of(values);
        Outcome outcome;
        if (s.n() < 2) {
            outcome = Outcome.INCONCLUSIVE;
        } else {
            boolean beyond = direction == Direction.ABOVE ? s.low() > threshold : s.high() < threshold;
            boolean against = direction == Direction.ABOVE ? s.high() < threshold : s.low() > threshold;
            outcome = beyond ? Outcome.REPRODUCED : against ? Outcome.NOT_REPRODUCED : Outcome.INCONCLUSIVE;
        }
        String seen = s.n() < 2 ? "fewer than two seeds gave a value"
                : String.format(Locale.ROOT, "%s = %s ± %s (mean ± sd over %d seeds; 95%% CI %s to %s), claimed %s %s",
                statistic, num(s.mean()), num(s.sd()), s.n(), num(s.low()), num(s.high()), direction.symbol(),
                num(threshold));
        String why = seen + "." + (explanation == null || explanation.isBlank() ? "" : " " + explanation.strip());
        return new Verdict(claim, source, statistic, values, direction, threshold, outcome, why);
    }

    /** The statistic over the seeds with a finite value. */
    public Summary summary() {
        return Summary.of(values);
    }

    /** This verdict as a {@code summary.json} entry. */
    public Map<String, Object> toMap() {
        Summary s = summary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claim", claim);
        m.put("source", source);
        m.put("statistic", statistic);
        List<Double> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        m.put("values", v);
        m.put("seeds", s.n());
        m.put("mean", s.mean());
        m.put("sd", s.sd());
        m.put("ci95Low", s.low());
        m.put("ci95High", s.high());
        m.put("direction", direction.word());
        m.put("threshold", threshold);
        m.put("verdict", outcome.label());
        m.put("explanation", explanation);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verdict v && claim.equals(v.claim) && source.equals(v.source)
                && statistic.equals(v.statistic) && Arrays.equals(values, v.values) && direction == v.direction
                && Double.compare(threshold, v.threshold) == 0 && outcome == v.outcome
                && explanation.equals(v.explanation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(claim, source, statistic, Arrays.hashCode(values), direction, threshold, outcome);
    }

    @Override
    public String toString() {
        return outcome.label() + ": " + claim + " (" + source + "): " + explanation;
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        String t = String.format(Locale.ROOT, "%.4g", v);
        return t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
    }

    /**
     * Mean, standard deviation and 95% confidence interval of the mean (Student's t) of the finite values.
     *
     * @param n    finite values
     * @param mean their mean (NaN for none)
     * @param sd   their sample standard deviation (NaN for fewer than two)
     * @param low  the interval's lower end (NaN for fewer than two)
     * @param high its upper end
     */
    public record Summary(int n, double mean, double sd, double low, double high) {

        public static Summary of(double[] values) {
            double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
            int n = v.length;
            if (n == 0) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            if (n == 1) {
                return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
            }
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(ss / (n - 1));
            double t = n - 1 <= T975.length ? T975[n - 2] : 1.960;
            double half = t * sd / Math.sqrt(n);
            return new Summary(n, mean, sd, mean - half, mean + half);
        }
    }
}
