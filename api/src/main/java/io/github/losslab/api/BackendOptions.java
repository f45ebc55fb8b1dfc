package io.github.losslab.api;

/**
 * Settings a backend is created with.
 *
 * @param device            {@code cpu} or {@code gpu}; a backend that cannot honour {@code gpu} fails with a
 *                          {@link BackendException} that says what to install
 * @param deterministic     single-threaded native operations, so that equal seeds give equal numbers
 * @param intraOpThreads    threads inside one operation; 0 lets the backend choose
 * @param interOpThreads    operations run in parallel; 0 lets the backend choose. A backend that runs one operation
 *                          at a time (PyTorch) gives its operations {@code max(intraOpThreads, interOpThreads)}
 *                          threads instead, so that it uses as many cores
 * @param verboseNativeLogs keep the native library's own log output (quiet by default)
 */
public record BackendOptions(String device, boolean deterministic, int intraOpThreads, int interOpThreads,
                             boolean verboseNativeLogs) {

    /**
     * CPU, not deterministic, one thread inside each operation and as many operations at a time as the machine has
     * cores, native logs quiet. The TensorFlow backend splits large batches into independent pieces that then run on
     * all cores at once; on 2 cores this beat every other setting measured (a 784-128-10 epoch at batch 1024:
     * 0.32 s, against 0.38 s with two threads inside each operation and 0.53 s with one thread in all). The PyTorch
     * backend runs one operation at a time and does not split batches; it gives each operation
     * {@code max(intraOpThreads, interOpThreads)} threads, here one per core, so both backends use every core.
     */
    public static final BackendOptions DEFAULT = new BackendOptions("cpu", false, 1,
            Math.max(1, Runtime.getRuntime().availableProcessors()), false);

    public BackendOptions {
        if (!"cpu".equals(device) && !"gpu".equals(device)) {
            throw new IllegalArgumentException("device must be 'cpu' or 'gpu', was '" + device + "'");
        }
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be at least 0 (0 = backend's choice), were "
                    + intraOpThreads + " and " + interOpThreads);
        }
    }

    public BackendOptions withDeterministic(boolean value) {
        return new BackendOptions(device, value, intraOpThreads, interOpThreads, verboseNativeLogs);
    }

    public BackendOptions withThreads(int intraOp, int interOp) {
        return new BackendOptions(device, deterministic, intraOp, interOp, verboseNativeLogs);
    }

    public BackendOptions withDevice(String value) {
        return new BackendOptions(value, deterministic, intraOpThreads, interOpThreads, verboseNativeLogs);
    }
}
