package io.github.losslab.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.DenseLayer;
import io.github.losslab.api.model.FlattenLayer;
import io.github.losslab.api.model.LayerSpec;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.MaxPool2dLayer;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;

import java.util.ArrayList;
import java.util.List;

/**
 * The computation of a {@link ModelSpec} on DJL arrays, written as the TensorFlow backend writes it: activations
 * channels last ({@code [N, H, W, C]}), kernels as laid out by the spec, SAME padding as TensorFlow pads (the odd
 * pixel after), mean squared error averaged over every output, and cross-entropy as
 * {@code -mean(sum(onehot * logSoftmax))}.
 *
 * <p>Beside the values it can carry tangents (directional derivatives along a parameter direction {@code v}) through
 * the same layers: forward-mode differentiation, Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact
 * multiplication by the Hessian"). The tangent of the loss is {@code grad L . v} as a function of the parameters;
 * one ordinary backward pass of it gives the exact Hessian-vector product {@code H v}.
 */
final class PtNetwork {

    private final ModelSpec spec;
    private final DataType dtype;

    PtNetwork(ModelSpec spec, DataType dtype) {
        this.spec = spec;
        this.dtype = dtype;
    }

    /**
     * Outputs {@code [rows, outputSize]} of {@code x} ({@code [rows, inputSize]}).
     *
     * @param theta parameter tensors in layout order
     */
    NDArray forward(NDArray x, NDArray[] theta) {
        return run(x, theta, null)[0];
    }

    /**
     * Outputs and their tangents along the parameter direction {@code v} (tensors in layout order): the derivative
     * {@code d f(x; theta + t v) / dt} at {@code t = 0}.
     */
    NDArray[] forwardWithTangent(NDArray x, NDArray[] theta, NDArray[] v) {
        return run(x, theta, v);
    }

