package io.github.losslab.tf;

import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** TensorFlow's first log lines follow TF_CPP_MIN_LOG_LEVEL, in a child JVM that creates a backend and trains. */
class TfNativeLogTest {

    @Test
    void onlyNumbersOfOneOrMoreFilterInfo() {
        assertThat(TfNativeLog.quiet("2")).isTrue();
        assertThat(TfNativeLog.quiet(" 1 ")).isTrue();
        assertThat(TfNativeLog.quiet("0")).isFalse();
        assertThat(TfNativeLog.quiet(null)).isFalse();
        assertThat(TfNativeLog.quiet("")).isFalse();
        assertThat(TfNativeLog.quiet("INFO")).isFalse();
    }

    @Test
    void theFirstGraphRunIsQuietWhenInfoIsFilteredAndStandardErrorComesBack() throws Exception {
        String quiet = childStandardError("2");
        assertThat(quiet).doesNotContain("MLIR V1 optimization pass").doesNotContain("absl::InitializeLog")
                .contains("child: backend created").contains("child: trained");
        // without the variable, TensorFlow prints them: the check above can fail
        assertThat(childStandardError(null)).contains("MLIR V1 optimization pass");
    }

    /**
     * The backend's first session sizes TensorFlow's global thread pools, which every later session shares: it must
     * use the backend's own thread settings. Four intra-op threads instead of one give the process three more
     * threads (the first version's default session gave both the same count, and fit-function ran twice as slow).
     */
    @Test
    void theFirstSessionSizesTheThreadPoolsWithTheBackendsSettings() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")),
                "counts threads in /proc");
        int one = Integer.parseInt(childOutput(ThreadCount.class, "1").strip());
        int four = Integer.parseInt(childOutput(ThreadCount.class, "4").strip());
        assertThat(four - one).as("threads with 4 intra-op threads (%d) minus with 1 (%d)", four, one)
                .isGreaterThanOrEqualTo(2);
    }

    private static String childOutput(Class<?> main, String arg) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UseDynamicNumberOfCompilerThreads", "-cp", System.getProperty("java.class.path"),
                main.getName(), arg).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish within 120 s");
        }
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Creates a backend of {@code args[0]} intra-op threads, trains a little, prints the process's thread count. */
    public static final class ThreadCount {
        public static void main(String[] args) {
            TfBackend backend = TfBackend.create(BackendOptions.DEFAULT.withThreads(Integer.parseInt(args[0]), 2));
            ModelSpec spec = ModelSpec.mlp(8, new int[] {64}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
            try (Model m = backend.createModel(spec, Precision.FLOAT32, 1)) {
                m.train(io.github.losslab.api.contract.BackendFixtures.dataset(spec, 512, 1),
                        io.github.losslab.api.train.OptimizerSpec.sgd(0.1),
                        io.github.losslab.api.train.TrainingConfig.of(2, 512, 1, Precision.FLOAT32), List.of());
            }
            System.out.println(Path.of("/proc/self/task").toFile().list().length);
        }
    }

    private static String childStandardError(String minLogLevel) throws IOException, InterruptedException {
        Path err = Files.createTempFile("tf-native-log", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Child.class.getName())
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
            if (minLogLevel != null) {
                pb.environment().put("TF_CPP_MIN_LOG_LEVEL", minLogLevel);
            }
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the child JVM did not finish within 120 s");
            }
            String text = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Creates the backend, writes to standard error, trains a tiny model, writes again. */
    public static final class Child {
        public static void main(String[] args) {
            TfBackend backend = TfBackend.create(BackendOptions.DEFAULT);
            System.err.println("child: backend created");
            ModelSpec spec = ModelSpec.mlp(1, new int[] {3}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
            try (Model m = backend.createModel(spec, Precision.FLOAT32, 1)) {
                m.train(io.github.losslab.api.data.FunctionSampler.grid("x", x -> x, -1, 1, 8),
                        io.github.losslab.api.train.OptimizerSpec.sgd(0.1),
                        io.github.losslab.api.train.TrainingConfig.of(1, 8, 1, Precision.FLOAT32), List.of());
            }
            System.err.println("child: trained");
        }
    }
}
