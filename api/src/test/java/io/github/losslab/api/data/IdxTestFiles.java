package io.github.losslab.api.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests, here and in the modules that read data sets. */
public final class IdxTestFiles {

    private IdxTestFiles() {
    }

    /** An uncompressed unsigned-byte IDX file. */
    static byte[] ubyte(int[] dims, int... values) {
        return IdxArray.ofUnsignedBytes(dims, values).toIdxBytes();
    }

    /** A header (magic number and dims) followed by {@code data}, with no checks, for forged files. */
    static byte[] raw(int typeCode, int[] dims, byte... data) {
        byte[] out = new byte[4 + 4 * dims.length + data.length];
        out[2] = (byte) typeCode;
        out[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            out[4 + 4 * i] = (byte) (dims[i] >>> 24);
            out[5 + 4 * i] = (byte) (dims[i] >>> 16);
            out[6 + 4 * i] = (byte) (dims[i] >>> 8);
            out[7 + 4 * i] = (byte) dims[i];
        }
        System.arraycopy(data, 0, out, 4 + 4 * dims.length, data.length);
        return out;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** An action that may throw anything. */
    interface Action {
        void run() throws Exception;
    }

    /** Bytes allocated by this thread while {@code action} runs (HotSpot), or -1 where not measurable. */
    static long allocatedBytes(Action action) throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
            action.run();
            return -1;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        long before = mx.getCurrentThreadAllocatedBytes();
        try {
            action.run();
        } finally {
            before = mx.getCurrentThreadAllocatedBytes() - before;
        }
        return before;
    }

    /**
     * A small MNIST-layout directory: {@code trainCount} and {@code testCount} images of {@code rows x cols}
     * with pixel {@code (sample * 31 + i * 7) % 256} and label {@code sample % 10}; gzipped when {@code gz}.
     */
    public static void writeMnist(Path dir, int trainCount, int testCount, int rows, int cols, boolean gz)
            throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, MnistData.TRAIN_IMAGES, MnistData.TRAIN_LABELS, trainCount, rows, cols, gz);
        writeSplit(dir, MnistData.TEST_IMAGES, MnistData.TEST_LABELS, testCount, rows, cols, gz);
    }

    static int pixel(int sample, int i) {
        return (sample * 31 + i * 7) % 256;
    }

    private static void writeSplit(Path dir, String images, String labels, int n, int rows, int cols, boolean gz)
            throws IOException {
        int[] pixels = new int[n * rows * cols];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < rows * cols; i++) {
                pixels[s * rows * cols + i] = pixel(s, i);
            }
            y[s] = s % 10;
        }
        byte[] img = ubyte(new int[] {n, rows, cols}, pixels);
        byte[] lab = ubyte(new int[] {n}, y);
        write(dir, images + (gz ? ".gz" : ""), gz ? gzip(img) : img);
        write(dir, labels + (gz ? ".gz" : ""), gz ? gzip(lab) : lab);
    }
}
