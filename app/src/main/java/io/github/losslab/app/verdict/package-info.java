/**
 * Whether an experiment saw what its paper claims: a {@link Verdict} states the claim and its source, the statistic
 * that tests it with its value over seeds (mean, standard deviation, a 95% confidence interval), the threshold, and
 * the outcome, computed from the numbers: reproduced, not reproduced or inconclusive.
 */
package io.github.losslab.app.verdict;
