package io.github.losslab.api.model;

import java.util.List;

/** Flattens a multi-dimensional sample into a vector (row-major). No parameters. */
public record FlattenLayer() implements LayerSpec {

    @Override
    public int[] outputShape(int[] inputShape) {
        return new int[] {ModelSpec.product(inputShape)};
    }

    @Override
    public List<ParameterLayout.TensorShape> parameterShapes(int[] inputShape) {
        return List.of();
    }
}
