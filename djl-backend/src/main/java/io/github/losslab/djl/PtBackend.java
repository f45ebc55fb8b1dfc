package io.github.losslab.djl;

import ai.djl.engine.Engine;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.ModelSpec;

import java.util.Objects;

/**
 * PyTorch, through Deep Java Library, as a losslab {@link Backend}: eager computation with autograd, exact
 * Hessian-vector products for every model.
 *
 * <p>PyTorch's thread pool belongs to the process, so {@link BackendOptions#deterministic()} (one thread) and
 * {@link BackendOptions#intraOpThreads()} apply to every PyTorch model of the process;
 * {@link BackendOptions#interOpThreads()} has no effect, as eager PyTorch runs one operation at a time.
 */
public final class PtBackend implements Backend {

    private final BackendOptions options;
    private final String version;

    private PtBackend(BackendOptions options, String version) {
        this.options = options;
        this.version = version;
    }

    /**
     * Loads the PyTorch native library (from the class path, without downloading) and checks the requested device.
     *
     * @throws BackendException when the native library is missing for this platform, or a GPU was asked for and the
     *                          loaded library has no CUDA support or sees no GPU
     */
    public static PtBackend create(BackendOptions options) {
        Objects.requireNonNull(options, "options");
        Engine engine = PtNative.engine();
        if ("gpu".equals(options.device()) && !PtNative.gpuAvailable()) {
            throw new BackendException("device 'gpu' was requested but the PyTorch library has no CUDA support or "
                    + "sees no GPU: Maven Central carries only the CPU build (pytorch-native-cpu); point "
                    + "PYTORCH_LIBRARY_PATH at a CUDA 12.8 build of libtorch 2.7.1, set PYTORCH_FLAVOR=cu128 and make "
                    + "the NVIDIA driver visible, or use device 'cpu'");
        }
        if (options.deterministic()) {
            PtNative.setIntraOpThreads(1);
        } else if (options.intraOpThreads() > 0) {
            PtNative.setIntraOpThreads(options.intraOpThreads());
        }
        return new PtBackend(options, engine.getVersion());
    }

    @Override
    public String name() {
        return PtBackendProvider.NAME;
    }

    @Override
    public String version() {
        return "PyTorch " + version + " (Deep Java Library " + Engine.getDjlVersion() + ")";
    }

    @Override
    public String device() {
        return "gpu".equals(options.device()) ? "gpu: " + PtNative.device("gpu") : "cpu";
    }

    @Override
    public BackendOptions options() {
        return options;
    }

    @Override
    public Model createModel(ModelSpec spec, Precision precision, long seed) {
        return PtModel.create(spec, precision, seed, options);
    }

    @Override
    public String toString() {
        return "PtBackend[" + version() + ", " + device() + "]";
    }
}
