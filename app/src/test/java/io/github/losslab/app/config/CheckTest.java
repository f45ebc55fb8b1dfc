package io.github.losslab.app.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The range checks of settings name the setting, the value and what is allowed. */
class CheckTest {

    @Test
    void learningRatesMustBePositiveAndFinite() {
        assertThat(Check.positive("learningRate", 0.1)).isEqualTo(0.1);
        for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Check.positive("learningRate", bad)).isInstanceOf(InvalidSettingException.class)
                    .hasMessage("learningRate must be a finite number > 0, was " + bad);
        }
    }

    @Test
    void aReversedRangeNamesBothEnds() {
        assertThat(Check.above("alphaTo", 2, "alphaFrom", -1)).isEqualTo(2);
        assertThatThrownBy(() -> Check.above("alphaTo", -1, "alphaFrom", 2))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("alphaTo");
                    assertThat(e.allowed()).startsWith("a finite number > alpha-from (2.0)");
                });
    }

    @Test
    void aSweepNeedsEnoughModels() {
        assertThatThrownBy(() -> Check.atLeastElements("widths", List.of(1, 2, 3), 10, "widths"))
                .hasMessage("widths must be a list of at least 10 widths, had 3, was [1, 2, 3]");
        assertThat(Check.atLeastElements("widths", List.of(1, 2), 2, "widths")).containsExactly(1, 2);
    }

    @Test
    void aBatchMustFitTheData() {
        assertThat(Check.batchSize("batchSize", 64, 8000, "mnist[train]")).isEqualTo(64);
        assertThatThrownBy(() -> Check.batchSize("batchSize", 9000, 8000, "mnist[train]"))
                .hasMessage("batchSize must be an integer in [1, 8000] (the 8000 samples of mnist[train]), was 9000");
        assertThatThrownBy(() -> Check.batchSize("batchSize", 0, 8000, "mnist[train]"))
                .isInstanceOf(InvalidSettingException.class);
    }

    @Test
    void aSampleCountMustFitTheDataAndSaysWhereMoreWouldComeFrom() {
        assertThat(Check.samples("trainSamples", 0, 0, 8000, "mnist[train]", "more data")).isZero();
        assertThat(Check.samples("surfaceSamples", 8000, 1, 8000, "mnist[train]", "more data")).isEqualTo(8000);
        assertThatThrownBy(() -> Check.samples("surfaceSamples", 9000, 1, 8000, "mnist[train]", "a larger data set"))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("surfaceSamples");
                    assertThat(e.value()).isEqualTo(9000);
                    assertThat(e.allowed()).isEqualTo("an integer in [1, 8000] (mnist[train] holds 8000 samples): "
                            + "lower surface-samples, or use a larger data set");
                });
        assertThatThrownBy(() -> Check.samples("trainSamples", 9000, 0, 8000, "mnist[train]", "more data"))
                .hasMessageContaining("[0, 8000]").hasMessageContaining("0 takes them all");
    }

    @Test
    void fractionsLieInTheirInterval() {
        assertThat(Check.between("fraction", 0.5, 0, 1)).isEqualTo(0.5);
        assertThatThrownBy(() -> Check.between("fraction", 1.5, 0, 1)).hasMessage(
                "fraction must be a number in [0.0, 1.0], was 1.5");
    }
}
