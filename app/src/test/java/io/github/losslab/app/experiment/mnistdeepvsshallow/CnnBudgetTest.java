package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CNNs of 1 to 4 convolutional layers land on one budget, and hand the classifier a 3×3 map. */
class CnnBudgetTest {

    private static final int[] MNIST = {28, 28, 1};

    @ParameterizedTest
    @ValueSource(ints = {3_000, 5_000, 10_000, 20_000, 50_000})
    void everyDepthLandsWithin2PercentOfTheBudget(int budget) {
        for (int depth = 1; depth <= 4; depth++) {
            ModelSpec spec = CnnBudget.cnn(MNIST, 10, depth, budget, Activation.RELU);
            assertThat(CnnBudget.filters(spec)).as("depth %d", depth).hasSize(depth);
            assertThat(Math.abs(spec.parameterCount() - budget) / (double) budget)
                    .as("%s for a budget of %d", spec, budget).isLessThanOrEqualTo(0.02);
            // flatten of a 3x3 map of u filters, then the linear classifier
            int u = CnnBudget.filters(spec)[depth - 1];
            assertThat(spec.layout().segment("layer" + (spec.layers().size() - 1) + "/kernel").shape())
                    .containsExactly(3 * 3 * u, 10);
        }
    }

    @Test
    void countsByHandForOneAndThreeLayers() {
        // one layer of u filters with stride 2: 3*3*1*u + u, then 3*3*u*10 + 10
        ModelSpec shallow = CnnBudget.cnn(MNIST, 10, 1, 10_000, Activation.RELU);
        assertThat(CnnBudget.filters(shallow)).containsExactly(100);
        assertThat(shallow.parameterCount()).isEqualTo(10 * 100 + 90 * 100 + 10);
        assertThat(((Conv2dLayer) shallow.layers().get(0)).stride()).isEqualTo(2);
        // w, 2w, u filters: 10w + (9w + 1) 2w + (18w + 1) u + 90u + 10
        ModelSpec deep = CnnBudget.cnn(MNIST, 10, 3, 10_000, Activation.RELU);
        int[] f = CnnBudget.filters(deep);
        assertThat(f[1]).isEqualTo(2 * f[0]);
        int w = f[0];
        int u = f[2];
        assertThat(deep.parameterCount()).isEqualTo(10 * w + (9 * w + 1) * 2 * w + (18 * w + 1) * u + 90 * u + 10);
        assertThat(deep.outputShape()).containsExactly(10);
    }

    @Test
    void theMinimumIsTheSmallestNetworkCountedWithoutOverflow() {
        for (int[] shape : new int[][] {MNIST, {32, 20, 3}}) {
            for (int depth = 1; depth <= 8; depth++) {
                assertThat(CnnBudget.minimumParameters(shape, 10, depth)).as("depth %d", depth)
                        .isEqualTo(CnnBudget.build(shape, 10, depth, 1, 1, Activation.RELU).parameterCount());
            }
        }
        assertThat(CnnBudget.minimumParameters(MNIST, 10, 8)).isEqualTo(25_383);
        // 2^28 filters in the 29th layer: far beyond int, counted exactly
        assertThat(CnnBudget.minimumParameters(MNIST, 10, 30)).isGreaterThan(Integer.MAX_VALUE);
    }

    @Test
    void refusesABudgetTooSmallForTheDepth() {
        assertThatThrownBy(() -> CnnBudget.cnn(MNIST, 10, 3, 50, Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small")
                .hasMessageContaining("3 convolutional layers");
    }
}
