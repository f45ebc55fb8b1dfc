package io.github.losslab.analysis.landscape;

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
import io.github.losslab.api.model.ParameterLayout;
import io.github.losslab.api.train.Metric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LandscapeTest {

    private static Backend backend;
    private static final ModelSpec SPEC = ModelSpec.mlp(1, new int[] {6, 5}, 1, Activation.TANH,
            Loss.MEAN_SQUARED_ERROR);
    private static final Dataset TRAIN = FunctionSampler.grid("sin", Math::sin, -2, 2, 40);
    private static final Dataset TEST = FunctionSampler.grid("sin-test", Math::sin, -1.95, 1.95, 17);

    @BeforeAll
    static void loadBackend() {
        backend = Backends.create("tensorflow", BackendOptions.DEFAULT);
    }

    @Test
    void interpolationEndsAreTheTwoModels() {
        try (Model a = backend.createModel(SPEC, Precision.FLOAT64, 1);
             Model b = backend.createModel(SPEC, Precision.FLOAT64, 2);
             Model evaluator = backend.createModel(SPEC, Precision.FLOAT64, 3)) {
            Map<String, Dataset> data = new LinkedHashMap<>();
            data.put("train", TRAIN);
            data.put("test", TEST);
            double[] alphas = InterpolationPath.linspace(-1, 2, 31);
            assertThat(alphas[10]).isCloseTo(0, within(1e-15));
            assertThat(alphas[20]).isCloseTo(1, within(1e-15));
            alphas[10] = 0;
            alphas[20] = 1;
            double[] before = evaluator.parameters();
            InterpolationPath path = InterpolationPath.compute(evaluator, a.parameters(), b.parameters(), alphas, data,
                    EnumSet.of(Metric.LOSS, Metric.MSE));
            for (String name : data.keySet()) {
                Map<Metric, Double> ma = a.evaluate(data.get(name), EnumSet.of(Metric.LOSS));
                Map<Metric, Double> mb = b.evaluate(data.get(name), EnumSet.of(Metric.LOSS));
                assertThat(path.values(name, Metric.LOSS)[10]).isEqualTo(ma.get(Metric.LOSS));
                assertThat(path.values(name, Metric.LOSS)[20]).isEqualTo(mb.get(Metric.LOSS));
            }
            assertThat(evaluator.parameters()).containsExactly(before);
        }
    }

    @Test
    void surfaceCentreIsTheModelsLossAndGridPointsAreThePlane() {
        try (Model m = backend.createModel(SPEC, Precision.FLOAT64, 4)) {
            double[] theta = m.parameters();
            double[] d1 = FilterNormalizedDirections.random(SPEC, theta, 1);
            double[] d2 = FilterNormalizedDirections.random(SPEC, theta, 2);
            double[] grid = InterpolationPath.linspace(-1, 1, 5);
            LossSurface s = LossSurface.compute(m, theta, d1, d2, grid, grid, TRAIN);
            double loss = m.evaluate(TRAIN, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            assertThat(s.centerLoss()).isEqualTo(loss);
            assertThat(s.loss()[2][2]).isEqualTo(loss);
            double[] p = theta.clone();
            for (int k = 0; k < p.length; k++) {
                p[k] += grid[4] * d1[k] + grid[1] * d2[k];
            }
            m.setParameters(p);
            assertThat(s.loss()[1][4]).isCloseTo(m.evaluate(TRAIN, EnumSet.of(Metric.LOSS)).get(Metric.LOSS),
                    within(1e-12));
            // projecting theta + 0.3 d1 - 0.7 d2 gives back (0.3, -0.7)
            double[] q = theta.clone();
            for (int k = 0; k < q.length; k++) {
                q[k] += 0.3 * d1[k] - 0.7 * d2[k];
            }
            assertThat(LossSurface.project(List.of(q), theta, d1, d2).get(0))
                    .containsExactly(new double[] {0.3, -0.7}, within(1e-10));
        }
    }

    @Test
    void filterNormalizationGivesEachFilterTheModelsNormAndZeroBias() {
        ModelSpec cnn = ModelSpec.builder(5, 5, 2).conv2d(3, 3, Activation.RELU).flatten().dense(4, Activation.IDENTITY)
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        double[] theta = io.github.losslab.api.model.ParameterInit.initial(cnn, 9);
        double[] d = FilterNormalizedDirections.random(cnn, theta, 3);
        for (ParameterLayout.Segment s : cnn.layout().segments()) {
            int[] shape = s.shape();
            if (shape.length == 1) {
                for (int i = 0; i < s.size(); i++) {
                    assertThat(d[s.offset() + i]).isZero();
                }
                continue;
            }
            int filters = shape[shape.length - 1];
            for (int f = 0; f < filters; f++) {
                double dn = 0;
                double tn = 0;
                for (int k = 0; k < s.size() / filters; k++) {
                    dn += d[s.offset() + k * filters + f] * d[s.offset() + k * filters + f];
                    tn += theta[s.offset() + k * filters + f] * theta[s.offset() + k * filters + f];
                }
                assertThat(Math.sqrt(dn)).isCloseTo(Math.sqrt(tn), within(1e-12));
            }
        }
    }
}
