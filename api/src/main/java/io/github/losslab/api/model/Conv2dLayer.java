package io.github.losslab.api.model;

import java.util.List;

/**
 * A 2-D convolution over inputs of shape {@code [height, width, channels]} (channels last) with {@code filters}
 * square kernels of {@code kernelSize}, then a bias per filter and the activation. Kernel shape
 * {@code [kernelSize, kernelSize, inChannels, filters]}, bias shape {@code [filters]}.
 */
public record Conv2dLayer(int filters, int kernelSize, int stride, Padding padding, Activation activation)
        implements LayerSpec {

    public Conv2dLayer {
        if (filters < 1 || kernelSize < 1 || stride < 1) {
            throw new IllegalArgumentException("convolution filters, kernel size and stride must be at least 1, were "
                    + filters + ", " + kernelSize + ", " + stride);
        }
        if (padding == null || activation == null) {
            throw new IllegalArgumentException("convolution padding and activation must not be null");
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        requireImage(inputShape, "convolution");
        return new int[] {outSize(inputShape[0]), outSize(inputShape[1]), filters};
    }

    private int outSize(int in) {
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in - kernelSize) / stride + 1;
        if (out < 1) {
            throw new IllegalArgumentException("a " + kernelSize + "x" + kernelSize + " convolution with VALID "
                    + "padding does not fit an input of size " + in);
        }
        return out;
    }

    @Override
    public List<ParameterLayout.TensorShape> parameterShapes(int[] inputShape) {
        requireImage(inputShape, "convolution");
        return List.of(new ParameterLayout.TensorShape("kernel",
                        new int[] {kernelSize, kernelSize, inputShape[2], filters}),
                new ParameterLayout.TensorShape("bias", new int[] {filters}));
    }

    static void requireImage(int[] shape, String what) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("a " + what + " needs an input of shape [height, width, channels], was "
                    + java.util.Arrays.toString(shape));
        }
    }
}
