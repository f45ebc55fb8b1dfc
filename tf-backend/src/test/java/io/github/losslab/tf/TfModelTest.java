package io.github.losslab.tf;

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
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    void parametersRoundTripInLayoutOrder() {
        ModelSpec spec = ModelSpec.mlp(3, new int[] {4}, 2, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 1)) {
            double[] theta = new double[spec.parameterCount()];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = i * 0.01;
            }
            m.setParameters(theta);
            assertThat(m.parameters()).containsExactly(theta);
            // layer0/kernel is [3, 4] row-major: output j of input row e_i is kernel[i][j] + bias[j]
            double[] out = m.predict(new double[] {1, 0, 0}, 1);
            double[] kernel1 = spec.layout().slice(theta, "layer1/kernel");
            double h0 = Math.tanh(theta[0] + theta[12]);
            assertThat(spec.layout().segment("layer0/bias").offset()).isEqualTo(12);
            assertThat(out).hasSize(2);
            double expected0 = 0;
            for (int j = 0; j < 4; j++) {
                expected0 += Math.tanh(theta[j] + theta[12 + j]) * kernel1[j * 2];
            }
            expected0 += spec.layout().slice(theta, "layer1/bias")[0];
            assertThat(h0).isEqualTo(Math.tanh(0.12));
            assertThat(out[0]).isCloseTo(expected0, within(1e-12));
        }
    }

    @Test
    void sameSeedSameInitialParameters() {
        ModelSpec spec = ModelSpec.mlp(5, new int[] {7}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        try (Model a = backend.createModel(spec, Precision.FLOAT32, 42);
             Model b = backend.createModel(spec, Precision.FLOAT32, 42);
             Model c = backend.createModel(spec, Precision.FLOAT32, 43)) {
            assertThat(a.parameters()).containsExactly(b.parameters());
            assertThat(a.parameters()).isNotEqualTo(c.parameters());
        }
    }

    @Test
    void evaluatesCrossEntropyAccuracyAndMseByHand() {
        // one linear layer 2 -> 2 with identity kernel and zero bias: logits equal the inputs
        ModelSpec spec = ModelSpec.builder(2).dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        Dataset data = Dataset.classification("d", new int[] {2}, new float[] {1, 0, 0, 2, 3, 1}, new int[] {0, 0, 1},
                2);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 0)) {
            m.setParameters(new double[] {1, 0, 0, 1, 0, 0});
            Map<Metric, Double> r = m.evaluate(data, EnumSet.allOf(Metric.class));
            double l1 = Math.log(1 + Math.exp(-1));      // logits (1, 0), label 0
            double l2 = Math.log(1 + Math.exp(2));       // logits (0, 2), label 0
            double l3 = Math.log(1 + Math.exp(2));       // logits (3, 1), label 1
            assertThat(r.get(Metric.LOSS)).isCloseTo((l1 + l2 + l3) / 3, within(1e-12));
            assertThat(r.get(Metric.ACCURACY)).isCloseTo(1.0 / 3, within(1e-12));
            double p1 = 1 / (1 + Math.exp(-1));
            double p2 = 1 / (1 + Math.exp(2));
            double p3 = 1 / (1 + Math.exp(-2));
            double mse = (2 * Math.pow(1 - p1, 2) + 2 * Math.pow(1 - p2, 2) + 2 * Math.pow(p3, 2)) / 6;
            assertThat(r.get(Metric.MSE)).isCloseTo(mse, within(1e-12));
            double gradNorm = m.lossAndGradient(data.all()).gradientNorm();
            assertThat(r.get(Metric.GRADIENT_NORM)).isCloseTo(gradNorm, within(1e-12));
        }
    }

    @Test
    void evaluationInChunksEqualsOneBatch() {
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
    void trainingFitsACubicAndCallsListeners() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {32, 32}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, 512);
        int[] calls = new int[2];
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                calls[0]++;
            }

            @Override
            public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
                calls[1]++;
                history.record("epoch-number", epoch);
            }
        };
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 1)) {
            double before = m.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            TrainingHistory h = m.train(data, OptimizerSpec.adam(0.01), TrainingConfig.of(60, 64, 3, Precision.FLOAT32),
                    List.of(counter));
            double after = m.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            assertThat(before).isGreaterThan(1);
            assertThat(after).isLessThan(0.05);
            assertThat(h.steps()).isEqualTo(60 * 8);
            assertThat(calls).containsExactly(60 * 8, 60);
            assertThat(h.series("epoch-number")[59]).isEqualTo(60);
            assertThat(h.epochs()).isEqualTo(60);
        }
    }

    @Test
    void sameSeedGivesTheSameTrainingLosses() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("sin", Math::sin, -2, 2, 200);
        TrainingConfig config = TrainingConfig.of(3, 16, 9, Precision.FLOAT64);
        double[] first;
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 2)) {
            first = m.train(data, OptimizerSpec.sgd(0.05), config, List.of()).stepLosses();
        }
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 2)) {
            assertThat(m.train(data, OptimizerSpec.sgd(0.05), config, List.of()).stepLosses()).containsExactly(first);
        }
    }

    @Test
    void divergenceStopsTrainingWithEpochAndStep() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Dataset data = FunctionSampler.grid("cube", x -> x * x * x, -2, 2, 64);
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 2)) {
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(1e6), TrainingConfig.of(50, 8, 1,
                    Precision.FLOAT32), List.of()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("epoch").hasMessageContaining("step").hasMessageContaining("learning rate");
        }
    }

    @Test
    void badInputsAreRefusedWithTheOffendingValue() {
        ModelSpec spec = ModelSpec.mlp(2, new int[] {3}, 2, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = Dataset.classification("d", new int[] {2}, new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2);
        try (Model m = backend.createModel(spec, Precision.FLOAT32, 2)) {
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 3, 1,
                    Precision.FLOAT32), List.of())).hasMessageContaining("batch size 3");
            assertThatThrownBy(() -> m.train(data, OptimizerSpec.sgd(0.1), TrainingConfig.of(1, 1, 1,
                    Precision.FLOAT64), List.of())).hasMessageContaining("float64");
            assertThatThrownBy(() -> m.loss(Batch.classification(new double[] {1, 2}, 1, new int[] {5})))
                    .hasMessageContaining("label 5");
            assertThatThrownBy(() -> m.predict(new double[] {1, 2, 3}, 1)).hasMessageContaining("2 features");
        }
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFails() {
        ModelSpec spec = ModelSpec.mlp(2, new int[] {3}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        Model m = backend.createModel(spec, Precision.FLOAT32, 2);
        m.close();
        m.close();
        assertThatThrownBy(m::parameters).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
