package io.github.losslab.djl;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.Sgd;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.github.losslab.api.contract.BackendFixtures.batch;
import static io.github.losslab.api.contract.BackendFixtures.cnn;
import static io.github.losslab.api.contract.BackendFixtures.gaussian;
import static io.github.losslab.api.contract.BackendFixtures.mlp;
import static io.github.losslab.api.contract.BackendFixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same parameters loaded into the PyTorch and the TensorFlow backend give the same numbers in float64: loss,
 * gradient, Hessian-vector product, input gradient and output Jacobian to 1e-10 relative, and the same training to
 * 1e-8.
 *
 * <p>TensorFlow computes convolutional Hessian-vector products by central differences of gradients, good to a few
 * 1e-11 relative here, which is what bounds the convolutional comparison; PyTorch's are exact.
 */
class PtTensorFlowAgreementTest {

    private static final double AGREE = 1e-10;
    private static final List<Model> OPEN = new ArrayList<>();
    private static Backend pytorch;
    private static Backend tensorflow;

    @BeforeAll
    static void loadBackends() {
        // single-threaded TensorFlow, so that its finite-difference products are the same on every run
        pytorch = Backends.create("pytorch", BackendOptions.DEFAULT);
        tensorflow = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
    }

    @AfterAll
    static void closeModels() {
        OPEN.forEach(Model::close);
    }

    /** The same spec, seed and precision on both backends; closed after the class. */
    private static Model[] pair(ModelSpec spec, long seed) {
        Model pt = pytorch.createModel(spec, Precision.FLOAT64, seed);
        Model tf = tensorflow.createModel(spec, Precision.FLOAT64, seed);
        OPEN.add(pt);
        OPEN.add(tf);
        return new Model[] {pt, tf};
    }

    static Stream<Arguments> denseNets() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                b.add(Arguments.of(mlp(a, l)));
            }
        }
        return b.build();
    }

    static Stream<Arguments> convolutionalNets() {
        return Stream.of(Arguments.of(cnn(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY)),
                Arguments.of(cnn(Activation.RELU, Loss.MEAN_SQUARED_ERROR)),
                Arguments.of(cnn(Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denseNets")
    void denseNetsAgreeOnLossGradientAndCurvature(ModelSpec spec) {
        agree(spec);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutionalNets")
    void convolutionalNetsAgreeOnLossGradientAndCurvature(ModelSpec spec) {
        agree(spec);
    }

    private static void agree(ModelSpec spec) {
        Model[] m = pair(spec, 5);
        assertThat(m[0].parameters()).containsExactly(m[1].parameters());
        Batch batch = batch(spec, 16, 9);
        LossAndGradient pt = m[0].lossAndGradient(batch);
        LossAndGradient tf = m[1].lossAndGradient(batch);
        assertThat(relativeError(pt.loss(), tf.loss())).isLessThan(AGREE);
        assertThat(relativeError(pt.gradient(), tf.gradient())).isLessThan(AGREE);
        double[] v = gaussian(spec.parameterCount(), 3);
        assertThat(relativeError(m[0].hessianVectorProduct(batch, v), m[1].hessianVectorProduct(batch, v)))
                .isLessThan(AGREE);
        assertThat(relativeError(m[0].inputGradient(batch), m[1].inputGradient(batch))).isLessThan(AGREE);
        for (boolean softmax : new boolean[] {false, true}) {
            assertThat(relativeError(m[0].outputJacobian(batch.features(), batch.rows(), softmax),
                    m[1].outputJacobian(batch.features(), batch.rows(), softmax))).isLessThan(AGREE);
        }
        assertThat(relativeError(m[0].predict(batch.features(), batch.rows()),
                m[1].predict(batch.features(), batch.rows()))).isLessThan(AGREE);
    }

    @Test
    void parametersSetOnBothGiveTheSameMetrics() {
        ModelSpec spec = mlp(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Model[] m = pair(spec, 1);
        double[] theta = gaussian(spec.parameterCount(), 8);
        m[0].setParameters(theta);
        m[1].setParameters(theta);
        Dataset data = classification(spec, 300, 3);
        Map<Metric, Double> pt = m[0].evaluate(data, EnumSet.allOf(Metric.class));
        Map<Metric, Double> tf = m[1].evaluate(data, EnumSet.allOf(Metric.class));
        for (Metric metric : Metric.values()) {
            assertThat(relativeError(pt.get(metric), tf.get(metric))).as(metric.configName()).isLessThan(AGREE);
        }
    }

    @Test
    void aModelTrainedAndSavedOnTensorFlowLoadsOnPyTorch(@TempDir Path dir) throws IOException {
        ModelSpec spec = cnn(Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = classification(spec, 32, 6);
        Model tf = pair(spec, 3)[1];
        tf.train(data, OptimizerSpec.adam(0.01), TrainingConfig.of(2, 8, 1, Precision.FLOAT64), List.of());
        ModelIo.save(tf, dir);
        try (Model pt = ModelIo.load(dir, pytorch)) {
            assertThat(pt).isInstanceOf(PtModel.class);
            assertThat(pt.parameters()).containsExactly(tf.parameters());
            Batch all = data.all();
            assertThat(relativeError(pt.predict(all.features(), all.rows()), tf.predict(all.features(), all.rows())))
                    .isLessThan(AGREE);
        }
    }

    @Test
    void denseTrainingWithTheSameSeedTakesTheSameSteps() {
        ModelSpec spec = mlp(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = classification(spec, 96, 4);
        trainAlike(spec, data, OptimizerSpec.adam(0.01), TrainingConfig.of(3, 16, 21, Precision.FLOAT64));
        trainAlike(spec, data, new Sgd(0.1, 0.9), TrainingConfig.of(3, 16, 22, Precision.FLOAT64));
    }

    @Test
    void convolutionalTrainingWithTheSameSeedTakesTheSameSteps() {
        ModelSpec spec = cnn(Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = classification(spec, 40, 5);
        trainAlike(spec, data, OptimizerSpec.adam(0.01), TrainingConfig.of(2, 8, 23, Precision.FLOAT64));
    }

    private static void trainAlike(ModelSpec spec, Dataset data, OptimizerSpec optimizer, TrainingConfig config) {
        Model[] m = pair(spec, 7);
        TrainingHistory pt = m[0].train(data, optimizer, config, List.of());
        TrainingHistory tf = m[1].train(data, optimizer, config, List.of());
        assertThat(pt.steps()).isEqualTo(tf.steps()).isEqualTo(config.epochs() * config.stepsPerEpoch(data.size()));
        assertThat(relativeError(pt.stepLosses(), tf.stepLosses())).isLessThan(1e-8);
        for (int i = 0; i < pt.steps(); i++) {
            assertThat(relativeError(pt.stepLosses()[i], tf.stepLosses()[i])).as("step %d", i + 1).isLessThan(1e-8);
        }
        assertThat(relativeError(pt.stepGradientNorms(), tf.stepGradientNorms())).isLessThan(1e-8);
        assertThat(relativeError(pt.series(TrainingHistory.LOSS), tf.series(TrainingHistory.LOSS))).isLessThan(1e-8);
        assertThat(relativeError(m[0].parameters(), m[1].parameters())).isLessThan(1e-8);
    }

    /** {@code n} samples of the spec's input shape with features in [-1, 1] and random labels. */
    private static Dataset classification(ModelSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(spec.outputSize());
        }
        return Dataset.classification("random", spec.inputShape(), x, labels, spec.outputSize());
    }
}
