package io.github.losslab.analysis.hessian;

/**
 * The curvature of the training loss at one step of a training, as a {@link CurvatureTracker} measured it on its
 * sample: the largest Hessian eigenvalue (the sharpness of Cohen et al. 2021), Hutchinson's trace estimate and, when
 * asked for, the eigenvalue density.
 *
 * @param step               optimizer steps taken before the measurement (0: the initial parameters)
 * @param topEigenvalue      the largest (algebraically) eigenvalue of the Hessian
 * @param topResidual        the norm of its Ritz residual {@code ||H y - theta y||}
 * @param iterations         Lanczos steps (Hessian-vector products) the eigenvalue took
 * @param converged          whether the eigenvalue met the tracker's residual tolerance
 * @param trace              Hutchinson's estimate of the trace; NaN when the tracker estimates none
 * @param traceStandardError its standard error over the probes; NaN when there is no estimate
 * @param density            the eigenvalue density by stochastic Lanczos quadrature; null unless asked for
 * @param products           Hessian-vector products of the whole measurement
 * @param seconds            wall time of the whole measurement
 */
public record CurvatureMeasurement(long step, double topEigenvalue, double topResidual, int iterations,
                                   boolean converged, double trace, double traceStandardError,
                                   SpectralDensity density, long products, double seconds) {

    /** Whether the measurement holds a trace estimate. */
    public boolean hasTrace() {
        return !Double.isNaN(trace);
    }

    /** Whether the measurement holds an eigenvalue density. */
    public boolean hasDensity() {
        return density != null;
    }
}
