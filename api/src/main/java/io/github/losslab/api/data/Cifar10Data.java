package io.github.losslab.api.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads the binary version of CIFAR-10 (Krizhevsky, "Learning multiple layers of features from tiny images",
 * 2009; https://www.cs.toronto.edu/~kriz/cifar.html) from a directory holding its six files: the training batches
 * {@code data_batch_1.bin} to {@code data_batch_5.bin} and {@code test_batch.bin}. Each file is a sequence of
 * records of {@value #RECORD_BYTES} bytes: one label byte (0 to 9), then the 32x32 image as three channel planes of
 * 1,024 bytes (red, green, blue), each row-major. Images become features of shape {@code [32, 32, 3]} (height,
 * width, channels, the layout of the convolutions) with values {@code byte / 255f}; the labels are checked by
 * {@link ClassLabels} against the 10 classes.
 *
 * <p>{@link #unpack} takes the six files out of the official archive {@value #ARCHIVE}. Every failure is a
 * {@link DataException} naming the directory or file and saying what to do.
 */
public final class Cifar10Data {

    /** The training batches, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    /** The six files, training batches first. */
    public static final List<String> FILES = files();
    /** The official archive of the binary version. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    /** The directory inside the archive that holds the six files. */
    public static final String ARCHIVE_DIRECTORY = "cifar-10-batches-bin";
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;
    /** Bytes of one channel plane. */
    static final int PLANE = SIDE * SIDE;
    /** One label byte and three planes. */
    public static final int RECORD_BYTES = 1 + CHANNELS * PLANE;
    /** The dataset name {@link #load(Path)} gives; the splits are {@code cifar10[train]} and {@code cifar10[test]}. */
    public static final String DEFAULT_NAME = "cifar10";

    private Cifar10Data() {
    }

    /** Loads the six files in {@code directory} as datasets named {@code cifar10[train]} and {@code cifar10[test]}. */
    public static MnistData.Splits load(Path directory) throws DataException {
        return load(directory, DEFAULT_NAME, ImageDataset.CIFAR10.classSet());
    }

    /**
     * Loads the six files in {@code directory} as datasets named {@code name + "[train]"} and
     * {@code name + "[test]"}.
     *
     * @param what the class set in words, for messages about labels
     * @throws DataException when the directory or a file is missing or cannot be read, a file is not a whole number
     *                       of records, or a label is out of place
     */
    public static MnistData.Splits load(Path directory, String name, String what) throws DataException {
        Objects.requireNonNull(name, "name");
        List<Path> files = locate(directory);
        List<Batch> train = new ArrayList<>();
        for (int i = 0; i < TRAIN_FILES.size(); i++) {
            train.add(read(files.get(i)));
        }
        Batch test = read(files.get(TRAIN_FILES.size()));
        List<ClassLabels.Part> trainLabels = train.stream().map(b -> new ClassLabels.Part(b.source, b.labels))
                .toList();
        ClassLabels.check(trainLabels, List.of(new ClassLabels.Part(test.source, test.labels)), CLASSES, what);
        Dataset trainSet = dataset(name + "[train]", train);
        Dataset testSet = dataset(name + "[test]", List.of(test));
        return new MnistData.Splits(trainSet, testSet, "CIFAR-10 binary files in "
                + directory.toAbsolutePath().normalize());
    }

    /** The six files that {@code directory} lacks. */
    public static List<String> missing(Path directory) {
        return FILES.stream().filter(f -> !Files.isRegularFile(directory.resolve(f))).toList();
    }

    /**
     * Writes the six files of the archive {@code archive} ({@value #ARCHIVE}, gzipped tar) into {@code directory},
     * each through a temporary name moved into place, so that no half-written file is left under a real name.
     *
     * @throws DataException when the archive is not gzipped tar, is damaged, or lacks one of the files
     */
    public static void unpack(Path archive, Path directory) throws DataException {
        String source = archive.toString();
        Set<String> written = new HashSet<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            TarArchive.read(in, source, (name, size, data) -> {
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (FILES.contains(file) && name.equals(ARCHIVE_DIRECTORY + "/" + file)) {
                    Path temp = Files.createTempFile(directory, "." + file + ".", ".part");
                    try {
                        Files.copy(data, temp, StandardCopyOption.REPLACE_EXISTING);
                        move(temp, directory.resolve(file));
                    } finally {
                        Files.deleteIfExists(temp);
                    }
                    written.add(file);
                }
            });
        } catch (ZipException e) {
            throw new DataException(source + ": not a gzip file, or a damaged one (" + e.getMessage() + "); expected"
                    + " the gzipped tar archive " + ARCHIVE + ". Re-download it", e);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(source + ": cannot unpack into " + directory + " (" + e + ")", e);
        }
        List<String> lacking = FILES.stream().filter(f -> !written.contains(f)).toList();
        if (!lacking.isEmpty()) {
            throw new DataException(source + ": the archive lacks " + String.join(", ", lacking) + "; expected the six"
                    + " files " + String.join(", ", FILES) + " in its directory " + ARCHIVE_DIRECTORY + "/");
        }
    }

    /** The labels and pixels of one file. */
    private record Batch(String source, int[] labels, byte[] bytes) {
    }

    private static Batch read(Path file) throws DataException {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new DataException(source + ": the file is empty (0 bytes); expected records of "
                        + RECORD_BYTES + " bytes (1 label byte and 3,072 pixel bytes). Re-download the data set");
            }
            if (size % RECORD_BYTES != 0) {
                throw new DataException(source + String.format(Locale.ROOT, ": %,d bytes are not a whole number of"
                        + " %,d-byte records (1 label byte and 3 x 32 x 32 pixel bytes): %,d records and %,d bytes"
                        + " left over. The file is cut short or not a batch of the CIFAR-10 binary version;"
                        + " re-download it", size, RECORD_BYTES, size / RECORD_BYTES, size % RECORD_BYTES));
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new DataException(source + ": " + size + " bytes, more than one batch holds (a batch of the"
                        + " binary version holds 10,000 records, 30,730,000 bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(source + ": cannot read the file (" + e + "); check its permissions", e);
        }
        int n = bytes.length / RECORD_BYTES;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = bytes[i * RECORD_BYTES] & 0xFF;
        }
        return new Batch(source, labels, bytes);
    }

    /** The records of {@code batches} as one dataset, planes turned into height x width x channels. */
    private static Dataset dataset(String name, List<Batch> batches) {
        int n = batches.stream().mapToInt(b -> b.labels.length).sum();
        float[] x = new float[n * CHANNELS * PLANE];
        int[] y = new int[n];
        int sample = 0;
        for (Batch b : batches) {
            for (int i = 0; i < b.labels.length; i++, sample++) {
                y[sample] = b.labels[i];
                int record = i * RECORD_BYTES + 1;
                int out = sample * CHANNELS * PLANE;
                for (int p = 0; p < PLANE; p++) {
                    for (int c = 0; c < CHANNELS; c++) {
                        x[out + p * CHANNELS + c] = (b.bytes[record + c * PLANE + p] & 0xFF) / 255f;
                    }
                }
            }
        }
        return Dataset.classificationOwning(name, new int[] {SIDE, SIDE, CHANNELS}, x, y, CLASSES);
    }

    /** The six files in order, or an error naming those that are missing. */
    private static List<Path> locate(Path directory) throws DataException {
        String download = ". Run 'losslab data download cifar10 --dir " + directory + "' to fetch them";
        if (!Files.isDirectory(directory)) {
            throw new DataException(directory + ": " + (Files.exists(directory) ? "is not a directory" : "no such"
                    + " directory") + "; expected a directory holding the six files " + String.join(", ", FILES)
                    + " of CIFAR-10's binary version" + download);
        }
        List<String> lacking = missing(directory);
        if (!lacking.isEmpty()) {
            Path inner = directory.resolve(ARCHIVE_DIRECTORY);
            String hint = Files.isDirectory(inner) && missing(inner).isEmpty()
                    ? ". They are in " + inner + ", the archive's directory: give that directory as data-dir"
                    : download;
            throw new DataException(directory + ": missing " + String.join(", ", lacking) + "; expected the six files "
                    + String.join(", ", FILES) + " of CIFAR-10's binary version, found "
                    + MnistData.listing(directory) + hint);
        }
        return FILES.stream().map(directory::resolve).toList();
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<String> files() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return List.copyOf(all);
    }
}
