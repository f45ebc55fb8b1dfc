package io.github.losslab.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable description of a feed-forward network: the input shape (without the batch dimension), the
 * layers in order, and the loss. It counts its parameters and lays them out without any backend.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder(784).dense(128, Activation.RELU).dense(10, Activation.IDENTITY)
 *         .loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
 * }</pre>
 */
public final class ModelSpec {

    private final int[] inputShape;
    private final List<LayerSpec> layers;
    private final Loss loss;
    private final ParameterLayout layout;

    private ModelSpec(int[] inputShape, List<LayerSpec> layers, Loss loss) {
        this.inputShape = inputShape.clone();
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.loss = loss;
        List<List<ParameterLayout.TensorShape>> tensors = new ArrayList<>();
        int[] shape = this.inputShape;
        long total = 0;
        for (LayerSpec layer : layers) {
            List<ParameterLayout.TensorShape> shapes = layer.parameterShapes(shape);
            for (ParameterLayout.TensorShape t : shapes) {
                total = ParameterLayout.saturatingAdd(total, ParameterLayout.elements(t.shape()));
            }
            tensors.add(shapes);
            shape = layer.outputShape(shape);
        }
        if (total > ParameterLayout.MAX_PARAMETERS) {
            throw new IllegalArgumentException("model " + describe() + " has " + ParameterLayout.count(total)
                    + " parameters, more than the limit of " + ParameterLayout.count(ParameterLayout.MAX_PARAMETERS)
                    + " (the longest Java array, which holds the flat parameter vector); use fewer or narrower"
                    + " layers");
        }
        List<ParameterLayout.Segment> segments = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < tensors.size(); i++) {
            for (ParameterLayout.TensorShape t : tensors.get(i)) {
                segments.add(new ParameterLayout.Segment("layer" + i + "/" + t.name(), i, offset, t.shape()));
                offset += t.size();
            }
        }
        this.layout = new ParameterLayout(segments);
    }

    public static Builder builder(int... inputShape) {
        return new Builder(inputShape);
    }

    /**
     * A multi-layer perceptron: {@code hidden.length} hidden dense layers with one activation, then a linear
     * output layer of {@code outputs} units.
     */
    public static ModelSpec mlp(int inputs, int[] hidden, int outputs, Activation activation, Loss loss) {
        Builder b = builder(inputs);
        for (int h : hidden) {
            b.dense(h, activation);
        }
        return b.dense(outputs, Activation.IDENTITY).loss(loss).build();
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Number of input features per sample (product of the input shape). */
    public int inputSize() {
        return product(inputShape);
    }

    /** Number of outputs per sample (logits for cross-entropy). */
    public int outputSize() {
        return product(outputShape());
    }

    public int[] outputShape() {
        int[] shape = inputShape;
        for (LayerSpec l : layers) {
            shape = l.outputShape(shape);
        }
        return shape.clone();
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    public Loss loss() {
        return loss;
    }

    /** Where each parameter tensor sits in the flat parameter vector. */
    public ParameterLayout layout() {
        return layout;
    }

    /** Total number of trainable parameters, at most {@link ParameterLayout#MAX_PARAMETERS}. */
    public int parameterCount() {
        return layout.size();
    }

    /** Widths of the hidden dense layers (every dense layer but the last). */
    public int[] hiddenWidths() {
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i) instanceof DenseLayer d) {
                widths.add(d.units());
            }
        }
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A compact description such as {@code 784-128-10 relu, cross-entropy}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join("x", Arrays.stream(inputShape).mapToObj(Integer::toString).toList()));
        String act = null;
        for (LayerSpec l : layers) {
            if (l instanceof DenseLayer d) {
                sb.append('-').append(d.units());
                if (d.activation() != Activation.IDENTITY) {
                    act = d.activation().configName();
                }
            } else if (l instanceof Conv2dLayer c) {
                sb.append("-c").append(c.filters()).append('k').append(c.kernelSize());
                if (c.stride() != 1) {
                    sb.append('s').append(c.stride());
                }
                act = c.activation() == Activation.IDENTITY ? act : c.activation().configName();
            } else if (l instanceof MaxPool2dLayer p) {
                sb.append("-p").append(p.size());
            }
        }
        if (act != null) {
            sb.append(' ').append(act);
        }
        sb.append(", ").append(loss.configName());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && Arrays.equals(m.inputShape, inputShape) && m.layers.equals(layers)
                && m.loss == loss;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(inputShape), layers, loss);
    }

    @Override
    public String toString() {
        return "ModelSpec[" + describe() + ", " + parameterCount() + " parameters]";
    }

    static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
        }
        return (int) p;
    }

    /** Builds a {@link ModelSpec}; {@link #build()} checks that there is at least one layer and a loss. */
    public static final class Builder {
        private final int[] inputShape;
        private final List<LayerSpec> layers = new ArrayList<>();
        private Loss loss;

        private Builder(int[] inputShape) {
            if (inputShape == null || inputShape.length == 0) {
                throw new IllegalArgumentException("input shape must have at least one dimension");
            }
            for (int d : inputShape) {
                if (d < 1) {
                    throw new IllegalArgumentException("input shape dimensions must be at least 1, was "
                            + Arrays.toString(inputShape));
                }
            }
            this.inputShape = inputShape.clone();
        }

        public Builder dense(int units, Activation activation) {
            return layer(new DenseLayer(units, activation));
        }

        /** A convolution with SAME padding and stride 1. */
        public Builder conv2d(int filters, int kernelSize, Activation activation) {
            return layer(new Conv2dLayer(filters, kernelSize, 1, Padding.SAME, activation));
        }

        public Builder maxPool(int size) {
            return layer(new MaxPool2dLayer(size, size));
        }

        public Builder flatten() {
            return layer(new FlattenLayer());
        }

        public Builder layer(LayerSpec layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        public Builder loss(Loss value) {
            this.loss = value;
            return this;
        }

        public ModelSpec build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException("a model needs at least one layer");
            }
            if (loss == null) {
                throw new IllegalStateException("a model needs a loss: call loss(Loss.MEAN_SQUARED_ERROR) or "
                        + "loss(Loss.SOFTMAX_CROSS_ENTROPY)");
            }
            return new ModelSpec(inputShape, layers, loss);
        }
    }
}
