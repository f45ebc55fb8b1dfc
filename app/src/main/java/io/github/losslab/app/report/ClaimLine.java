package io.github.losslab.app.report;

import java.util.Objects;

/**
 * One claim of an experiment as the report shows it: the claim and its source, the statistic over seeds, the
 * threshold and the verdict, as the experiment's {@code summary.json} holds them ({@code verdicts}).
 *
 * @param claim       the claim in one sentence
 * @param source      where it comes from
 * @param statistic   what was measured per seed
 * @param verdict     {@code reproduced}, {@code not reproduced} or {@code inconclusive}
 * @param seeds       seeds with a value
 * @param mean        the statistic's mean over them
 * @param sd          its standard deviation
 * @param low         the lower end of its 95% confidence interval
 * @param high        the upper end
 * @param direction   {@code above} or {@code below}: where the claim puts the statistic
 * @param threshold   the threshold
 * @param explanation what was seen and why
 */
public record ClaimLine(String claim, String source, String statistic, String verdict, int seeds, double mean,
                        double sd, double low, double high, String direction, double threshold, String explanation) {

    public ClaimLine {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(verdict, "verdict");
        source = source == null ? "" : source;
        statistic = statistic == null ? "" : statistic;
        direction = direction == null ? "" : direction;
        explanation = explanation == null ? "" : explanation;
    }
}
