package io.github.losslab.djl;

import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Without the native artifact the backend fails with a {@link BackendException} that names what to put on the class
 * path, and downloads nothing (the child JVM is not given {@code ai.djl.offline}: the backend sets it). Runs in a child JVM, as the library loads once per process.
 */
class PtLoadFailureTest {

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

    @Test
    void aMissingNativeLibraryNamesTheArtifactsToInstall(@TempDir Path emptyCache) throws Exception {
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
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = read(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("BackendException: the PyTorch native library could not be loaded")
                .contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1").contains("linux-x86_64")
                .contains("PYTORCH_LIBRARY_PATH").doesNotContain("LOADED");
        // the backend itself put DJL offline: it tried no download of a library
        assertThat(output).contains("offline=true");
        assertThat(emptyCache.resolve("pytorch")).doesNotExist();
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
