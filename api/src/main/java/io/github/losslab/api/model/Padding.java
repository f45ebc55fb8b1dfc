package io.github.losslab.api.model;

/** Padding of a convolution, as in TensorFlow. */
public enum Padding {
    /** No padding: output size {@code floor((in - kernel) / stride) + 1}. */
    VALID,
    /** Zero padding so that the output size is {@code ceil(in / stride)}. */
    SAME
}
