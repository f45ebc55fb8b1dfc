package io.github.losslab.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FunctionSamplerTest {

    @Test
    void gridSamplesEvenlyIncludingBothEnds() {
        Dataset d = FunctionSampler.grid("square", x -> x * x, -1, 1, 5);

        assertThat(d.name()).isEqualTo("square");
        assertThat(d.featureShape()).containsExactly(1);
        assertThat(d.targetSize()).isEqualTo(1);
        assertThat(d.isClassification()).isFalse();
        assertThat(d.features()).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f);
        assertThat(d.targets()).containsExactly(1f, 0.25f, 0f, 0.25f, 1f);
    }

    @Test
    void gridTargetsAreTheFunctionAtTheStoredFloatX() {
        // x = 0.1 is not a float; the target is f of the float that is stored.
        Dataset d = FunctionSampler.grid("id", x -> x, 0, 0.2, 3);
        assertThat(d.targets()[1]).isEqualTo(d.feature(1, 0));
    }

    @Test
    void gridRejectsTooFewPointsAndEmptyIntervals() {
        assertThatThrownBy(() -> FunctionSampler.grid("f", x -> x, 0, 1, 1))
                .hasMessage("a function needs at least 2 sample points, was 1");
        assertThatThrownBy(() -> FunctionSampler.grid("f", x -> x, 1, 1, 3))
                .hasMessage("interval [1.0, 1.0] must have from < to");
        assertThatThrownBy(() -> FunctionSampler.grid("f", x -> x, Double.NaN, 1, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformDrawsFromTheSeededGenerator() {
        Dataset d = FunctionSampler.uniform("line", x -> 2 * x + 1, 0, 3, 100, 42L);

        SplittableRandom random = new SplittableRandom(42L);
        float first = (float) (3 * random.nextDouble());
        assertThat(d.feature(0, 0)).isEqualTo(first);
        float[] y = d.targets();
        for (int i = 0; i < d.size(); i++) {
            float x = d.feature(i, 0);
            assertThat(x).isBetween(0f, 3f);
            assertThat(y[i]).isEqualTo((float) (2.0 * x + 1));
        }
        assertThat(FunctionSampler.uniform("line", x -> 2 * x + 1, 0, 3, 100, 42L).features())
                .isEqualTo(d.features());
        assertThat(FunctionSampler.uniform("line", x -> 2 * x + 1, 0, 3, 100, 43L).features())
                .isNotEqualTo(d.features());
        assertThatThrownBy(() -> FunctionSampler.uniform("f", x -> x, 0, 1, 0, 1L))
                .hasMessage("a function needs at least 1 sample point, was 0");
    }

    @Test
    void uniformRejectsEmptyReversedAndInfiniteIntervals() {
        assertThatThrownBy(() -> FunctionSampler.uniform("f", x -> x, 1, 1, 5, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval [1.0, 1.0] must have from < to");
        assertThatThrownBy(() -> FunctionSampler.uniform("f", x -> x, 2, -2, 5, 1L))
                .hasMessage("interval [2.0, -2.0] must have from < to");
        assertThatThrownBy(() -> FunctionSampler.uniform("f", x -> x, Double.NaN, 1, 5, 1L))
                .hasMessage("interval [NaN, 1.0] must have from < to");
        assertThatThrownBy(() -> FunctionSampler.uniform("f", x -> x, 0, Double.POSITIVE_INFINITY, 5, 1L))
                .hasMessage("interval [0.0, Infinity] must be finite, with a finite length");
        assertThatThrownBy(() -> FunctionSampler.grid("f", x -> x, -Double.MAX_VALUE, Double.MAX_VALUE, 5))
                .hasMessageContaining("must be finite");
    }

    @Test
    void uniformPointsStayInTheClosedInterval() {
        // A narrow interval far from zero: floats are 2^-10 apart near 10,000, so every draw rounds to an end, and
        // about half of them to the float nearest to, as the Javadoc warns.
        float to = (float) 10_000.001;
        Dataset d = FunctionSampler.uniform("narrow", x -> x, 10_000, 10_000.001, 1000, 9L);
        int atTo = 0;
        for (int i = 0; i < d.size(); i++) {
            assertThat(d.feature(i, 0)).isIn(10_000f, to);
            atTo += d.feature(i, 0) == to ? 1 : 0;
        }
        assertThat(atTo).isBetween(300, 700);
    }
}
