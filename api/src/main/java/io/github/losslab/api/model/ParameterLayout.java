package io.github.losslab.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * How a model's parameter tensors sit in one flat vector: named segments ({@code layer0/kernel},
 * {@code layer0/bias}, ...) in layer order, each stored row-major (kernels as {@code [in, out]}).
 */
public final class ParameterLayout {

    /** A parameter tensor's local name and shape, before it is placed in the vector. */
    public record TensorShape(String name, int[] shape) {
        public TensorShape {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int size() {
            return ModelSpec.product(shape);
        }
    }

    /** One named tensor of the flat vector: its elements are {@code [offset, offset + size)}. */
    public record Segment(String name, int layer, int offset, int[] shape) {
        public Segment {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int size() {
            return ModelSpec.product(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.name.equals(name) && s.layer == layer && s.offset == offset
                    && Arrays.equals(s.shape, shape);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + "@" + offset;
        }
    }

    private final List<Segment> segments;
    private final int size;

    ParameterLayout(List<Segment> segments) {
        this.segments = Collections.unmodifiableList(new ArrayList<>(segments));
        int total = 0;
        for (Segment s : segments) {
            total += s.size();
        }
        this.size = total;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** Total number of parameters. */
    public int size() {
        return size;
    }

    /** The segment with this name, for example {@code layer1/kernel}. */
    public Segment segment(String name) {
        for (Segment s : segments) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no parameter segment '" + name + "'; segments are " + names());
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Segment s : segments) {
            names.add(s.name());
        }
        return names;
    }

    /** A copy of one segment's values out of a flat vector. */
    public double[] slice(double[] flat, String name) {
        checkLength(flat);
        Segment s = segment(name);
        return Arrays.copyOfRange(flat, s.offset(), s.offset() + s.size());
    }

    /** Throws when {@code flat} does not have {@link #size()} elements. */
    public void checkLength(double[] flat) {
        if (flat.length != size) {
            throw new IllegalArgumentException("parameter vector must have " + size + " elements, had "
                    + flat.length);
        }
    }
}
