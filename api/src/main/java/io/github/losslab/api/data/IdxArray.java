package io.github.losslab.api.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array read from (or to be written as) an IDX file: its element {@link IdxType type}, its
 * dimensions (outermost first, for example {@code [60000, 28, 28]} for MNIST images) and its elements in
 * row-major order, kept as the file's big-endian bytes. Immutable: the accessors that return arrays return
 * copies, and the element accessors read without copying.
 *
 * <p>This is a final class rather than a record so that {@link IdxReader} can hand over the bytes it read
 * without a second copy of a possibly large array.
 */
public final class IdxArray {

    /** Dimensions a message shows before it abbreviates. */
    private static final int DIMS_SHOWN = 4;

    private final IdxType type;
    private final int[] dims;
    private final byte[] data;
    private final int length;

    /** Takes ownership of the arrays; callers outside the package go through {@link #of}. */
    IdxArray(IdxType type, int[] dims, byte[] data) {
        this.type = Objects.requireNonNull(type, "type");
        this.dims = dims;
        this.data = data;
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("an IDX array has 1 to 255 dimensions, had " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("IDX dimensions must be at least 1, were " + Arrays.toString(dims));
            }
            n *= d;
            if (n * type.bytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("IDX dimensions " + Arrays.toString(dims) + " of type "
                        + type.describe() + " need more bytes than a Java array holds");
            }
        }
        if (n * type.bytes() != data.length) {
            throw new IllegalArgumentException("IDX dimensions " + Arrays.toString(dims) + " of type "
                    + type.describe() + " need " + n * type.bytes() + " data bytes, had " + data.length);
        }
        this.length = (int) n;
    }

    /**
     * An array of {@code type} and {@code dims} holding {@code data}, the elements' big-endian bytes in row-major
     * order; the arrays are copied.
     */
    public static IdxArray of(IdxType type, int[] dims, byte[] data) {
        return new IdxArray(type, dims.clone(), data.clone());
    }

    /** An unsigned-byte array (the MNIST type) from values in {@code [0, 255]}. */
    public static IdxArray ofUnsignedBytes(int[] dims, int[] values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("unsigned byte value " + i + " is " + values[i]
                        + ", expected a value in [0, 255]");
            }
            data[i] = (byte) values[i];
        }
        return new IdxArray(IdxType.UNSIGNED_BYTE, dims.clone(), data);
    }

    public IdxType type() {
        return type;
    }

    /** A copy of the dimensions, outermost first. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code axis}. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** Number of elements, the product of the dimensions. */
    public int length() {
        return length;
    }

    /** A copy of the data bytes: the elements, big-endian, row-major. */
    public byte[] data() {
        return data.clone();
    }

    /** The data bytes without a copy, for readers in this package that promise not to change them. */
    byte[] rawData() {
        return data;
    }

    /**
     * Element {@code index} (row-major) as an int; unsigned bytes give {@code [0, 255]}.
     *
     * @throws IllegalStateException for {@link IdxType#FLOAT} and {@link IdxType#DOUBLE} arrays
     */
    public int intAt(int index) {
        Objects.checkIndex(index, length);
        switch (type) {
            case UNSIGNED_BYTE:
                return data[index] & 0xFF;
            case SIGNED_BYTE:
                return data[index];
            case SHORT:
                return (short) (((data[2 * index] & 0xFF) << 8) | (data[2 * index + 1] & 0xFF));
            case INT:
                return ByteBuffer.wrap(data).getInt(4 * index);
            default:
                throw new IllegalStateException("IDX array of type " + type.describe()
                        + " holds real values; read them with doubleAt or toDoubleArray");
        }
    }

    /** Element {@code index} (row-major) as a double, for every type. */
    public double doubleAt(int index) {
        Objects.checkIndex(index, length);
        switch (type) {
            case FLOAT:
                return ByteBuffer.wrap(data).getFloat(4 * index);
            case DOUBLE:
                return ByteBuffer.wrap(data).getDouble(8 * index);
            default:
                return intAt(index);
        }
    }

    /**
     * All elements as ints, row-major.
     *
     * @throws IllegalStateException for {@link IdxType#FLOAT} and {@link IdxType#DOUBLE} arrays
     */
    public int[] toIntArray() {
        if (!type.isInteger()) {
            throw new IllegalStateException("IDX array of type " + type.describe()
                    + " holds real values; read them with toDoubleArray");
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = intAt(i);
        }
        return out;
    }

    /** All elements as doubles, row-major. */
    public double[] toDoubleArray() {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = doubleAt(i);
        }
        return out;
    }

    /** The array as an uncompressed IDX file holds it: magic number, big-endian dimensions, data. */
    public byte[] toIdxBytes() {
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        out.put((byte) 0).put((byte) 0).put((byte) type.code()).put((byte) dims.length);
        for (int d : dims) {
            out.putInt(d);
        }
        out.put(data);
        return out.array();
    }

    /**
     * Dimensions in a few values for messages: {@code [3, 28, 28]}, or for a forged header of many dimensions the
     * first few and their number, {@code [1, 2, 3, 4, ...] (255 dimensions)}.
     */
    static String describeDims(int[] dims) {
        int shown = Math.min(dims.length, DIMS_SHOWN);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return b.append(dims.length > shown ? ", ...] (" + dims.length + " dimensions)" : "]").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && type == other.type && Arrays.equals(dims, other.dims)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[" + type.describe() + ", dims " + Arrays.toString(dims) + "]";
    }
}
