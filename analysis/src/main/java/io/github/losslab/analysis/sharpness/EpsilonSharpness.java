package io.github.losslab.analysis.sharpness;

import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Batch;

import java.util.SplittableRandom;

/**
 * Epsilon-sharpness (Keskar et al. 2017, Metric 2.1, full space, A = I):
 * {@code 100 * (max_{y in C} L(theta + y) - L(theta)) / (1 + L(theta))} over the box
 * {@code C = { y : |y_i| <= eps (|theta_i| + 1) }}. The paper maximises with L-BFGS-B; here the maximisation is
 * projected sign-gradient ascent with steps scaled to the box: step {@code t = 0, 1, ...} moves every coordinate by
 * {@code sign(g_i) r_i / (t + 1)}, {@code r_i = eps (|theta_i| + 1)} the box's radius along it, and clips it to the
 * box. The first step is the full radius (half the box's width), so from the centre it reaches a corner; later ones
 * shrink as {@code r / 2, r / 3, ...}. The ascent starts from the centre and from seeded random corners and keeps
 * the best value found. It is a lower bound of the true maximum, as the paper's is.
 *
 * @param sharpness  the value above, in percent
 * @param epsilon    the box radius
 * @param baseLoss   {@code L(theta)}
 * @param maxLoss    the largest loss found in the box
 * @param evaluations loss-and-gradient evaluations used
 */
public record EpsilonSharpness(double sharpness, double epsilon, double baseLoss, double maxLoss, int evaluations) {

    /** The paper's smaller box. */
    public static final double EPSILON_DEFAULT = 1e-3;
    /** Ascent steps per start. */
    public static final int STEPS_DEFAULT = 20;
    /** Random starts besides the centre. */
    public static final int RESTARTS_DEFAULT = 2;

    /**
     * Measures the sharpness of {@code model} at its current parameters on {@code batch}; the parameters are
     * restored afterwards.
     */
    public static EpsilonSharpness measure(Model model, Batch batch, double epsilon, int steps, int restarts,
                                           long seed) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("sharpness epsilon must be > 0, was " + epsilon);
        }
        if (steps < 1 || restarts < 0) {
            throw new IllegalArgumentException("sharpness needs at least 1 step and 0 or more restarts, were " + steps
                    + " and " + restarts);
        }
        double[] theta = model.parameters();
        int n = theta.length;
        double[] radius = new double[n];
        for (int i = 0; i < n; i++) {
            radius[i] = epsilon * (Math.abs(theta[i]) + 1);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int evaluations = 0;
        double base;
        double best;
        double[] p = new double[n];
        try {
            base = model.loss(batch);
            best = base;
            for (int start = 0; start <= restarts; start++) {
                double[] y = new double[n];
                if (start > 0) {
                    for (int i = 0; i < n; i++) {
                        y[i] = random.nextBoolean() ? radius[i] : -radius[i];
                    }
                }
                for (int step = 0; step < steps; step++) {
                    for (int i = 0; i < n; i++) {
                        p[i] = theta[i] + y[i];
                    }
                    model.setParameters(p);
                    LossAndGradient lg = model.lossAndGradient(batch);
                    evaluations++;
                    best = Math.max(best, lg.loss());
                    double[] g = lg.gradient();
                    for (int i = 0; i < n; i++) {
                        double next = y[i] + Math.signum(g[i]) * radius[i] / (1 + step);
                        y[i] = Math.max(-radius[i], Math.min(radius[i], next));
                    }
                }
                for (int i = 0; i < n; i++) {
                    p[i] = theta[i] + y[i];
                }
                model.setParameters(p);
                best = Math.max(best, model.loss(batch));
                evaluations++;
            }
        } finally {
            model.setParameters(theta);
        }
        return new EpsilonSharpness(100 * (best - base) / (1 + base), epsilon, base, best, evaluations);
    }
}
