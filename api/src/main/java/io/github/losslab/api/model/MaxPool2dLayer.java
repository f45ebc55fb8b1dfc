package io.github.losslab.api.model;

import java.util.List;

/** Max pooling over {@code size x size} windows moved by {@code stride}, without padding. No parameters. */
public record MaxPool2dLayer(int size, int stride) implements LayerSpec {

    public MaxPool2dLayer {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("pooling size and stride must be at least 1, were " + size + ", "
                    + stride);
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Conv2dLayer.requireImage(inputShape, "max pooling");
        int h = (inputShape[0] - size) / stride + 1;
        int w = (inputShape[1] - size) / stride + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("a " + size + "x" + size + " pooling window does not fit an input of "
                    + inputShape[0] + "x" + inputShape[1]);
        }
        return new int[] {h, w, inputShape[2]};
    }

    @Override
    public List<ParameterLayout.TensorShape> parameterShapes(int[] inputShape) {
        return List.of();
    }
}
