package io.github.losslab.djl;

import ai.djl.pytorch.jni.LibUtils;
import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code PYTORCH_LIBRARY_PATH}: the library is found as DJL finds it, a library that says it is another PyTorch
 * release is refused before it is loaded, and a library of the right release loads without {@code PYTORCH_FLAVOR}
 * (a child JVM loads the Maven library's files from another directory, as a libtorch download would be laid out).
 */
class PtLibraryPathTest {

    private static final String LIBTORCH = System.mapLibraryName("torch");

    @AfterEach
    void clearFlavor() {
        System.clearProperty(PtLibraryPath.FLAVOR);
    }

    /** The child JVM: creates the backend and prints what it loaded. */
    public static void main(String[] args) {
        try {
            String version = Backends.create("pytorch", BackendOptions.DEFAULT).version();
            System.out.println("LOADED from " + LibUtils.getLibtorchPath() + " flavor="
                    + System.getProperty(PtLibraryPath.FLAVOR) + " version=" + version);
        } catch (BackendException e) {
            System.out.println("BackendException: " + e.getMessage());
        }
    }

    @Test
    void findsTheLibraryAsDjlDoesInAListOfEntries(@TempDir Path tmp) throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.writeString(lib.resolve(LIBTORCH), "");
        String missing = tmp.resolve("nowhere").toString();
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        assertThat(PtLibraryPath.libraryDirectory(String.join(File.pathSeparator, missing, empty.toString(),
                lib.toString()))).contains(lib.toAbsolutePath());
        assertThat(PtLibraryPath.libraryDirectory(lib.resolve(LIBTORCH).toString())).contains(lib.toAbsolutePath());
        assertThat(PtLibraryPath.libraryDirectory(empty.toString())).isEmpty();
    }

    @Test
    void readsTheReleaseOfALibtorchDownloadAndOfAPipInstall(@TempDir Path tmp) throws IOException {
        Path download = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        Path pip = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
        Files.writeString(tmp.resolve("site-packages/torch/version.py"),
                "from typing import Optional\n\n__all__ = ['__version__']\n__version__ = '2.11.0+cu130'\n"
                        + "git_version = 'abc'\n");
        Path bare = Files.createDirectories(tmp.resolve("bare/lib"));

        assertThat(PtLibraryPath.version(download)).contains(
                new PtLibraryPath.Version("2.7.1+cu128", tmp.resolve("libtorch/build-version").toAbsolutePath()));
        assertThat(PtLibraryPath.version(pip).map(PtLibraryPath.Version::version)).contains("2.11.0+cu130");
        assertThat(PtLibraryPath.version(bare)).isEmpty();
    }

    @Test
    void onlyTheSupportedReleaseCounts() {
        assertThat(Stream.of("2.7.1", "2.7.1+cpu", "2.7.1+cu128", "2.7.1-rc1")).allMatch(PtLibraryPath::sameRelease);
        assertThat(Stream.of("2.7.10", "2.7.0", "2.11.0+cu130", "12.7.1")).noneMatch(PtLibraryPath::sameRelease);
    }

    @Test
    void supportedReleaseIsTheOneOfTheJniBridgeOnTheClassPath() throws IOException {
        try (var in = LibUtils.class.getResourceAsStream("/jnilib/pytorch.properties")) {
            assertThat(in).as("pytorch-jni on the class path").isNotNull();
            String properties = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(properties).contains("jni_version=" + PtLibraryPath.SUPPORTED_VERSION + "-");
        }
    }

    @Test
    void anotherReleaseIsRefusedBeforeLoadingWithWhatToDo(@TempDir Path tmp) throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
        Files.writeString(lib.resolve(LIBTORCH), "");
        Path versionPy = tmp.resolve("site-packages/torch/version.py");
        Files.writeString(versionPy, "__version__ = '2.11.0+cu130'\n");

        assertThatThrownBy(() -> PtLibraryPath.prepare(lib.toString())).isInstanceOf(BackendException.class)
                .hasMessageContaining("PyTorch 2.11.0+cu130").hasMessageContaining(versionPy.toAbsolutePath()
                        .toString()).hasMessageContaining("only with PyTorch 2.7.1")
                .hasMessageContaining("unset it");
        assertThat(System.getProperty(PtLibraryPath.FLAVOR)).isNull();
    }

    @Test
    void aPathWithoutTheLibraryIsRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> PtLibraryPath.prepare(tmp.toString())).isInstanceOf(BackendException.class)
                .hasMessageContaining("PYTORCH_LIBRARY_PATH=" + tmp).hasMessageContaining("holds no " + LIBTORCH);
        assertThat(PtLibraryPath.prepare(null)).isEmpty();
        assertThat(PtLibraryPath.prepare("")).isEmpty();
    }

    @Test
    void theFlavorFollowsTheLibrarysCudaSupportUnlessSet(@TempDir Path tmp) throws IOException {
        Path cpu = Files.createDirectories(tmp.resolve("cpu/lib"));
        Files.writeString(cpu.resolve(LIBTORCH), "");
        Path cuda = Files.createDirectories(tmp.resolve("cuda/lib"));
        Files.writeString(cuda.resolve(LIBTORCH), "");
        Files.writeString(cuda.resolve(System.mapLibraryName("torch_cuda")), "");

        assertThat(PtLibraryPath.flavor(cpu)).isEqualTo("cpu");
        assertThat(PtLibraryPath.flavor(cuda)).isEqualTo("cu128");
        PtLibraryPath.prepare(cuda.toString());
        assertThat(System.getProperty(PtLibraryPath.FLAVOR)).isEqualTo("cu128");
        System.setProperty(PtLibraryPath.FLAVOR, "cpu");
        PtLibraryPath.prepare(cuda.toString());
        assertThat(System.getProperty(PtLibraryPath.FLAVOR)).as("a flavor the user set stays").isEqualTo("cpu");
    }

    @Test
    void aLibtorchOfTheSupportedReleaseLoadsFromItsDirectoryWithoutAFlavor(@TempDir Path tmp, @TempDir Path cache,
            @TempDir Path logs) throws Exception {
        // the Maven library's files, laid out as the libtorch download is: libtorch/lib and libtorch/build-version
        PtNative.engine();
        Path maven = Path.of(LibUtils.getLibtorchPath());
        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
        try (Stream<Path> files = Files.list(maven)) {
            for (Path f : files.toList()) {
                // without the bridge: DJL must extract it from pytorch-jni, which needs the flavor
                if (!f.getFileName().toString().contains("djl_torch")) {
                    Files.createSymbolicLink(lib.resolve(f.getFileName()), f);
                }
            }
        }
        Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cpu\n");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, PtLibraryPathTest.class.getName()));
        pb.environment().put(PtLibraryPath.VARIABLE, lib.toString());
        pb.environment().remove(PtLibraryPath.FLAVOR);
        pb.environment().remove("PYTORCH_VERSION");
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        Path log = logs.resolve("child.log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());

        String output;
        try {
            output = PtLoadFailureTest.runWithTimeout(pb, log, 120);
        } finally {
            // the links point out of the temporary directory: removed here, JUnit need not warn about them
            try (Stream<Path> links = Files.list(lib)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }

        // the release its directory names, in the backend's version (and so in every report's provenance)
        assertThat(output).contains("LOADED from " + lib.toAbsolutePath()
                + " flavor=cpu version=PyTorch 2.7.1+cpu (Deep Java Library 0.36.0)");
        try (Stream<Path> extracted = Files.walk(cache)) {
            assertThat(extracted.map(p -> cache.relativize(p).toString().replace(File.separatorChar, '/')))
                    .as("the bridge for the cpu flavor, extracted from pytorch-jni")
                    .anyMatch(p -> p.matches("pytorch/2\\.7\\.1[^/]*-cpu-linux-x86_64/0\\.36\\.0-"
                            + System.mapLibraryName("djl_torch")));
        }
    }
}
