package io.github.losslab.api.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} array format (version 1.0 written; 1.0, 2.0 and 3.0 read), for real arrays of
 * {@code float64} or {@code float32} in either byte order and either memory order. See
 * <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>.
 */
final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so that the data starts at a multiple of 64 bytes. */
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A decoded array: its shape and its values in C (row-major) order, widened to double. */
    record Array(int[] shape, double[] values, String descr) {
    }

    /** Malformed or unsupported {@code .npy} content. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    private Npy() {
    }

    /** A little-endian, C-order array of {@code <f8} (or {@code <f4} when {@code float32}) values. */
    static byte[] encode(double[] values, int[] shape, boolean float32) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(float32 ? "<f4" : "<f8")
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        dict.append("), }");
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        dict.append(" ".repeat(padding)).append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.US_ASCII);
        int width = float32 ? 4 : 8;
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length + values.length * width)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        for (double v : values) {
            if (float32) {
                out.putFloat((float) v);
            } else {
                out.putDouble(v);
            }
        }
        return out.array();
    }

    static Array decode(byte[] bytes) throws FormatException {
        if (bytes.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FormatException("not a .npy array (the magic string \\x93NUMPY is missing)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(MAGIC.length);
        int major = in.get();
        in.get();
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort());
        } else if (major == 2 || major == 3) {
            if (in.remaining() < 4) {
                throw new FormatException("truncated header");
            }
            headerLength = Integer.toUnsignedLong(in.getInt());
        } else {
            throw new FormatException("unsupported .npy format version " + major + " (1, 2 and 3 are known)");
        }
        if (headerLength > in.remaining()) {
            throw new FormatException("header of " + headerLength + " bytes is longer than the file");
        }
        byte[] h = new byte[(int) headerLength];
        in.get(h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, "descr");
        boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
        int[] shape = parseShape(group(SHAPE, header, "shape"));
        ByteOrder order;
        switch (descr.charAt(0)) {
            case '<', '=' -> order = ByteOrder.LITTLE_ENDIAN;
            case '>' -> order = ByteOrder.BIG_ENDIAN;
            default -> throw new FormatException("unsupported dtype '" + descr + "': expected <f8 or <f4");
        }
        String kind = descr.substring(1);
        if (!kind.equals("f8") && !kind.equals("f4")) {
            throw new FormatException("unsupported dtype '" + descr + "': expected float64 (<f8) or float32 (<f4)");
        }
        int width = kind.equals("f8") ? 8 : 4;
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count * width != in.remaining()) {
            throw new FormatException("shape " + Arrays.toString(shape) + " of " + descr + " needs " + count * width
                    + " data bytes, the file has " + in.remaining());
        }
        in.order(order);
        double[] stored = new double[(int) count];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = width == 8 ? in.getDouble() : in.getFloat();
        }
        return new Array(shape, fortran && shape.length > 1 ? fortranToC(stored, shape) : stored, descr);
    }

    private static String group(Pattern p, String header, String key) throws FormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new FormatException("header has no readable '" + key + "' entry: " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text) throws FormatException {
        String[] parts = text.split(",");
        int[] dims = new int[parts.length];
        int n = 0;
        for (String part : parts) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims[n] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new FormatException("bad shape (" + text + ")");
            }
            if (dims[n] < 0) {
                throw new FormatException("bad shape (" + text + ")");
            }
            n++;
        }
        return Arrays.copyOf(dims, n);
    }

    /** Reorders column-major values into row-major order. */
    private static double[] fortranToC(double[] stored, int[] shape) {
        double[] out = new double[stored.length];
        int[] index = new int[shape.length];
        for (int c = 0; c < out.length; c++) {
            int f = 0;
            int stride = 1;
            for (int d = 0; d < shape.length; d++) {
                f += index[d] * stride;
                stride *= shape[d];
            }
            out[c] = stored[f];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }
}
