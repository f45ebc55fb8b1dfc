package io.github.losslab.tf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.losslab.api.BackendOptions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Makes TensorFlow 2.18's first graph optimization honour {@code TF_CPP_MIN_LOG_LEVEL}.
 *
 * <p>The first session run of a process prints two lines through Abseil's logging, which ignores that variable:
 * "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR" and "I0000 ...
 * mlir_graph_optimization_pass.cc ... MLIR V1 optimization pass is not enabled" (an INFO message, logged once per
 * process). When {@code TF_CPP_MIN_LOG_LEVEL} is 1 or more (INFO filtered; the launcher sets 2), the backend runs a
 * one-op graph once, after the native library is loaded, with the process's standard error (file descriptor 2)
 * pointed at {@code /dev/null}, and then restores it: the two lines go there, later sessions print nothing, and
 * everything else (loading errors, other threads' output outside those milliseconds) still reaches the terminal.
 * Where the C library cannot be reached (Windows, or JNA missing), the graph runs without the redirection.
 */
final class TfNativeLog {

    private static final Logger LOG = LogManager.getLogger(TfNativeLog.class);
    private static final int STDERR = 2;
    private static final int WRITE_ONLY = 1;
    private static boolean done;

    private TfNativeLog() {
    }

    /** The C library functions the redirection needs (POSIX). */
    interface CLibrary extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }

    /**
     * Runs the first graph of the process once, quietly when {@code TF_CPP_MIN_LOG_LEVEL} asks for it, in a session
     * with the backend's own settings ({@link TfModel#sessionConfig}): the first session sizes TensorFlow's global
     * thread pools (a default one made them twice too large for one intra-op thread, and fit-function twice as slow).
     */
    static synchronized void firstGraphRun(BackendOptions options) {
        if (done) {
            return;
        }
        done = true;
        CLibrary c = quiet(System.getenv("TF_CPP_MIN_LOG_LEVEL")) ? cLibrary() : null;
        int saved = c == null ? -1 : redirect(c);
        try {
            runOneOp(options);
        } finally {
            if (saved >= 0) {
                c.dup2(saved, STDERR);
                c.close(saved);
            }
        }
    }

    /** Whether the variable filters INFO messages: a number of 1 or more. */
    static boolean quiet(String minLogLevel) {
        if (minLogLevel == null) {
            return false;
        }
        try {
            return Integer.parseInt(minLogLevel.trim()) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static CLibrary cLibrary() {
        if (Platform.isWindows()) {
            return null;
        }
        try {
            return Native.load("c", CLibrary.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("cannot reach the C library to quiet TensorFlow's first log lines: {}", e.toString());
            return null;
        }
    }

    /** Points standard error at /dev/null; returns a duplicate of the old one, or -1 when that failed. */
    private static int redirect(CLibrary c) {
        int nul = c.open("/dev/null", WRITE_ONLY);
        if (nul < 0) {
            return -1;
        }
        int saved = c.dup(STDERR);
        if (saved >= 0 && c.dup2(nul, STDERR) < 0) {
            c.close(saved);
            saved = -1;
        }
        c.close(nul);
        return saved;
    }

    private static void runOneOp(BackendOptions options) {
        try (Graph g = new Graph(); Session s = new Session(g, TfModel.sessionConfig(options))) {
            Ops tf = Ops.create(g);
            s.runner().fetch(tf.math.add(tf.constant(1f), tf.constant(2f))).run().close();
        }
    }
}
