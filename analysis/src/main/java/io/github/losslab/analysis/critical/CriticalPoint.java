package io.github.losslab.analysis.critical;

import io.github.losslab.api.CurvatureMethod;

import java.util.Locale;

/**
 * The outcome of a {@link CriticalPointSearch}: where it ended (gradient norm and loss, with those it started from),
 * whether the gradient norm fell below the tolerance, why it stopped, and what it cost.
 *
 * @param gradientNorms       the gradient norm before the first step and after each accepted step
 * @param hessianProducts     Hessian-vector products spent
 * @param gradientEvaluations loss-and-gradient evaluations spent (one per line-search trial)
 */
public record CriticalPoint(double gradientNorm, double loss, double initialGradientNorm, double initialLoss,
                            int steps, boolean converged, CriticalPointSearch.Stop stop, double tolerance,
                            long hessianProducts, long gradientEvaluations, double wallSeconds,
                            double[] gradientNorms, CurvatureMethod curvatureMethod) {

    public CriticalPoint {
        gradientNorms = gradientNorms.clone();
    }

    @Override
    public double[] gradientNorms() {
        return gradientNorms.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CriticalPoint[%s after %d steps: |g| %.3e -> %.3e, loss %.6g -> %.6g, "
                        + "%d Hessian-vector products (%s), %.2f s]", stop, steps, initialGradientNorm, gradientNorm,
                initialLoss, loss, hessianProducts, curvatureMethod.configName(), wallSeconds);
    }
}