    private NDArray[] run(NDArray x, NDArray[] theta, NDArray[] v) {
        int[] shape = spec.inputShape();
        long rows = x.getShape().get(0);
        NDArray h = x.reshape(batchShape(rows, shape));
        NDArray dh = null; // tangent; null while it is zero (the inputs do not move)
        int p = 0;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof DenseLayer d) {
                NDArray w = theta[p];
                NDArray b = theta[p + 1];
                h = h.reshape(rows, product(shape));
                NDArray z = h.matMul(w).add(b);
                NDArray dz = null;
                if (v != null) {
                    dz = h.matMul(v[p]).add(v[p + 1]);
                    if (dh != null) {
                        dz = dz.add(dh.reshape(rows, product(shape)).matMul(w));
                    }
                }
                p += 2;
                NDArray[] a = activation(z, dz, d.activation());
                h = a[0];
                dh = a[1];
            } else if (layer instanceof Conv2dLayer c) {
                h = h.reshape(batchShape(rows, shape));
                dh = dh == null ? null : dh.reshape(batchShape(rows, shape));
                NDArray k = channelsFirstKernel(theta[p]);
                NDArray b = theta[p + 1];
                NDArray in = pad(channelsFirst(h), c, shape);
                NDArray z = channelsLast(convolve(in, k, c.stride())).add(b);
                NDArray dz = null;
                if (v != null) {
                    dz = channelsLast(convolve(in, channelsFirstKernel(v[p]), c.stride())).add(v[p + 1]);
                    if (dh != null) {
                        dz = dz.add(channelsLast(convolve(pad(channelsFirst(dh), c, shape), k, c.stride())));
                    }
                }
                p += 2;
                NDArray[] a = activation(z, dz, c.activation());
                h = a[0];
                dh = a[1];
            } else if (layer instanceof MaxPool2dLayer m) {
                h = h.reshape(batchShape(rows, shape));
                dh = dh == null ? null : dh.reshape(batchShape(rows, shape));
                NDArray in = channelsFirst(h);
                h = channelsLast(in.getNDArrayInternal().maxPool(new Shape(m.size(), m.size()),
                        new Shape(m.stride(), m.stride()), new Shape(0, 0), false));
                if (dh != null) {
                    dh = channelsLast(poolTangent(in, channelsFirst(dh), m, layer.outputShape(shape)));
                }
            } else if (layer instanceof FlattenLayer) {
                h = h.reshape(rows, product(shape));
                dh = dh == null ? null : dh.reshape(rows, product(shape));
            } else {
                throw new IllegalArgumentException("the PyTorch backend does not support layer " + layer);
            }
            shape = layer.outputShape(shape);
        }
        h = h.reshape(rows, product(shape));
        if (v == null) {
            return new NDArray[] {h};
        }
        return new NDArray[] {h, dh == null ? h.zerosLike() : dh.reshape(rows, product(shape))};
    }

    private static NDArray[] activation(NDArray z, NDArray dz, Activation a) {
        NDArray y;
        NDArray dy = null;
        switch (a) {
            case RELU -> {
                y = z.getNDArrayInternal().relu();
                if (dz != null) {
                    // the derivative is 0 at 0, as in PyTorch's and TensorFlow's gradients
                    dy = dz.mul(z.gt(0).toType(z.getDataType(), false));
                }
            }
            case TANH -> {
                y = z.tanh();
                if (dz != null) {
                    dy = dz.mul(y.square().neg().add(1));
                }
            }
            case SIGMOID -> {
                y = z.getNDArrayInternal().sigmoid();
                if (dz != null) {
                    dy = dz.mul(y.mul(y.neg().add(1)));
                }
            }
            case IDENTITY -> {
                y = z;
                dy = dz;
            }
            default -> throw new IllegalArgumentException("unsupported activation " + a);
        }
        return new NDArray[] {y, dy};
    }

    /** Mean loss over the rows. */
    NDArray loss(NDArray output, NDArray target) {
        return perSampleLoss(output, target).mean();
    }

    /** Loss of each row: {@code [rows]}. */
    NDArray perSampleLoss(NDArray output, NDArray target) {
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            return target.mul(output.logSoftmax(1)).sum(new int[] {1}).neg();
        }
        return output.sub(target).square().mean(new int[] {1});
    }

    /** The tangent of the mean loss, given the outputs and their tangents: a scalar. */
    NDArray lossTangent(NDArray output, NDArray outputTangent, NDArray target) {
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            // d/dt of -sum(onehot * logSoftmax(y)) is sum((softmax(y) - onehot) * dy)
            return output.softmax(1).sub(target).mul(outputTangent).sum(new int[] {1}).mean();
        }
        return output.sub(target).mul(outputTangent).mean().mul(2);
    }

    /** What the outputs are compared with: one-hot rows for cross-entropy, the real targets otherwise. */
    NDArray target(NDArray labelsOrTargets) {
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            return labelsOrTargets.oneHot(spec.outputSize(), dtype);
        }
        return labelsOrTargets;
    }

    /** The outputs as compared in the MSE metric: softmax probabilities for cross-entropy, the outputs otherwise. */
    NDArray prediction(NDArray output) {
        return spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY ? output.softmax(1) : output;
    }

    private static NDArray convolve(NDArray input, NDArray kernel, int stride) {
        return input.getNDArrayInternal().convolution(input, kernel, null, new Shape(stride, stride), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow();
    }

    /** TensorFlow's SAME padding: {@code ceil(in / stride)} outputs, the odd padded pixel after the input. */
    private static NDArray pad(NDArray channelsFirst, Conv2dLayer c, int[] inputShape) {
        if (c.padding() != Padding.SAME) {
            return channelsFirst;
        }
        int[] top = samePadding(inputShape[0], c.kernelSize(), c.stride());
        int[] left = samePadding(inputShape[1], c.kernelSize(), c.stride());
        if (top[0] + top[1] + left[0] + left[1] == 0) {
            return channelsFirst;
        }
        return channelsFirst.pad(new Shape(left[0], left[1], top[0], top[1]), 0);
    }

    private static int[] samePadding(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /**
     * The tangent of max pooling: each output takes the tangent of the input it selected. The windows are laid out
     * as {@code size * size} strided views of the input; the first maximum of each window wins, as in PyTorch.
     */
    private static NDArray poolTangent(NDArray in, NDArray tangent, MaxPool2dLayer m, int[] outShape) {
        List<NDArray> values = new ArrayList<>();
        List<NDArray> tangents = new ArrayList<>();
        int s = m.stride();
        for (int i = 0; i < m.size(); i++) {
            for (int j = 0; j < m.size(); j++) {
                NDIndex window = new NDIndex(":, :, {}:{}:{}, {}:{}:{}", i, i + (outShape[0] - 1) * s + 1, s,
                        j, j + (outShape[1] - 1) * s + 1, s);
                values.add(in.get(window));
                tangents.add(tangent.get(window));
            }
        }
        NDArray chosen = NDArrays.stack(new NDList(values), 0).argMax(0).expandDims(0);
        return NDArrays.stack(new NDList(tangents), 0).gather(chosen, 0).squeeze(0);
    }

    private static NDArray channelsFirst(NDArray nhwc) {
        return nhwc.transpose(0, 3, 1, 2);
    }

    private static NDArray channelsLast(NDArray nchw) {
        return nchw.transpose(0, 2, 3, 1);
    }

    /** {@code [kh, kw, in, out]} as PyTorch's {@code [out, in, kh, kw]}. */
    private static NDArray channelsFirstKernel(NDArray kernel) {
        return kernel.transpose(3, 2, 0, 1);
    }

    private static Shape batchShape(long rows, int[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = rows;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        return new Shape(s);
    }

    private static int product(int[] shape) {
        int p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }
}
