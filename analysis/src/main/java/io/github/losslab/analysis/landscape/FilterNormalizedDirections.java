package io.github.losslab.analysis.landscape;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterLayout;

import java.util.SplittableRandom;

/**
 * Random directions in parameter space with filter normalization (Li, Xu, Taylor, Studer and Goldstein 2018,
 * "Visualizing the Loss Landscape of Neural Nets"): a Gaussian direction is rescaled filter by filter so that each
 * filter of the direction has the norm of the same filter of the model. A filter is one output unit's incoming
 * weights: a column of a dense kernel {@code [in, out]}, one output channel of a convolution kernel
 * {@code [kh, kw, in, out]}. Bias entries of the direction are zero, as in the authors' default.
 */
public final class FilterNormalizedDirections {

    private FilterNormalizedDirections() {
    }

    /** One filter-normalized random direction for the parameters {@code theta} of {@code spec}. */
    public static double[] random(ModelSpec spec, double[] theta, long seed) {
        spec.layout().checkLength(theta);
        SplittableRandom random = new SplittableRandom(seed);
        double[] d = new double[theta.length];
        for (ParameterLayout.Segment s : spec.layout().segments()) {
            int[] shape = s.shape();
            if (shape.length < 2) {
                continue;
            }
            for (int i = 0; i < s.size(); i++) {
                d[s.offset() + i] = random.nextGaussian();
            }
            normalize(d, theta, s);
        }
        return d;
    }

    /** Rescales each filter of {@code d} in segment {@code s} to the norm of that filter in {@code theta}. */
    static void normalize(double[] d, double[] theta, ParameterLayout.Segment s) {
        int[] shape = s.shape();
        int filters = shape[shape.length - 1];
        int per = s.size() / filters;
        for (int f = 0; f < filters; f++) {
            double dn = 0;
            double tn = 0;
            for (int k = 0; k < per; k++) {
                int i = s.offset() + k * filters + f;
                dn += d[i] * d[i];
                tn += theta[i] * theta[i];
            }
            double scale = dn == 0 ? 0 : Math.sqrt(tn / dn);
            for (int k = 0; k < per; k++) {
                d[s.offset() + k * filters + f] *= scale;
            }
        }
    }
}
