package io.github.losslab.tf;

import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.DenseLayer;
import io.github.losslab.api.model.FlattenLayer;
import io.github.losslab.api.model.LayerSpec;
import io.github.losslab.api.model.MaxPool2dLayer;
import io.github.losslab.api.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

import java.util.List;

/** Records a {@link ModelSpec}'s forward pass in a graph. */
final class TfForward {

    private TfForward() {
    }

    /**
     * The network's outputs (logits for cross-entropy), one row per input row.
     *
     * @param params  the parameter tensors in {@link io.github.losslab.api.model.ParameterLayout} order
     * @param biasAdd add biases with {@code BiasAdd}, which the graph optimizer fuses into the preceding matrix
     *                product or convolution; its gradient has no second-order gradient in TensorFlow Java, so graphs
     *                that are differentiated twice pass false and get a plain {@code Add}
     */
    static Operand<TNumber> build(Ops tf, ModelSpec spec, Operand<TNumber> input, List<Operand<TNumber>> params,
                                  boolean biasAdd) {
        Operand<TNumber> h = input;
        int[] shape = spec.inputShape();
        int param = 0;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof DenseLayer d) {
                if (shape.length > 1) {
                    h = tf.reshape(h, tf.constant(new int[] {-1, product(shape)}));
                }
                Operand<TNumber> kernel = params.get(param++);
                Operand<TNumber> bias = params.get(param++);
                h = activation(tf, addBias(tf, tf.linalg.matMul(h, kernel), bias, biasAdd), d.activation());
            } else if (layer instanceof Conv2dLayer c) {
                h = tf.reshape(h, tf.constant(new int[] {-1, shape[0], shape[1], shape[2]}));
                Operand<TNumber> kernel = params.get(param++);
                Operand<TNumber> bias = params.get(param++);
                Operand<TNumber> z = tf.nn.conv2d(h, kernel, List.of(1L, (long) c.stride(), (long) c.stride(), 1L),
                        c.padding().name());
                h = activation(tf, addBias(tf, z, bias, biasAdd), c.activation());
            } else if (layer instanceof MaxPool2dLayer p) {
                h = tf.reshape(h, tf.constant(new int[] {-1, shape[0], shape[1], shape[2]}));
                h = tf.nn.maxPool(h, tf.constant(new int[] {1, p.size(), p.size(), 1}),
                        tf.constant(new int[] {1, p.stride(), p.stride(), 1}), "VALID");
            } else if (layer instanceof FlattenLayer) {
                h = tf.reshape(h, tf.constant(new int[] {-1, product(shape)}));
            } else {
                throw new IllegalArgumentException("the TensorFlow backend does not support layer " + layer);
            }
            shape = layer.outputShape(shape);
        }
        if (shape.length > 1) {
            h = tf.reshape(h, tf.constant(new int[] {-1, product(shape)}));
        }
        return h;
    }

    /** The largest number of values one sample holds at the output of any layer. */
    static int widestHiddenActivation(ModelSpec spec) {
        int[] shape = spec.inputShape();
        int widest = 1;
        for (LayerSpec layer : spec.layers()) {
            shape = layer.outputShape(shape);
            widest = Math.max(widest, product(shape));
        }
        return widest;
    }

    private static Operand<TNumber> addBias(Ops tf, Operand<TNumber> z, Operand<TNumber> bias, boolean biasAdd) {
        return biasAdd ? tf.nn.biasAdd(z, bias) : tf.math.add(z, bias);
    }

    private static Operand<TNumber> activation(Ops tf, Operand<TNumber> z, Activation a) {
        switch (a) {
            case RELU: return tf.nn.relu(z);
            case TANH: return tf.math.tanh(z);
            case SIGMOID: return tf.math.sigmoid(z);
            case IDENTITY: return z;
            default: throw new IllegalArgumentException("unsupported activation " + a);
        }
    }

    static int product(int[] shape) {
        int p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }
}
