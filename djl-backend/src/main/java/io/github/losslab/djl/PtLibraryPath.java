package io.github.losslab.djl;

import io.github.losslab.api.BackendException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PyTorch library that {@code PYTORCH_LIBRARY_PATH} points at, checked before Deep Java Library loads it.
 *
 * <p>DJL's JNI bridge is compiled against one PyTorch release ({@link #SUPPORTED_VERSION}). Another release may
 * load, but then fails at the first tensor: PyTorch 2.11 (a pip install's {@code torch/lib}) refused every tensor
 * DJL 0.36 created with "set_stride is not allowed on a Tensor created from .data or .detach()". A library whose
 * directory says which release it is (the libtorch download's {@code build-version}, or pip's
 * {@code torch/version.py}) is therefore refused up front when it is another release.
 *
 * <p>DJL also needs the library's build flavor to find its bridge; left unset it guesses one from the CUDA version
 * of the machine (such as {@code cu130-precxx11}) that its jar does not hold. When neither {@code PYTORCH_FLAVOR}
 * nor the system property of that name is set, {@link #prepare} sets the property to {@code cu128} for a library
 * with CUDA ({@code libtorch_cuda.so} beside {@code libtorch.so}) and to {@code cpu} otherwise.
 */
final class PtLibraryPath {

    /** The PyTorch release DJL's JNI bridge (ai.djl.pytorch:pytorch-jni) is built for. */
    static final String SUPPORTED_VERSION = "2.7.1";
    /** The variable (and system property) DJL reads the library's location from. */
    static final String VARIABLE = "PYTORCH_LIBRARY_PATH";
    static final String FLAVOR = "PYTORCH_FLAVOR";
    /** What to do about a library that cannot be used. */
    static final String REMEDY = "point " + VARIABLE + " at the lib directory of a libtorch " + SUPPORTED_VERSION
            + " (CPU, or CUDA 12.8 for a GPU), or unset it to use the CPU build from Maven Central";

    private static final String LIBTORCH = System.mapLibraryName("torch");
    private static final String LIBTORCH_CUDA = System.mapLibraryName("torch_cuda");
    private static final Pattern PIP_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    /** A release number read from a file beside the library. */
    record Version(String version, Path file) {
    }

    /** The library's directory, and the release it names when it names one. */
    record Library(Path dir, Optional<Version> version) {
    }

    private PtLibraryPath() {
    }

    /**
     * Checks the library {@code pathList} (the value of {@code PYTORCH_LIBRARY_PATH}, or null) points at and sets
     * the flavor DJL needs for it; does nothing when {@code pathList} is null or empty.
     *
     * @return the library's directory and named release, when there is a library to use
     * @throws BackendException when no entry holds the library, or the library says it is another release
     */
    static Optional<Library> prepare(String pathList) {
        if (pathList == null || pathList.isBlank()) {
            return Optional.empty();
        }
        Path dir = libraryDirectory(pathList).orElseThrow(() -> new BackendException(VARIABLE + "=" + pathList
                + " holds no " + LIBTORCH + ": point it at the lib directory of a libtorch " + SUPPORTED_VERSION
                + " (the one holding " + LIBTORCH + "), or unset it to use the CPU build from Maven Central"));
        Optional<Version> version = version(dir);
        if (version.isPresent() && !sameRelease(version.get().version())) {
            throw new BackendException(VARIABLE + " points at PyTorch " + version.get().version() + " (says "
                    + version.get().file() + "), but the pytorch backend (Deep Java Library "
                    + "0.36) works only with PyTorch " + SUPPORTED_VERSION + ": with other releases it fails at "
                    + "the first tensor; " + REMEDY);
        }
        if (isUnset(System.getenv(FLAVOR)) && isUnset(System.getProperty(FLAVOR))) {
            System.setProperty(FLAVOR, flavor(dir));
        }
        return Optional.of(new Library(dir, version));
    }

    /** The first entry of {@code pathList} that is the library file or a directory holding it, as DJL picks it. */
    static Optional<Path> libraryDirectory(String pathList) {
        for (String entry : pathList.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isRegularFile(p) && p.getFileName().toString().equals(LIBTORCH)) {
                return Optional.of(p.getParent());
            }
            if (Files.isRegularFile(p.resolve(LIBTORCH))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The release the library in {@code dir} says it is: the first line of {@code ../build-version} (the libtorch
     * download) or {@code __version__} in {@code ../version.py} (pip's torch package); empty when neither says.
     */
    static Optional<Version> version(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) {
            return Optional.empty();
        }
        Path buildVersion = parent.resolve("build-version");
        Optional<String> text = read(buildVersion);
        if (text.isPresent()) {
            List<String> lines = text.get().strip().lines().toList();
            if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                return Optional.of(new Version(lines.get(0).strip(), buildVersion));
            }
        }
        Path versionPy = parent.resolve("version.py");
        return read(versionPy).map(PIP_VERSION::matcher).filter(Matcher::find)
                .map(m -> new Version(m.group(1), versionPy));
    }

    /** True when {@code version} (such as {@code 2.7.1+cu128}) is release {@link #SUPPORTED_VERSION}. */
    static boolean sameRelease(String version) {
        return version.equals(SUPPORTED_VERSION) || version.startsWith(SUPPORTED_VERSION + "+")
                || version.startsWith(SUPPORTED_VERSION + "-");
    }

    /** The DJL flavor of the library in {@code dir}: {@code cu128} when it was built with CUDA, else {@code cpu}. */
    static String flavor(Path dir) {
        return Files.exists(dir.resolve(LIBTORCH_CUDA)) ? "cu128" : "cpu";
    }

    private static boolean isUnset(String value) {
        return value == null || value.isEmpty();
    }

    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
