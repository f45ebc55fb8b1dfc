package io.github.losslab.djl;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
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

import static io.github.losslab.api.contract.BackendFixtures.batch;
import static io.github.losslab.api.contract.BackendFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native memory is released: long trainings, many models and many Hessian-vector products do not grow the resident
 * memory. (A backward pass that records its own graph, the usual route to Hessian-vector products in PyTorch, would
 * leak that graph on every product.)
 */
class PtResourceTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void trainingStepsModelsAndCurvatureDoNotLeak() throws IOException {
        Backend backend = Backends.create("pytorch", BackendOptions.DEFAULT);
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16, 16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("sin", Math::sin, -2, 2, 256);
        ModelSpec wide = ModelSpec.mlp(64, new int[] {256}, 10, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Batch batch = batch(wide, 256, 1);
        double[] v = gaussian(wide.parameterCount(), 2);
        // warm up: first use of every operation sizes the allocator's pools
        work(backend, spec, data, wide, batch, v, 5);
        long before = settledResidentBytes();
        // 336 training steps, 100 models created, evaluated and closed, and 100 products on 256 samples
        work(backend, spec, data, wide, batch, v, 100);
        long after = settledResidentBytes();
        assertThat((after - before) / MIB).as("resident memory growth in MiB").isLessThan(50);
    }

    private static void work(Backend backend, ModelSpec spec, Dataset data, ModelSpec wide, Batch batch, double[] v,
                             int rounds) {
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 0)) {
            m.train(data, OptimizerSpec.adam(0.01), TrainingConfig.of(rounds / 5 + 1, 16, 1, Precision.FLOAT32),
                    List.of());
        }
        for (int i = 0; i < rounds; i++) {
            try (Model m = backend.createModel(spec, Precision.FLOAT32, i)) {
                m.evaluate(data, EnumSet.of(Metric.LOSS, Metric.GRADIENT_NORM));
            }
        }
        try (Model m = backend.createModel(wide, Precision.FLOAT64, 3)) {
            for (int i = 0; i < rounds; i++) {
                m.hessianVectorProduct(batch, v);
            }
        }
    }

    /** Resident memory after a garbage collection (DJL keeps small Java objects for native arrays). */
    private static long settledResidentBytes() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
