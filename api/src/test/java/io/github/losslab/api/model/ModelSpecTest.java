package io.github.losslab.api.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecTest {

    @Test
    void countsAndLaysOutParametersOfAnMlp() {
        ModelSpec spec = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        // 784*128 + 128 + 128*10 + 10
        assertThat(spec.parameterCount()).isEqualTo(101_770);
        assertThat(spec.layout().names()).containsExactly("layer0/kernel", "layer0/bias", "layer1/kernel",
                "layer1/bias");
        assertThat(spec.layout().segment("layer1/kernel").offset()).isEqualTo(784 * 128 + 128);
        assertThat(spec.layout().segment("layer1/kernel").shape()).containsExactly(128, 10);
        assertThat(spec.outputSize()).isEqualTo(10);
        assertThat(spec.hiddenWidths()).containsExactly(128);
        assertThat(spec.describe()).isEqualTo("784-128-10 relu, cross-entropy");
    }

    @Test
    void countsTheParametersOfACnn() {
        // 6x6x2 -> conv 3x3 with 3 filters, SAME -> 6x6x3 -> max pool 2 -> 3x3x3 -> conv 2x2 with 2 filters, VALID
        // -> 2x2x2 -> flatten -> 3 logits
        ModelSpec spec = ModelSpec.builder(6, 6, 2).conv2d(3, 3, Activation.RELU).maxPool(2)
                .layer(new Conv2dLayer(2, 2, 1, Padding.VALID, Activation.RELU)).flatten()
                .dense(3, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        assertThat(spec.parameterCount()).isEqualTo(3 * 3 * 2 * 3 + 3 + 2 * 2 * 3 * 2 + 2 + 2 * 2 * 2 * 3 + 3);
    }

    @Test
    void parameterCountsBeyondOneArrayAreRefusedWithTheCount() {
        // 40000*40000 + 40000 + 40000*40000 + 40000: each kernel fits an int, the sum does not (it was -1,094,887,296).
        assertThatThrownBy(() -> ModelSpec.mlp(40_000, new int[] {40_000}, 40_000, Activation.RELU,
                Loss.MEAN_SQUARED_ERROR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 40000-40000-40000 relu, mse has 3,200,080,000 parameters, more than the limit of"
                        + " 2,147,483,639 (the longest Java array, which holds the flat parameter vector); use fewer"
                        + " or narrower layers");
        // One kernel of 2.5e9 elements, beyond an int on its own.
        assertThatThrownBy(() -> ModelSpec.mlp(50_000, new int[0], 50_000, Activation.RELU,
                Loss.MEAN_SQUARED_ERROR))
                .hasMessageContaining("has 2,500,050,000 parameters, more than the limit of 2,147,483,639");
        // The limit itself is allowed: n inputs to one output have n + 1 parameters.
        int max = ParameterLayout.MAX_PARAMETERS;
        ModelSpec largest = ModelSpec.mlp(max - 1, new int[0], 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        assertThat(largest.parameterCount()).isEqualTo(max);
        assertThat(largest.layout().segment("layer0/bias").offset()).isEqualTo(max - 1);
        assertThatThrownBy(() -> ModelSpec.mlp(max, new int[0], 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR))
                .hasMessageContaining("has 2,147,483,640 parameters, more than the limit of 2,147,483,639");
        int[] big = {40_000, 40_000};
        assertThatThrownBy(() -> new ParameterLayout(java.util.List.of(new ParameterLayout.Segment("a", 0, 0, big),
                new ParameterLayout.Segment("b", 1, 1_600_000_000, big))))
                .hasMessage("the parameter segments hold 3,200,000,000 parameters, more than the limit of"
                        + " 2,147,483,639 (the longest Java array)");
    }

    @Test
    void builderRefusesIncompleteSpecs() {
        assertThatThrownBy(() -> ModelSpec.builder(2).loss(Loss.MEAN_SQUARED_ERROR).build())
                .hasMessageContaining("at least one layer");
        assertThatThrownBy(() -> ModelSpec.builder(2).dense(1, Activation.IDENTITY).build())
                .hasMessageContaining("loss");
        assertThatThrownBy(() -> ModelSpec.builder(2).dense(0, Activation.RELU))
                .hasMessageContaining("units must be at least 1, was 0");
        assertThatThrownBy(() -> ModelSpec.builder(0)).hasMessageContaining("[0]");
    }

    @Test
    void initialParametersFollowTheFanInBoundAndTheSeed() {
        ModelSpec spec = ModelSpec.mlp(100, new int[] {50}, 4, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        double[] a = ParameterInit.initial(spec, 1);
        assertThat(ParameterInit.initial(spec, 1)).containsExactly(a);
        assertThat(ParameterInit.initial(spec, 2)).isNotEqualTo(a);
        for (double v : spec.layout().slice(a, "layer0/kernel")) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.1);   // 1 / sqrt(100)
        }
        double max = 0;
        for (double v : spec.layout().slice(a, "layer1/kernel")) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isLessThanOrEqualTo(1 / Math.sqrt(50)).isGreaterThan(0.1);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1000", "1, 1, 20000", "784, 10, 101770", "784, 10, 25450", "1, 1, 600", "784, 10, 318010"})
    void budgetHelperLandsWithinOnePercentForEveryDepth(int in, int out, int budget) {
        for (int depth = 1; depth <= 6; depth++) {
            ModelSpec spec = ParameterBudget.mlp(in, out, depth, budget, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
            assertThat(spec.hiddenWidths()).hasSize(depth);
            assertThat(Math.abs(spec.parameterCount() - budget) / (double) budget)
                    .as("depth %d: %s", depth, spec).isLessThan(0.01);
            int[] w = spec.hiddenWidths();
            // widths stay nearly uniform: only the last differs, and not wildly
            for (int i = 0; i < depth - 1; i++) {
                assertThat(w[i]).isEqualTo(w[0]);
            }
            assertThat(Math.abs(w[depth - 1] - w[0])).isLessThanOrEqualTo(Math.max(3, w[0] / 2));
        }
    }

    @Test
    void budgetHelperWidensTheLastLayerWhenTheFirstGrowsInLargeSteps() {
        // 3,072 inputs (CIFAR-10): the first layer grows by 3,073 parameters a unit, 6% of this budget
        int budget = 52_421; // 3072-17-10
        for (int depth = 2; depth <= 4; depth++) {
            ModelSpec spec = ParameterBudget.mlp(3072, 10, depth, budget, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
            assertThat(Math.abs(spec.parameterCount() - budget) / (double) budget).as("depth %d: %s", depth, spec)
                    .isLessThan(0.01);
        }
        // 4 hidden layers of 16, 16, 16 and u have 3073*16 + 2*17*16 + 17u + 10(u+1) = 49,722 + 27u parameters;
        // within half a percent of the budget, the last width nearest the others is u = 91 (52,179)
        assertThat(ParameterBudget.widths(3072, 10, 4, budget)).containsExactly(16, 16, 16, 91);
    }

    @Test
    void budgetHelperHandCase() {
        // one hidden layer of w units between 1 input and 1 output has 3w + 1 parameters: 1000 -> w = 333
        assertThat(ParameterBudget.widths(1, 1, 1, 1000)).containsExactly(333);
        assertThatThrownBy(() -> ParameterBudget.widths(784, 10, 3, 100)).hasMessageContaining("too small");
    }
}
