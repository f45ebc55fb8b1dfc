package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.ModelSpec;
import org.tensorflow.TensorFlow;

import java.util.Objects;

/** TensorFlow Java (graph mode) as a losslab {@link Backend}. */
public final class TfBackend implements Backend {

    private final BackendOptions options;
    private final String version;

    private TfBackend(BackendOptions options, String version) {
        this.options = options;
        this.version = version;
    }

    /**
     * Loads the native TensorFlow library and checks the requested device.
     *
     * @throws BackendException when the native library is missing for this platform or a GPU was asked for and
     *                          the native library has no CUDA support
     */
    public static TfBackend create(BackendOptions options) {
        Objects.requireNonNull(options, "options");
        String version;
        try {
            version = TensorFlow.version();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new BackendException("the TensorFlow native library could not be loaded on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + ": add org.tensorflow:tensorflow-core-native:1.1.0 with the classifier for this platform "
                    + "(linux-x86_64, linux-x86_64-gpu, macosx-arm64, windows-x86_64) to the class path ("
                    + e + ")", e);
        }
        TfNativeLog.firstGraphRun(options);
        if ("gpu".equals(options.device()) && !TfDevices.gpuAvailable()) {
            throw new BackendException("device 'gpu' was requested but TensorFlow found no GPU: build with "
                    + "'-Pgpu' (native classifier linux-x86_64-gpu) and make the NVIDIA driver and the CUDA 12 / "
                    + "cuDNN 9 libraries visible on the library path, or use device 'cpu'");
        }
        return new TfBackend(options, version);
    }

    @Override
    public String name() {
        return TfBackendProvider.NAME;
    }

    @Override
    public String version() {
        return "TensorFlow " + version + " (TensorFlow Java 1.1.0)";
    }

    @Override
    public String device() {
        return "gpu".equals(options.device()) ? "gpu: " + TfDevices.gpuName() : "cpu";
    }

    @Override
    public BackendOptions options() {
        return options;
    }

    @Override
    public Model createModel(ModelSpec spec, Precision precision, long seed) {
        return TfModel.create(spec, precision, seed, options);
    }

    @Override
    public String toString() {
        return "TfBackend[" + version() + ", " + device() + "]";
    }
}
