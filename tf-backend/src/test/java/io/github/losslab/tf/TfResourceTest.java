package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Native resources are released: long trainings and many models do not grow the resident memory. */
class TfResourceTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void trainingStepsAndModelLifecyclesDoNotLeak() throws IOException {
        Backend backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16, 16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("sin", Math::sin, -2, 2, 256);
        // warm up: first use of every op loads kernels and allocator pools
        cycle(backend, spec, data, 10, 200);
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 0)) {
            m.hessianVectorProduct(data.batch(0, 16), new double[spec.parameterCount()]);
        }
        long before = settledResidentBytes();
        // 5,000 training steps and 200 models created, used and closed
        cycle(backend, spec, data, 1, 5000);
        for (int i = 0; i < 200; i++) {
            try (Model m = backend.createModel(spec, Precision.FLOAT32, i)) {
                m.evaluate(data, EnumSet.of(Metric.LOSS));
                m.lossAndGradient(data.batch(0, 16));
                if (i % 20 == 0) {
                    m.hessianVectorProduct(data.batch(0, 16), new double[spec.parameterCount()]);
                }
            }
        }
        long after = settledResidentBytes();
        assertThat((after - before) / MIB).as("resident memory growth in MiB").isLessThan(50);
    }

    private static void cycle(Backend backend, ModelSpec spec, Dataset data, int models, int steps) {
        for (int i = 0; i < models; i++) {
            try (Model m = backend.createModel(spec, Precision.FLOAT32, i)) {
                int epochs = steps / 16;
                m.train(data, OptimizerSpec.adam(0.01), TrainingConfig.of(epochs, 16, i, Precision.FLOAT32), List.of());
            }
        }
    }

    /**
     * Resident memory after a garbage collection: tensors and results hold small Java objects whose native memory
     * is freed with them, so the heap is collected before measuring (the build bounds the heap to 512 MiB).
     */
    private static long settledResidentBytes() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return residentBytes();
    }

    /** VmRSS of this process from /proc (Linux); the test runs where the backend's natives run. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
