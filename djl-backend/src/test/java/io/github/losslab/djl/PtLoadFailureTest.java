package io.github.losslab.djl;

import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Without the native artifact the backend fails with a {@link BackendException} that names what to put on the class
 * path, and downloads nothing (the child JVM is not given {@code ai.djl.offline}: the backend sets it). Runs in a child JVM, as the library loads once per process.
 */
class PtLoadFailureTest {

    /** How long the child JVM may take; a hung child is killed then and the test fails. */
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    /** The child JVM: creates the backend and prints the failure. */
    public static void main(String[] args) {
        try {
            Backends.create("pytorch", BackendOptions.DEFAULT);
            System.out.println("LOADED");
        } catch (BackendException e) {
            System.out.println("BackendException: " + e.getMessage());
        }
        System.out.println("offline=" + System.getProperty(PtNative.OFFLINE_PROPERTY));
    }

    /** A child JVM that hangs after a line of output. */
    static final class Hang {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("hanging");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aMissingNativeLibraryNamesTheArtifactsToInstall(@TempDir Path emptyCache, @TempDir Path logs)
            throws Exception {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.asList(testClassPath.split(File.pathSeparator));
        assumeTrue(entries.stream().anyMatch(e -> e.contains("pytorch-native-cpu")),
                "the class path of this run lists its jars");
        String withoutNative = entries.stream().filter(e -> !e.contains("pytorch-native-cpu"))
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", withoutNative, PtLoadFailureTest.class.getName());
        // an empty cache, so that no library extracted by an earlier run is found
        pb.environment().put("DJL_CACHE_DIR", emptyCache.toString());
        pb.environment().remove("PYTORCH_LIBRARY_PATH");
        Path log = logs.resolve("child.log");
        pb.redirectErrorStream(true);
        // To a file, not a pipe: the test never blocks reading, and the child never blocks on a full pipe.
        pb.redirectOutput(log.toFile());
        String output = runWithTimeout(pb, log, CHILD_TIMEOUT_SECONDS);
        assertThat(output).contains("BackendException: the PyTorch native library could not be loaded")
                .contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1").contains("linux-x86_64")
                .contains("PYTORCH_LIBRARY_PATH").doesNotContain("LOADED");
        // the backend itself put DJL offline: it tried no download of a library
        assertThat(output).contains("offline=true");
        assertThat(emptyCache.resolve("pytorch")).doesNotExist();
    }

    @Test
    void aHungChildIsKilledAndFailsTheTestInsteadOfHangingIt(@TempDir Path logs) {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", testClassPath, Hang.class.getName());
        Path log = logs.resolve("child.log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        long start = System.nanoTime();

        assertThatThrownBy(() -> runWithTimeout(pb, log, 3)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the child JVM ended within 3 s; it was killed").hasMessageContaining("hanging");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    }

    /**
     * Starts the child, waits for it at most {@code seconds} and returns what it wrote to {@code log}; a child still
     * running then is killed and the test fails with its output so far.
     */
    static String runWithTimeout(ProcessBuilder pb, Path log, long seconds) throws IOException, InterruptedException {
        Process p = pb.start();
        boolean finished = false;
        try {
            finished = p.waitFor(seconds, TimeUnit.SECONDS);
        } finally {
            if (!finished) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the child JVM ended within %d s; it was killed. Its output:%n%s", seconds, output)
                .isTrue();
        return output;
    }
}
