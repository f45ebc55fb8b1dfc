package io.github.losslab.api.model;

/** One layer of a {@link ModelSpec}. */
public sealed interface LayerSpec permits DenseLayer, Conv2dLayer, MaxPool2dLayer, FlattenLayer {

    /** Output shape of this layer for the given input shape (without the batch dimension). */
    int[] outputShape(int[] inputShape);

    /** Parameter tensors of this layer for the given input shape, in flat-vector order. */
    java.util.List<ParameterLayout.TensorShape> parameterShapes(int[] inputShape);
}
