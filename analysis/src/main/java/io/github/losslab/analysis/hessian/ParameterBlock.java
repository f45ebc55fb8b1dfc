package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.model.ParameterLayout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of a model's parameters, as ranges of its flat parameter vector: one layer's kernel and bias, one
 * named segment of the {@link ParameterLayout}, or any group of segments. The Hessian restricted to a block
 * ({@link BlockHessian}) is the block's rows and columns of the whole Hessian; its coordinates are the block's
 * parameters in the order of the ranges.
 */
public final class ParameterBlock {

    private final String name;
    private final List<String> segments;
    private final int[] offsets;
    private final int[] sizes;
    private final int dimension;
    private final int size;

    private ParameterBlock(String name, List<String> segments, int[] offsets, int[] sizes, int dimension) {
        this.name = Objects.requireNonNull(name, "name");
        this.segments = List.copyOf(segments);
        this.offsets = offsets;
        this.sizes = sizes;
        this.dimension = dimension;
        long total = 0;
        for (int i = 0; i < offsets.length; i++) {
            if (sizes[i] < 1 || offsets[i] < 0 || (long) offsets[i] + sizes[i] > dimension) {
                throw new IllegalArgumentException("block '" + name + "': range [" + offsets[i] + ", "
                        + ((long) offsets[i] + sizes[i]) + ") is empty or outside the " + dimension + " parameters");
            }
            if (i > 0 && offsets[i] < offsets[i - 1] + sizes[i - 1]) {
                throw new IllegalArgumentException("block '" + name + "': its ranges must be in order and must not "
                        + "overlap, found [" + offsets[i] + ", ...) after [" + offsets[i - 1] + ", "
                        + (offsets[i - 1] + sizes[i - 1]) + ")");
            }
            total += sizes[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("block '" + name + "' holds no parameters");
        }
        this.size = (int) total;
    }

    /** Every parameter of the layout, named {@code all}. */
    public static ParameterBlock whole(ParameterLayout layout) {
        return new ParameterBlock("all", layout.names(), new int[] {0}, new int[] {layout.size()}, layout.size());
    }

    /** One block per layer with parameters, named {@code layer0}, {@code layer1}, ...: its kernel and bias. */
    public static List<ParameterBlock> perLayer(ParameterLayout layout) {
        Map<Integer, List<String>> byLayer = new LinkedHashMap<>();
        for (ParameterLayout.Segment s : layout.segments()) {
            byLayer.computeIfAbsent(s.layer(), k -> new ArrayList<>()).add(s.name());
        }
        List<ParameterBlock> blocks = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : byLayer.entrySet()) {
            blocks.add(of(layout, "layer" + e.getKey(), e.getValue()));
        }
        return blocks;
    }

    /**
     * The named segments of the layout (such as {@code layer1/kernel}) as one block, in the layout's order.
     *
     * @throws IllegalArgumentException for an empty list, a name that is no segment (listing the segments), or a
     *                                  segment named twice
     */
    public static ParameterBlock of(ParameterLayout layout, String name, List<String> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("block '" + name + "' names no parameter segment; segments are "
                    + layout.names());
        }
        List<ParameterLayout.Segment> chosen = new ArrayList<>();
        for (String s : segments) {
            ParameterLayout.Segment seg = layout.segment(s);
            if (chosen.contains(seg)) {
                throw new IllegalArgumentException("block '" + name + "' names segment '" + s + "' twice");
            }
            chosen.add(seg);
        }
        chosen.sort(Comparator.comparingInt(ParameterLayout.Segment::offset));
        // adjacent segments (a layer's kernel and bias) make one range
        List<int[]> ranges = new ArrayList<>();
        for (ParameterLayout.Segment s : chosen) {
            int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[0] + last[1] == s.offset()) {
                last[1] += s.size();
            } else {
                ranges.add(new int[] {s.offset(), s.size()});
            }
        }
        return new ParameterBlock(name, chosen.stream().map(ParameterLayout.Segment::name).toList(),
                ranges.stream().mapToInt(r -> r[0]).toArray(),
                ranges.stream().mapToInt(r -> r[1]).toArray(), layout.size());
    }

    /** One segment of the layout as a block of its own, named after it. */
    public static ParameterBlock segment(ParameterLayout layout, String segment) {
        return of(layout, segment, List.of(segment));
    }

    /**
     * Ranges {@code [offsets[i], offsets[i] + sizes[i])} of a vector of {@code dimension} parameters, in increasing
     * order and disjoint.
     */
    public static ParameterBlock ofRanges(String name, int dimension, int[] offsets, int[] sizes) {
        if (offsets.length != sizes.length) {
            throw new IllegalArgumentException("block '" + name + "': " + offsets.length + " offsets but "
                    + sizes.length + " sizes");
        }
        return new ParameterBlock(name, List.of(), offsets.clone(), sizes.clone(), dimension);
    }

    public String name() {
        return name;
    }

    /** The layout's segments the block holds, in the layout's order; empty for a block made of ranges. */
    public List<String> segments() {
        return segments;
    }

    /** Parameters in the block. */
    public int size() {
        return size;
    }

    /** Parameters of the whole vector the block is taken from. */
    public int dimension() {
        return dimension;
    }

    /** The block's values of a whole parameter vector (its rows of a whole-size vector). */
    public double[] extract(double[] whole) {
        Vectors.checkLength(whole, dimension);
        double[] out = new double[size];
        int at = 0;
        for (int i = 0; i < offsets.length; i++) {
            System.arraycopy(whole, offsets[i], out, at, sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    /** A whole-size vector holding {@code block} at the block's parameters and zeros elsewhere. */
    public double[] embed(double[] block) {
        Vectors.checkLength(block, size);
        double[] out = new double[dimension];
        int at = 0;
        for (int i = 0; i < offsets.length; i++) {
            System.arraycopy(block, at, out, offsets[i], sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    /** The whole vector's index of each of the block's coordinates, in order. */
    public int[] indices() {
        int[] out = new int[size];
        int at = 0;
        for (int i = 0; i < offsets.length; i++) {
            for (int k = 0; k < sizes[i]; k++) {
                out[at++] = offsets[i] + k;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ParameterBlock[" + name + ", " + size + " of " + dimension + " parameters]";
    }
}
