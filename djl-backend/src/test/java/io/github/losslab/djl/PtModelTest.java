package io.github.losslab.djl;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.Sgd;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static io.github.losslab.api.contract.BackendFixtures.batch;
import static io.github.losslab.api.contract.BackendFixtures.cnn;
import static io.github.losslab.api.contract.BackendFixtures.gaussian;
import static io.github.losslab.api.contract.BackendFixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** What the PyTorch backend does beyond the contract suite. */
class PtModelTest {

    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("pytorch", BackendOptions.DEFAULT);
    }

    @Test
    void reportsPyTorchAndDjlVersionsAndRunsOffline() {
        assertThat(backend).isInstanceOf(PtBackend.class);
        assertThat(backend.version()).isEqualTo("PyTorch 2.7.1 (Deep Java Library 0.36.0)");
        assertThat(System.getProperty(PtNative.OFFLINE_PROPERTY)).isEqualTo("true");
    }

    @Test
    void gpuWithoutCudaIsRefusedWithWhatToInstall() {
        assertThatThrownBy(() -> Backends.create("pytorch", BackendOptions.DEFAULT.withDevice("gpu")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("PYTORCH_LIBRARY_PATH").hasMessageContaining("device 'cpu'");
    }

    @Test
    void curvatureIsExactForConvolutionsToo() {
        ModelSpec spec = cnn(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        try (Model m = backend.createModel(spec, Precision.FLOAT64, 1)) {
            assertThat(m.curvatureMethod()).isEqualTo(CurvatureMethod.EXACT);
        }
    }

    @Test
    void float32ProductsAgreeWithFloat64ToSinglePrecision() {
        ModelSpec spec = cnn(Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR);
        Batch batch = batch(spec, 4, 2);
        double[] v = gaussian(spec.parameterCount(), 3);
        try (Model single = backend.createModel(spec, Precision.FLOAT32, 1);
             Model dbl = backend.createModel(spec, Precision.FLOAT64, 1)) {
            single.setParameters(dbl.parameters());
            assertThat(relativeError(single.hessianVectorProduct(batch, v), dbl.hessianVectorProduct(batch, v)))
                    .isLessThan(1e-4);
            assertThat(relativeError(single.lossAndGradient(batch).gradient(), dbl.lossAndGradient(batch).gradient()))
                    .isLessThan(1e-5);
        }
    }

    @Test
    void settingParametersDuringTrainingResetsTheOptimizerState() {
        // the line problem: with momentum, step 2 after a reset to the start repeats step 1 exactly
        ModelSpec line = ModelSpec.builder(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        Dataset points = Dataset.regression("two points", new int[] {1}, new float[] {1, 2}, new float[] {2, 3}, 1);
        try (Model m = backend.createModel(line, Precision.FLOAT64, 1)) {
            m.setParameters(new double[] {0.5, 0.1});
            TrainingListener restart = new TrainingListener() {
                @Override
                public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
                    if (step == 1) {
                        model.setParameters(new double[] {0.5, 0.1});
                    }
                }
            };
            m.train(points, new Sgd(0.1, 0.9), new TrainingConfig(2, 2, false, 0, Precision.FLOAT64),
                    List.of(restart));
            assertThat(m.parameters()).containsExactly(new double[] {1.02, 0.43}, within(1e-12));
        }
    }

    @Test
    void modelsHoldOnlyTheirParametersAndDataBetweenCalls() {
        ModelSpec spec = cnn(Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Batch b = batch(spec, 5, 1);
        Dataset data = Dataset.classification("d", spec.inputShape(), new float[5 * spec.inputSize()],
                b.labels(), spec.outputSize());
        try (PtModel m = (PtModel) backend.createModel(spec, Precision.FLOAT32, 1)) {
            int tensors = spec.layout().segments().size();
            assertThat(m.nativeArrays()).isEqualTo(tensors);
            m.lossAndGradient(b);
            m.hessianVectorProduct(b, gaussian(spec.parameterCount(), 1));
            m.inputGradient(b);
            m.predict(b.features(), b.rows());
            m.evaluate(data, EnumSet.allOf(Metric.class));
            assertThat(m.nativeArrays()).isEqualTo(tensors);
            m.train(data, new Sgd(0.01, 0.9), TrainingConfig.of(2, 2, 1, Precision.FLOAT32), List.of());
            assertThat(m.nativeArrays()).isEqualTo(tensors + 2);
            m.setParameters(m.parameters());
            assertThat(m.nativeArrays()).isEqualTo(tensors + 2);
        }
    }
}
