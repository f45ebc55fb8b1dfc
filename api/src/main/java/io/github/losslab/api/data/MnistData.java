package io.github.losslab.api.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Loads MNIST, or a dataset in its file layout (Fashion-MNIST, KMNIST), from a directory holding the four
 * standard IDX files, each optionally gzipped: {@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS},
 * {@value #TEST_IMAGES} and {@value #TEST_LABELS}. Images become features of shape {@code [rows, cols, 1]} with
 * pixel values {@code byte / 255f} in {@code [0, 1]}. The labels are checked by {@link ClassLabels}: the number of
 * classes is the data set's ({@link ImageDataset}) or, for a data set known only by this layout, the largest
 * training label plus one, the same for both splits.
 *
 * <p>Every failure is a {@link DataException} naming the directory or file and saying what to do; problems with
 * a file's content (including images and labels that disagree) are its subtype {@link IdxFormatException}.
 */
public final class MnistData {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names, without the optional {@code .gz}. */
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    /** The suffix of a gzipped file; a plain file is preferred when both exist. */
    public static final String GZIP_SUFFIX = ".gz";
    /** What an image file holds, for messages about a file that holds something else. */
    static final String IMAGE_FILE = "IDX images: magic number 0x00000803 (type 0x08, unsigned bytes; 3 dimensions,"
            + " [count, rows, columns])";
    /** What a label file holds. */
    static final String LABEL_FILE = "IDX labels: magic number 0x00000801 (type 0x08, unsigned bytes; 1 dimension,"
            + " [count])";
    /** The dataset name {@link #load(Path)} gives; the splits are named {@code mnist[train]} and {@code mnist[test]}. */
    public static final String DEFAULT_NAME = "mnist";

    private static final int LISTED_ENTRIES = 20;

    private MnistData() {
    }

    /**
     * A training and a test dataset and where they came from (a directory, or the bundled subset with its seed).
     */
    public record Splits(Dataset train, Dataset test, String source) {
        public Splits {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(source, "source");
            if (!Arrays.equals(train.featureShape(), test.featureShape())) {
                throw new IllegalArgumentException("train and test features must have one shape, were "
                        + Arrays.toString(train.featureShape()) + " and " + Arrays.toString(test.featureShape()));
            }
            if (train.isClassification() != test.isClassification() || train.classes() != test.classes()) {
                throw new IllegalArgumentException("train and test must have the same classes, had "
                        + train.classes() + " and " + test.classes());
            }
        }
    }

    /** Loads the four files in {@code directory} as datasets named {@code mnist[train]} and {@code mnist[test]}. */
    public static Splits load(Path directory) throws DataException {
        return load(directory, DEFAULT_NAME);
    }

    /**
     * Loads the four files in {@code directory} as datasets named {@code name + "[train]"} and
     * {@code name + "[test]"}.
     *
     * @throws DataException when the directory or a file is missing or cannot be read;
     *                       {@link IdxFormatException} when a file is not valid IDX, images are not 3-D unsigned
     *                       bytes, labels are not 1-D integers in {@code [0, 256)}, or the counts differ
     */
    public static Splits load(Path directory, String name) throws DataException {
        return load(directory, name, 0, null);
    }

    /**
     * Loads the four files in {@code directory} as datasets named {@code name + "[train]"} and
     * {@code name + "[test]"}, with {@code classes} classes ({@link ClassLabels#check}).
     *
     * @param classes the data set's number of classes, or 0 to take the largest training label plus one
     * @param what    the class set in words for messages, or null
     * @throws DataException as {@link #load(Path, String)} does, and when a label is out of place
     */
    public static Splits load(Path directory, String name, int classes, String what) throws DataException {
        Objects.requireNonNull(name, "name");
        List<Path> files = locate(directory, name);
        String trainImagesFile = files.get(0).toString();
        String trainLabelsFile = files.get(1).toString();
        String testImagesFile = files.get(2).toString();
        String testLabelsFile = files.get(3).toString();
        IdxArray trainImages = read(files.get(0), IMAGE_FILE);
        IdxArray trainLabels = read(files.get(1), LABEL_FILE);
        IdxArray testImages = read(files.get(2), IMAGE_FILE);
        IdxArray testLabels = read(files.get(3), LABEL_FILE);
        int[] trainY = labels(trainLabels, trainLabelsFile, trainImages, trainImagesFile);
        int[] testY = labels(testLabels, testLabelsFile, testImages, testImagesFile);
        if (trainImages.dim(1) != testImages.dim(1) || trainImages.dim(2) != testImages.dim(2)) {
            throw new IdxFormatException(testImagesFile, "test images are " + testImages.dim(1) + " x "
                    + testImages.dim(2) + " pixels, but training images in " + trainImagesFile + " are "
                    + trainImages.dim(1) + " x " + trainImages.dim(2) + "; expected one image size for both");
        }
        int k = ClassLabels.check(List.of(new ClassLabels.Part(trainLabelsFile, trainY)),
                List.of(new ClassLabels.Part(testLabelsFile, testY)), classes, what);
        Dataset train = dataset(name + "[train]", trainImages, trainImagesFile, trainY, k);
        Dataset test = dataset(name + "[test]", testImages, testImagesFile, testY, k);
        return new Splits(train, test, "IDX files in " + directory.toAbsolutePath().normalize());
    }

    /** Whether {@code directory} holds all four files, plain or gzipped. */
    public static boolean isPresent(Path directory) {
        for (String f : FILES) {
            if (find(directory, f) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * One labelled dataset from an images array {@code [n, rows, cols]} of unsigned bytes and a labels array
     * {@code [n]}; {@code imagesSource} and {@code labelsSource} name them in errors.
     */
    static Dataset dataset(String name, IdxArray images, String imagesSource, IdxArray labels, String labelsSource)
            throws DataException {
        int[] y = labels(labels, labelsSource, images, imagesSource);
        int k = ClassLabels.check(List.of(new ClassLabels.Part(labelsSource, y)), List.of(), 0, null);
        return dataset(name, images, imagesSource, y, k);
    }

    private static Dataset dataset(String name, IdxArray images, String source, int[] labels, int classes)
            throws IdxFormatException {
        checkImages(images, source);
        byte[] raw = images.rawData();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xFF) / 255f;
        }
        return Dataset.classificationOwning(name, new int[] {images.dim(1), images.dim(2), 1}, pixels, labels,
                classes);
    }

    private static void checkImages(IdxArray images, String source) throws IdxFormatException {
        if (images.rank() != 3) {
            throw new IdxFormatException(source, "expected 3-D images [count, rows, columns], found dims "
                    + IdxArray.describeDims(images.dims()) + "; a file of this name holds " + IMAGE_FILE);
        }
        if (images.type() != IdxType.UNSIGNED_BYTE) {
            throw new IdxFormatException(source, "expected pixels of type " + IdxType.UNSIGNED_BYTE.describe()
                    + ", found " + images.type().describe() + "; a file of this name holds " + IMAGE_FILE);
        }
    }

    private static int[] labels(IdxArray labels, String labelsSource, IdxArray images, String imagesSource)
            throws IdxFormatException {
        checkImages(images, imagesSource);
        if (labels.rank() != 1) {
            throw new IdxFormatException(labelsSource, "expected 1-D labels [count], found dims "
                    + IdxArray.describeDims(labels.dims()) + "; a file of this name holds " + LABEL_FILE);
        }
        if (!labels.type().isInteger()) {
            throw new IdxFormatException(labelsSource, "expected integer labels, found type "
                    + labels.type().describe() + "; a file of this name holds " + LABEL_FILE);
        }
        if (labels.length() != images.dim(0)) {
            throw new IdxFormatException(labelsSource, "label/image count mismatch: " + labels.length()
                    + " labels, but " + imagesSource + " holds " + images.dim(0) + " images; expected one label per"
                    + " image. The two files come from different sets or one is damaged");
        }
        return labels.toIntArray();
    }

    /** Reads one IDX file; a header that is not IDX, or is damaged, is reported with what the file should hold. */
    private static IdxArray read(Path file, String holds) throws DataException {
        try {
            return IdxReader.read(file);
        } catch (IdxFormatException e) {
            throw new IdxFormatException(e.source(), e.problem() + ". A file of this name holds " + holds, e);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the file (" + e + "); check its permissions", e);
        }
    }

    /** The four files in the order of {@link #FILES}, or an error naming those that are missing. */
    private static List<Path> locate(Path directory, String name) throws DataException {
        String download = ". Run 'losslab data download " + ImageDataset.find(name).orElse(ImageDataset.MNIST)
                .configName() + "' to fetch them";
        if (!Files.isDirectory(directory)) {
            throw new DataException(directory + ": " + (Files.exists(directory) ? "is not a directory" : "no such"
                    + " directory") + "; expected a directory holding " + expected() + download);
        }
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            Path p = find(directory, f);
            if (p == null) {
                missing.add(f);
            }
            found.add(p);
        }
        if (!missing.isEmpty()) {
            throw new DataException(directory + ": missing " + String.join(", ", missing) + " (plain or "
                    + GZIP_SUFFIX + "); expected " + expected() + ", found " + listing(directory) + download);
        }
        return found;
    }

    private static Path find(Path directory, String name) {
        Path plain = directory.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = directory.resolve(name + GZIP_SUFFIX);
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static String expected() {
        return "the four files " + String.join(", ", FILES) + ", each optionally gzipped (" + GZIP_SUFFIX + ")";
    }

    static String listing(Path directory) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return "a directory that cannot be listed (" + e.getMessage() + ")";
        }
        if (names.isEmpty()) {
            return "an empty directory";
        }
        names.sort(null);
        int n = names.size();
        String shown = String.join(", ", names.subList(0, Math.min(n, LISTED_ENTRIES)));
        return n + (n == 1 ? " entry: " : " entries: ") + shown + (n > LISTED_ENTRIES ? ", ..." : "");
    }
}
