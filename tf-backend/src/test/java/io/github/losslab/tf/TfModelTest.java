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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What the backend contract suite ({@link TfBackendContractTest}) cannot know about TensorFlow: its version string,
 * the chunks in which a large dataset is fed to the graph, and closing a model whose lazily built ops were never
 * created.
 */
class TfModelTest {

    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    @Test
    void registeredUnderItsNameAndReportsItsVersion() {
        assertThat(Backends.available()).contains("tensorflow");
        assertThat(backend.version()).startsWith("TensorFlow 2.");
        assertThat(backend.device()).isEqualTo("cpu");
    }

    @Test
    void evaluationInChunksEqualsOneBatch() {
        // two full chunks and a partial one, whatever the chunk size
        ModelSpec spec = ModelSpec.mlp(1, new int[] {8}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, TfModel.CHUNK_ROWS * 2 + 17);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 5)) {
            Map<Metric, Double> r = m.evaluate(data, EnumSet.of(Metric.LOSS, Metric.MSE, Metric.GRADIENT_NORM));
            var all = m.lossAndGradient(data.all());
            assertThat(r.get(Metric.LOSS)).isCloseTo(all.loss(), within(1e-10));
            assertThat(r.get(Metric.MSE)).isCloseTo(all.loss(), within(1e-10));
            assertThat(r.get(Metric.GRADIENT_NORM)).isCloseTo(all.gradientNorm(), within(1e-10));
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        // a model never trained: its optimizer, Jacobian and Hessian ops were never added to the graph (the contract
        // suite closes a trained one)
        ModelSpec spec = ModelSpec.mlp(2, new int[] {3}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Model m = backend.createModel(spec, Precision.FLOAT32, 2);
        m.close();
        m.close();
        assertThatThrownBy(m::parameters).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
