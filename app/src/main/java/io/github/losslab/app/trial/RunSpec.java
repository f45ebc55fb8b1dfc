package io.github.losslab.app.trial;

import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.config.ResolvedConfig;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run as another process rebuilds it to run its trials: the resolved configuration (the YAML that
 * {@code --dry-run} prints, which holds every experiment's settings) and, when the run reads a data directory, the
 * bytes of its files, so that executors need no shared file system.
 *
 * @param configYaml the resolved configuration
 * @param dataFiles  the data directory's files by name; empty for the bundled data
 * @param id         a digest of both, which names the run on the workers
 */
public record RunSpec(String configYaml, Map<String, byte[]> dataFiles, String id) implements Serializable {

    /** The most data a run ships to its executors. */
    public static final long DATA_LIMIT_BYTES = 1L << 30;

    public RunSpec {
        dataFiles = new LinkedHashMap<>(dataFiles);
    }

    /**
     * The spec of a run: its configuration with the settings of its experiments, and the files of its data
     * directory (regular files at its top level).
     *
     * @throws UncheckedIOException when a data file cannot be read
     */
    public static RunSpec of(LosslabConfig config, Map<String, ? extends Record> settings) {
        String yaml = ResolvedConfig.toYaml(ResolvedConfig.toMap(config, settings));
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (config.dataDir() != null) {
            try (Stream<Path> entries = Files.list(config.dataDir())) {
                long total = 0;
                for (Path p : entries.sorted().toList()) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                        total += Files.size(p);
                        if (total > DATA_LIMIT_BYTES) {
                            throw new IllegalArgumentException("data-dir " + config.dataDir() + " holds more than "
                                    + (DATA_LIMIT_BYTES >> 20) + " MiB; keep only the data set's files there");
                        }
                        files.put(p.getFileName().toString(), Files.readAllBytes(p));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read data-dir " + config.dataDir() + ": " + e.getMessage(), e);
            }
        }
        return new RunSpec(yaml, files, digest(yaml, files));
    }

    private static String digest(String yaml, Map<String, byte[]> files) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(yaml.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                d.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                d.update(f.getValue());
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the data files, for messages. */
    public List<String> dataFileNames() {
        return List.copyOf(dataFiles.keySet());
    }
}
