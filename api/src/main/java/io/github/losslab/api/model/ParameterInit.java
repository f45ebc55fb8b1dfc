package io.github.losslab.api.model;

import java.util.SplittableRandom;

/**
 * Backend-independent parameter initialisation, so that one seed gives the same starting point on every backend.
 * Dense and convolution layers use PyTorch's {@code nn.Linear}/{@code nn.Conv2d} default (fan-in of a convolution is
 * {@code kernel * kernel * inChannels}): kernel and bias uniform in
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]} (He et al. 2015 uniform with a = sqrt(5)).
 */
public final class ParameterInit {

    private ParameterInit() {
    }

    /** A fresh parameter vector for {@code spec}, drawn from {@code seed}. */
    public static double[] initial(ModelSpec spec, long seed) {
        double[] theta = new double[spec.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (ParameterLayout.Segment s : spec.layout().segments()) {
            LayerSpec layer = spec.layers().get(s.layer());
            int fanIn = fanIn(spec, s.layer());
            double bound = 1.0 / Math.sqrt(fanIn);
            if (layer instanceof Conv2dLayer) {
                int[] kernel = spec.layout().segment("layer" + s.layer() + "/kernel").shape();
                bound = 1.0 / Math.sqrt((double) kernel[0] * kernel[1] * kernel[2]);
            }
            if (layer instanceof DenseLayer || layer instanceof Conv2dLayer) {
                for (int i = 0; i < s.size(); i++) {
                    theta[s.offset() + i] = random.nextDouble(-bound, bound);
                }
            }
        }
        return theta;
    }

    private static int fanIn(ModelSpec spec, int layerIndex) {
        int[] shape = spec.inputShape();
        for (int i = 0; i < layerIndex; i++) {
            shape = spec.layers().get(i).outputShape(shape);
        }
        return ModelSpec.product(shape);
    }
}
