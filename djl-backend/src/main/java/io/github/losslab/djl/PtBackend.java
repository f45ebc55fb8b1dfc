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
 * <p>Threads: eager PyTorch runs one operation at a time, and this backend does not split batches into pieces that
 * run at once as the TensorFlow backend does, so the threads {@link BackendOptions} give to parallel operations
 * would sit idle. PyTorch's one pool therefore gets {@link #threads(BackendOptions, int)}: one thread in
 * {@link BackendOptions#deterministic() deterministic} mode, PyTorch's own choice when
 * {@link BackendOptions#intraOpThreads()} is 0, and otherwise {@code max(intraOpThreads, interOpThreads)}, which for
 * {@link BackendOptions#DEFAULT} (1 and the number of cores) is one thread per core. The pool belongs to the
 * process, so the backend created last sets it for every PyTorch model of the process. Its threads are OpenMP
 * threads: on a machine busy with other work, spinning ones slow training several-fold, so run with
 * {@code OMP_WAIT_POLICY=PASSIVE} (the {@code losslab} launcher sets it).
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
        PtNative.engine();
        if ("gpu".equals(options.device()) && !PtNative.gpuAvailable()) {
            throw new BackendException("device 'gpu' was requested but the PyTorch library has no CUDA support or "
                    + "sees no GPU: Maven Central carries only the CPU build (pytorch-native-cpu); point "
                    + "PYTORCH_LIBRARY_PATH at the lib directory of a CUDA 12.8 build of libtorch 2.7.1 (the libtorch "
                    + "download, or torch/lib of pip's torch 2.7.1+cu128) and make the NVIDIA driver visible, or use "
                    + "device 'cpu'");
        }
        PtNative.setIntraOpThreads(threads(options, PtNative.defaultThreads()));
        return new PtBackend(options, PtNative.version());
    }

    /**
     * The size of PyTorch's thread pool under {@code options}: 1 when deterministic, {@code pytorchDefault} (the
     * pool size PyTorch chose when it was loaded) when the intra-op count is 0, and otherwise the larger of the
     * intra-op and inter-op counts, as the one pool takes the place of both.
     */
    static int threads(BackendOptions options, int pytorchDefault) {
        if (options.deterministic()) {
            return 1;
        }
        if (options.intraOpThreads() == 0) {
            return pytorchDefault;
        }
        return Math.max(options.intraOpThreads(), options.interOpThreads());
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
