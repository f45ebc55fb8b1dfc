package io.github.losslab.analysis.hessian;

import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;

import java.util.Locale;

/**
 * A stochastic estimate of a trace: the mean of the probe samples {@code v^T H v}, its standard error
 * ({@code sd / sqrt(probes)}, the run-to-run spread one would see between estimates), the samples themselves, and
 * the products and time spent.
 */
public record TraceEstimate(double mean, double standardError, double[] samples, long products, double wallSeconds,
                            CurvatureMethod curvatureMethod, Precision precision) {

    public TraceEstimate {
        samples = samples.clone();
    }

    @Override
    public double[] samples() {
        return samples.clone();
    }

    /** Probes drawn. */
    public int probes() {
        return samples.length;
    }

    /** The sample standard deviation of one probe's value. */
    public double probeStandardDeviation() {
        return standardError * Math.sqrt(samples.length);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TraceEstimate[%.6g +- %.2g over %d probes, %s]", mean, standardError,
                samples.length, curvatureMethod.configName());
    }
}
