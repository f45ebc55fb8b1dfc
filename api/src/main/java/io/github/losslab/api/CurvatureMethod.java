package io.github.losslab.api;

/** How a model computes Hessian-vector products; every curvature result records which was used. */
public enum CurvatureMethod {
    /** Exact, by differentiating the gradient a second time (Pearlmutter 1994). */
    EXACT,
    /**
     * Central differences of gradients, {@code (g(theta + h v) - g(theta - h v)) / 2h}: error O(h^2) plus
     * rounding; good to about 1e-8 relative in float64, poor in float32.
     */
    FINITE_DIFFERENCES;

    public String configName() {
        return this == EXACT ? "exact" : "finite-differences";
    }
}
