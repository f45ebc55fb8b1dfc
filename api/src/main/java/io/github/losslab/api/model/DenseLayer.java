package io.github.losslab.api.model;

import java.util.List;

/**
 * A fully connected layer {@code y = act(x W + b)} with kernel {@code W} of shape {@code [in, units]} and bias
 * {@code b} of shape {@code [units]}. A multi-dimensional input is flattened first.
 */
public record DenseLayer(int units, Activation activation) implements LayerSpec {

    public DenseLayer {
        if (units < 1) {
            throw new IllegalArgumentException("dense layer units must be at least 1, was " + units);
        }
        if (activation == null) {
            throw new IllegalArgumentException("dense layer activation must not be null");
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return new int[] {units};
    }

    @Override
    public List<ParameterLayout.TensorShape> parameterShapes(int[] inputShape) {
        int in = ModelSpec.product(inputShape);
        return List.of(new ParameterLayout.TensorShape("kernel", new int[] {in, units}),
                new ParameterLayout.TensorShape("bias", new int[] {units}));
    }
}
