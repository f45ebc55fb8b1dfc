package io.github.losslab.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a model's parameter tensors sit in one flat vector: named segments ({@code layer0/kernel},
 * {@code layer0/bias}, ...) in layer order, each stored row-major (kernels as {@code [in, out]}). The vector is one
 * Java array, so a layout holds at most {@link #MAX_PARAMETERS} parameters.
 */
public final class ParameterLayout {

    /** The most parameters a model may have: the length of the longest array a Java virtual machine allocates. */
    public static final int MAX_PARAMETERS = Integer.MAX_VALUE - 8;

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
        long total = 0;
        for (Segment s : segments) {
            total = saturatingAdd(total, elements(s.shape));
        }
        if (total > MAX_PARAMETERS) {
            throw new IllegalArgumentException("the parameter segments hold " + count(total) + " parameters, more"
                    + " than the limit of " + count(MAX_PARAMETERS) + " (the longest Java array)");
        }
        this.size = (int) total;
    }

    /** The number of elements of a tensor of this shape, without overflow (at most {@link Long#MAX_VALUE}). */
    static long elements(int[] shape) {
        long p = 1;
        for (int d : shape) {
            if (d != 0 && p > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            p *= d;
        }
        return p;
    }

    static long saturatingAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }

    /** A count with thousands separators, such as 3,200,080,000. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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
