package io.github.losslab.app.config;

import io.github.losslab.api.data.ImageDataset;
import io.github.losslab.api.data.MnistData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that a directory given for a data set holds its files, before any data is read, naming the files that are
 * missing: the four IDX files of MNIST's layout, or CIFAR-10's six binary batches.
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    /**
     * Checks the {@code dataset} and {@code data-dir} of a run: a data set other than MNIST needs a directory
     * (only MNIST is bundled), and the directory must hold the data set's files.
     *
     * @param dir the data directory, or null for the bundled data
     * @throws ConfigException naming the key, the directory and the missing files
     */
    public static void check(ImageDataset dataset, Path dir) {
        if (dir == null) {
            if (dataset != ImageDataset.MNIST) {
                throw new ConfigException("dataset", "'" + dataset.configName() + "' needs data-dir, the directory"
                        + " of its files (only an MNIST subset is bundled); 'losslab data download "
                        + dataset.configName() + " --dir DIR' fetches them, then give --data-dir DIR");
            }
            return;
        }
        check(dir, "data-dir", "use the bundled data", dataset);
    }

    /**
     * Checks that {@code dir} is a directory holding the four IDX files of {@link MnistData#FILES}, each plain or
     * gzipped.
     *
     * @param key the configuration key or option the directory was given with, for the message
     * @throws ConfigException naming the key, the directory and the missing files
     */
    public static void check(Path dir, String key) {
        check(dir, key, "use the bundled data");
    }

    /**
     * {@link #check(Path, String)}, for a command that does something else without a data directory.
     *
     * @param otherwise what happens without one, for the message, for example {@code use the bundled data}
     */
    public static void check(Path dir, String key, String otherwise) {
        check(dir, key, otherwise, ImageDataset.MNIST);
    }

    /**
     * {@link #check(Path, String, String)} for the files of {@code dataset}: MNIST's layout, or CIFAR-10's six
     * binary batches.
     */
    public static void check(Path dir, String key, String otherwise, ImageDataset dataset) {
        boolean idx = dataset != ImageDataset.CIFAR10;
        String files = idx ? "the four IDX files " + String.join(", ", MnistData.FILES) + " (each may end in .gz)"
                : "the six files " + String.join(", ", dataset.files()) + " of CIFAR-10's binary version";
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(key, "'" + dir + "' is not a directory; give the directory that holds " + files
                    + ", or leave " + key + " out to " + otherwise);
        }
        List<String> missing = dataset.missing(dir);
        if (missing.isEmpty()) {
            return;
        }
        String download = "; 'losslab data download " + dataset.configName() + " --dir " + dir + "' fetches "
                + dataset.title() + " there";
        if (missing.size() == dataset.files().size()) {
            throw new ConfigException(key, "'" + dir + "' does not hold " + files + download
                    + (idx ? "" : " (or give dataset: the data set it holds)"));
        }
        throw new ConfigException(key, "'" + dir + "' lacks " + String.join(" and ", missing)
                + (idx ? " (plain or " + MnistData.GZIP_SUFFIX + ")" : "") + ", of " + files + download);
    }

    /** The IDX files of {@link MnistData#FILES} that {@code dir} holds neither plain nor gzipped. */
    public static List<String> missing(Path dir) {
        return ImageDataset.MNIST.missing(dir);
    }
}
