package io.github.losslab.api.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds small files of CIFAR-10's binary version for tests, here and in the modules that read data sets. */
public final class Cifar10TestFiles {

    private Cifar10TestFiles() {
    }

    /** The pixel byte of record {@code r}, channel {@code c}, position {@code p} of its plane. */
    public static int pixel(int r, int c, int p) {
        return (r * 37 + c * 101 + p * 3) % 256;
    }

    /** A batch file of {@code labels.length} records with {@link #pixel} values. */
    public static byte[] batch(int... labels) {
        byte[] b = new byte[labels.length * Cifar10Data.RECORD_BYTES];
        for (int r = 0; r < labels.length; r++) {
            int at = r * Cifar10Data.RECORD_BYTES;
            b[at] = (byte) labels[r];
            for (int c = 0; c < Cifar10Data.CHANNELS; c++) {
                for (int p = 0; p < Cifar10Data.PLANE; p++) {
                    b[at + 1 + c * Cifar10Data.PLANE + p] = (byte) pixel(r, c, p);
                }
            }
        }
        return b;
    }

    /** Six files in {@code d}: training batch i holds labels 0..9 shifted by i (50 records), the test batch 3. */
    public static void writeCifar(Path d) throws IOException {
        writeCifar(d, Cifar10Data.CLASSES);
    }

    /**
     * Six files in {@code d}: training batch i holds {@code perBatch} records with labels cycling through 0..9 from
     * i, the test batch 3 records.
     */
    public static void writeCifar(Path d, int perBatch) throws IOException {
        Files.createDirectories(d);
        for (int i = 0; i < Cifar10Data.TRAIN_FILES.size(); i++) {
            int[] labels = new int[perBatch];
            for (int r = 0; r < labels.length; r++) {
                labels[r] = (r + i) % Cifar10Data.CLASSES;
            }
            Files.write(d.resolve(Cifar10Data.TRAIN_FILES.get(i)), batch(labels));
        }
        Files.write(d.resolve(Cifar10Data.TEST_FILE), batch(7, 0, 9));
    }
}
