package io.github.losslab.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.losslab.api.BackendException;

import java.util.Arrays;
import java.util.Optional;

/**
 * Loads Deep Java Library's PyTorch engine once per process. DJL is put in offline mode first (unless the caller
 * chose otherwise with {@code ai.djl.offline} or {@code DJL_OFFLINE}): the native library then comes only from
 * {@code ai.djl.pytorch:pytorch-native-cpu} on the class path (extracted once to {@code ~/.djl.ai}, or to
 * {@code DJL_CACHE_DIR}), and DJL neither downloads a library nor sends its usage ping. With
 * {@code PYTORCH_LIBRARY_PATH} the library comes from that directory instead, checked first by
 * {@link PtLibraryPath}. Once loaded, the library must create and read back a tensor, or the backend is refused.
 */
final class PtNative {

    static final String ENGINE_NAME = "PyTorch";
    static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private static Engine engine;
    private static int defaultThreads;
    /** The release the library's directory names, when it came from PYTORCH_LIBRARY_PATH and names one. */
    private static String namedRelease;

    private PtNative() {
    }

    /**
     * The PyTorch engine, loaded on first use.
     *
     * @throws BackendException naming the artifacts to put on the class path when the library cannot be loaded
     */
    static synchronized Engine engine() {
        if (engine == null) {
            if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
                System.setProperty(OFFLINE_PROPERTY, "true");
            }
            Optional<PtLibraryPath.Library> override = PtLibraryPath.prepare(libraryPathSetting());
            try {
                Engine loaded = Engine.getEngine(ENGINE_NAME);
                usable(loaded);
                defaultThreads = JniUtils.getNumThreads();
                namedRelease = override.flatMap(PtLibraryPath.Library::version).map(PtLibraryPath.Version::version)
                        .orElse(null);
                engine = loaded;
            } catch (RuntimeException | LinkageError e) {
                if (override.isPresent()) {
                    throw new BackendException("the PyTorch library in " + override.get().dir() + " (from "
                            + PtLibraryPath.VARIABLE + ") could not be used (" + e + "). The pytorch backend (Deep "
                            + "Java Library 0.36) needs PyTorch " + PtLibraryPath.SUPPORTED_VERSION + ": "
                            + PtLibraryPath.REMEDY, e);
                }
                throw new BackendException("the PyTorch native library could not be loaded on "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + ": put ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and "
                        + "ai.djl.pytorch:pytorch-native-cpu:2.7.1 with the classifier of this platform (for example "
                        + "linux-x86_64) on the class path, or point PYTORCH_LIBRARY_PATH at the lib directory of a "
                        + "libtorch 2.7.1; make sure PYTORCH_VERSION is unset (" + e + ")", e);
            }
        }
        return engine;
    }

    /** {@code PYTORCH_LIBRARY_PATH} as DJL reads it: the environment variable, else the system property. */
    private static String libraryPathSetting() {
        String value = System.getenv(PtLibraryPath.VARIABLE);
        return value != null ? value : System.getProperty(PtLibraryPath.VARIABLE);
    }

    /**
     * Creates and reads back one tensor: a library of another PyTorch release than DJL's bridge was built for can
     * load and still refuse every tensor.
     */
    private static void usable(Engine loaded) {
        try (NDManager manager = loaded.newBaseManager(Device.cpu())) {
            float[] back = manager.create(new float[] {1.5f}).toFloatArray();
            if (back.length != 1 || back[0] != 1.5f) {
                throw new IllegalStateException("a tensor of [1.5] read back as " + Arrays.toString(back));
            }
        }
    }

    /**
     * The PyTorch release loaded: the one its directory names (such as {@code 2.7.1+cu128}) when it came from
     * {@code PYTORCH_LIBRARY_PATH}, else the one DJL reports.
     */
    static synchronized String version() {
        Engine e = engine();
        return namedRelease != null ? namedRelease : e.getVersion();
    }

    /** True when the loaded library was built with CUDA and sees a GPU. */
    static boolean gpuAvailable() {
        Engine e = engine();
        return e.hasCapability(StandardCapabilities.CUDA) && e.getGpuCount() > 0;
    }

    /** The device models are created on. */
    static Device device(String name) {
        return "gpu".equals(name) ? Device.gpu() : Device.cpu();
    }

    /**
     * Sets the threads of one operation for the whole process (PyTorch's thread pool is global). Eager PyTorch
     * runs one operation at a time, so there is no inter-operation pool to size.
     */
    static void setIntraOpThreads(int threads) {
        engine();
        JniUtils.setNumThreads(threads);
    }

    /** The threads of one operation now, for the whole process. */
    static int intraOpThreads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /**
     * The size of PyTorch's thread pool when the library was loaded: its own choice (one thread per physical core,
     * or {@code OMP_NUM_THREADS}).
     */
    static synchronized int defaultThreads() {
        engine();
        return defaultThreads;
    }
}
