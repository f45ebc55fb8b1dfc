package io.github.losslab.plotting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesTest {

    @Test
    void mismatchedLengthsAreRejectedWithBothLengths() {
        assertThatThrownBy(() -> Series.line("train", new double[] {1, 2, 3}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'train'")
                .hasMessageContaining("3 x")
                .hasMessageContaining("2 y");
    }

    @Test
    void blankNameIsRejected() {
        assertThatThrownBy(() -> Series.points(" ", new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }

    @Test
    void arraysAreCopiedOnTheWayInAndOut() {
        double[] x = {1, 2};
        double[] y = {3, 4};
        Series s = Series.line("a", x, y);
        x[0] = 100;
        y[0] = 100;
        s.x()[1] = 100;
        s.y()[1] = 100;

        assertThat(s.x()).containsExactly(1, 2);
        assertThat(s.y()).containsExactly(3, 4);
        assertThat(s.xAt(0)).isEqualTo(1);
        assertThat(s.yAt(1)).isEqualTo(4);
    }

    @Test
    void factoriesSetTheStyle() {
        double[] v = {1};
        assertThat(Series.line("a", v, v).style()).isEqualTo(SeriesStyle.LINE);
        assertThat(Series.points("a", v, v).style()).isEqualTo(SeriesStyle.POINTS);
        assertThat(Series.lineAndPoints("a", v, v).style()).isEqualTo(SeriesStyle.LINE_AND_POINTS);
        assertThat(Series.dashed("a", v, v).style()).isEqualTo(SeriesStyle.DASHED);
        assertThat(Series.reference("a", v, v).style()).isEqualTo(SeriesStyle.REFERENCE);
        assertThat(Series.line("a", v, v).withStyle(SeriesStyle.DASHED).style()).isEqualTo(SeriesStyle.DASHED);
    }

    @Test
    void equalityComparesContents() {
        Series a = Series.line("a", new double[] {1, 2}, new double[] {3, 4});
        Series b = Series.line("a", new double[] {1, 2}, new double[] {3, 4});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(a.withStyle(SeriesStyle.POINTS));
        assertThat(a.toString()).contains("a").contains("2");
    }
}
