package io.github.losslab.djl;

import ai.djl.pytorch.jni.JniUtils;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread options reach PyTorch's pool, read back from the native library. The pool belongs to the process, so
 * each test puts back the size it found.
 */
class PtThreadsTest {

    private int before;

    @BeforeEach
    void remember() {
        PtNative.engine();
        before = JniUtils.getNumThreads();
    }

    @AfterEach
    void restore() {
        JniUtils.setNumThreads(before);
    }

    private static int threadsAfterCreating(BackendOptions options) {
        JniUtils.setNumThreads(7);   // a size that none of the options below asks for
        Backends.create("pytorch", options);
        return JniUtils.getNumThreads();
    }

    @Test
    void theDefaultUsesOneThreadPerCore() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(threadsAfterCreating(BackendOptions.DEFAULT)).isEqualTo(Math.max(1, cores));
    }

    @Test
    void interOpThreadsWidenThePoolAsPyTorchRunsOneOperationAtATime() {
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(1, 3))).isEqualTo(3);
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(2, 1))).isEqualTo(2);
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(4, 2))).isEqualTo(4);
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(1, 1))).isEqualTo(1);
    }

    @Test
    void deterministicModeIsSingleThreaded() {
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(1, 3).withDeterministic(true)))
                .isEqualTo(1);
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withDeterministic(true))).isEqualTo(1);
    }

    @Test
    void intraOpZeroGivesPyTorchItsOwnChoiceBack() {
        int own = PtNative.defaultThreads();

        assertThat(own).isPositive();
        assertThat(threadsAfterCreating(BackendOptions.DEFAULT.withThreads(0, 3))).isEqualTo(own);
        assertThat(PtBackend.threads(BackendOptions.DEFAULT.withThreads(0, 0), 5)).isEqualTo(5);
    }
}
