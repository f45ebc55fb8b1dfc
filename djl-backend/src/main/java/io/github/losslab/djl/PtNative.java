package io.github.losslab.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import io.github.losslab.api.BackendException;

/**
 * Loads Deep Java Library's PyTorch engine once per process. DJL is put in offline mode first (unless the caller
 * chose otherwise with {@code ai.djl.offline} or {@code DJL_OFFLINE}): the native library then comes only from
 * {@code ai.djl.pytorch:pytorch-native-cpu} on the class path (extracted once to {@code ~/.djl.ai}, or to
 * {@code DJL_CACHE_DIR}), and DJL neither downloads a library nor sends its usage ping.
 */
final class PtNative {

    static final String ENGINE_NAME = "PyTorch";
    static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private static Engine engine;
    private static int defaultThreads;

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
            try {
                engine = Engine.getEngine(ENGINE_NAME);
                defaultThreads = JniUtils.getNumThreads();
            } catch (RuntimeException | LinkageError e) {
                throw new BackendException("the PyTorch native library could not be loaded on "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + ": put ai.djl.pytorch:pytorch-engine:0.36.0, ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and "
                        + "ai.djl.pytorch:pytorch-native-cpu:2.7.1 with the classifier of this platform (for example "
                        + "linux-x86_64) on the class path, or point PYTORCH_LIBRARY_PATH at a libtorch 2.7.1 "
                        + "directory; make sure PYTORCH_VERSION and PYTORCH_FLAVOR are unset (" + e + ")", e);
            }
        }
        return engine;
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
