package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.contract.BackendFixtures.HessianForms;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.github.losslab.api.contract.BackendFixtures.batch;
import static io.github.losslab.api.contract.BackendFixtures.cnn;
import static io.github.losslab.api.contract.BackendFixtures.gaussian;
import static io.github.losslab.api.contract.BackendFixtures.gradientDifferenceHvp;
import static io.github.losslab.api.contract.BackendFixtures.hessianForms;
import static io.github.losslab.api.contract.BackendFixtures.mlp;
import static io.github.losslab.api.contract.BackendFixtures.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Exact Hessian-vector products (the R-operator), checked against differences of exact gradients. */
class TfHessianVectorProductTest {

    private static Backend backend;

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                b.add(Arguments.of(a, l));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void matchesCentralDifferencesOfGradients(Activation activation, Loss lossKind) {
        ModelSpec spec = mlp(activation, lossKind);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 13)) {
            assertThat(model.curvatureMethod()).isEqualTo(CurvatureMethod.EXACT);
            Batch batch = batch(spec, 8, 17);
            double[] v = gaussian(spec.parameterCount(), 19);
            double[] exact = model.hessianVectorProduct(batch, v);
            // fourth-order central differences of exact gradients: truncation error O(h^4); for ReLU a tiny step,
            // so that no pre-activation changes sign between the probes (the gradient has kinks there)
            double[] theta = model.parameters();
            double h = activation == Activation.RELU ? 1e-6 : 1e-3;
            double[] numeric = gradientDifferenceHvp(model, batch, v, h);
            assertThat(relativeError(exact, numeric)).isLessThan(1e-8);
            // the parameters are untouched
            assertThat(model.parameters()).containsExactly(theta);
        }
    }

    @Test
    void imageInputsThroughFlattenAndDenseLayersAreExact() {
        // a flatten layer, a dense layer reading an image directly, and sigmoid and identity layers between
        ModelSpec spec = ModelSpec.builder(3, 2, 2).flatten().dense(5, Activation.SIGMOID).dense(4, Activation.TANH)
                .dense(3, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        ModelSpec direct = ModelSpec.builder(3, 2, 2).dense(4, Activation.RELU).dense(2, Activation.SIGMOID)
                .loss(Loss.MEAN_SQUARED_ERROR).build();
        for (ModelSpec s : new ModelSpec[] {spec, direct}) {
            try (Model model = backend.createModel(s, Precision.FLOAT64, 21)) {
                assertThat(model.curvatureMethod()).isEqualTo(CurvatureMethod.EXACT);
                Batch batch = batch(s, 6, 22);
                double[] v = gaussian(s.parameterCount(), 23);
                double h = s == direct ? 1e-6 : 1e-3;
                assertThat(relativeError(model.hessianVectorProduct(batch, v), gradientDifferenceHvp(model, batch, v,
                        h))).isLessThan(1e-8);
            }
        }
    }

    @Test
    void isSymmetric() {
        ModelSpec spec = mlp(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
            HessianForms f = hessianForms(model, batch(spec, 10, 4), 1, 2);
            assertThat(f.wHv()).isCloseTo(f.vHw(), within(1e-12 * Math.abs(f.wHv()) + 1e-14));
        }
    }

    @Test
    void linearLeastSquaresHasTheClosedFormHessian() {
        // y = w x + b with MSE over points x_i: H = (2/n) sum [x_i^2, x_i; x_i, 1]
        ModelSpec spec = ModelSpec.builder(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        double[] x = {-1, 0.5, 2, 3};
        Batch batch = Batch.regression(x, 4, new double[] {1, 2, 3, 4});
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
            double sxx = 1 + 0.25 + 4 + 9;
            double sx = -1 + 0.5 + 2 + 3;
            assertThat(model.hessianVectorProduct(batch, new double[] {1, 0}))
                    .containsExactly(new double[] {2 * sxx / 4, 2 * sx / 4}, within(1e-12));
            assertThat(model.hessianVectorProduct(batch, new double[] {0, 1}))
                    .containsExactly(new double[] {2 * sx / 4, 2.0}, within(1e-12));
        }
    }

    @Test
    void convolutionModelsSayTheyUseFiniteDifferencesAndStillGiveSymmetricProducts() {
        ModelSpec spec = cnn(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 3)) {
            assertThat(model.curvatureMethod()).isEqualTo(CurvatureMethod.FINITE_DIFFERENCES);
            HessianForms f = hessianForms(model, batch(spec, 3, 4), 1, 2);
            assertThat(f.wHv()).isCloseTo(f.vHw(), within(1e-6 * Math.abs(f.wHv())));
        }
    }

    @Test
    void finiteDifferenceDefaultAgreesWithTheExactProduct() {
        ModelSpec spec = mlp(Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 8)) {
            Batch batch = batch(spec, 8, 9);
            double[] v = gaussian(spec.parameterCount(), 10);
            double[] exact = model.hessianVectorProduct(batch, v);
            double[] fd = io.github.losslab.api.FiniteDifferenceHvp.apply(model, batch, v);
            assertThat(relativeError(fd, exact)).isLessThan(1e-7);
        }
    }

    @Test
    void aBatchKeptBetweenCallsGivesTheNumbersOfAFreshCopy() {
        // the model keeps the tensors of the last batch it was given; other batches in between, and parameters set
        // in between, must not leak into the products and gradients of the kept one
        ModelSpec spec = mlp(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 5)) {
            Batch kept = batch(spec, 9, 6);
            Batch other = batch(spec, 7, 7);
            double[] v = gaussian(spec.parameterCount(), 8);
            double[][] block = new double[TfModel.HVP_BLOCK][];
            java.util.Arrays.fill(block, v);
            double[] first = model.hessianVectorProduct(kept, v);
            double[] otherProduct = model.hessianVectorProduct(other, v);
            assertThat(model.hessianVectorProduct(kept, v)).containsExactly(first);
            assertThat(relativeError(model.hessianVectorProducts(kept, block)[TfModel.HVP_BLOCK - 1], first))
                    .isLessThan(1e-12);
            assertThat(model.hessianVectorProduct(other, v)).containsExactly(otherProduct);
            double[] theta = model.parameters();
            double[] moved = theta.clone();
            moved[0] += 0.5;
            model.setParameters(moved);
            double[] movedGradient = model.lossAndGradient(kept).gradient();
            model.setParameters(theta);
            Batch copy = new Batch(kept.features().clone(), kept.rows(), kept.labels().clone(), null);
            assertThat(model.lossAndGradient(kept).gradient()).containsExactly(model.lossAndGradient(copy).gradient());
            assertThat(model.hessianVectorProduct(copy, v)).containsExactly(first);
            model.setParameters(moved);
            assertThat(model.lossAndGradient(kept).gradient()).containsExactly(movedGradient);
        }
    }
}
