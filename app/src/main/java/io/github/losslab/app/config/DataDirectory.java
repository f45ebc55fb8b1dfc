package io.github.losslab.app.config;

import io.github.losslab.api.data.MnistData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a directory given for MNIST-like data holds the four IDX files, before any data is read, naming the
 * files that are missing.
 */
public final class DataDirectory {

    private DataDirectory() {
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
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(key, "'" + dir + "' is not a directory; give the directory that holds the IDX "
                    + "files, or leave " + key + " out to " + otherwise);
        }
        List<String> missing = missing(dir);
        if (missing.isEmpty()) {
            return;
        }
        String download = "; 'losslab data download mnist --dir " + dir + "' fetches MNIST there";
        if (missing.size() == MnistData.FILES.size()) {
            throw new ConfigException(key, "'" + dir + "' does not hold the four IDX files "
                    + String.join(", ", MnistData.FILES) + " (each may end in .gz)" + download);
        }
        throw new ConfigException(key, "'" + dir + "' lacks " + String.join(" and ", missing) + " (plain or "
                + MnistData.GZIP_SUFFIX + "), of the four IDX files " + String.join(", ", MnistData.FILES)
                + download);
    }

    /** The IDX files of {@link MnistData#FILES} that {@code dir} holds neither plain nor gzipped. */
    public static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : MnistData.FILES) {
            if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + MnistData.GZIP_SUFFIX))) {
                missing.add(f);
            }
        }
        return missing;
    }
}
