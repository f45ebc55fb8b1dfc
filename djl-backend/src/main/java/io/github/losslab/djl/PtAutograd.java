package io.github.losslab.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's gradient recording for the current thread until closed, and runs backward passes.
 *
 * <p>This stands in for DJL's {@code GradientCollector}, which allows one collector in the whole JVM at a time (two
 * models trained on two threads would fail) and keeps the graph-creating backward pass private. PyTorch's recording
 * mode is per thread, so models on different threads do not interfere.
 */
final class PtAutograd implements AutoCloseable {

    private final boolean previous;

    private PtAutograd(boolean enabled) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Records operations on arrays that require gradients, until closed. */
    static PtAutograd record() {
        return new PtAutograd(true);
    }

    /** Records nothing until closed: for inference and in-place optimizer updates. */
    static PtAutograd pause() {
        return new PtAutograd(false);
    }

    /**
     * Adds {@code d scalar / d leaf} to the gradient of every leaf that requires one, then frees the graph. Leaves are
     * fresh for each pass in this backend, so nothing accumulates across passes.
     */
    static void backward(NDArray scalar) {
        backward(scalar, false);
    }

    /** As {@link #backward(NDArray)}, keeping the graph for another backward pass when {@code keepGraph} is set. */
    static void backward(NDArray scalar, boolean keepGraph) {
        try (NDArray seed = scalar.onesLike()) {
            JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, keepGraph, false);
        }
    }

    /** Sets the gradient of a leaf to zero in place, so that the next backward pass writes it afresh. */
    static void clearGradient(NDArray leaf) {
        JniUtils.zeroGrad((PtNDArray) leaf);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
