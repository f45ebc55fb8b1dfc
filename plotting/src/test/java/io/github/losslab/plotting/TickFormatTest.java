package io.github.losslab.plotting;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.NumberFormat;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.junit.jupiter.api.Test;

class TickFormatTest {

    private final NumberFormat decades = new DecadeTickFormat();

    @Test
    void powersOfTenGetSuperscriptExponents() {
        assertThat(decades.format(0.01)).isEqualTo("10⁻²");
        assertThat(decades.format(1000)).isEqualTo("10³");
        assertThat(decades.format(1)).isEqualTo("10⁰");
        assertThat(decades.format(0.1)).isEqualTo("10⁻¹");
        assertThat(decades.format(10)).isEqualTo("10¹");
        assertThat(decades.format(1e-12)).isEqualTo("10⁻¹²");
        assertThat(decades.format(1e20)).isEqualTo("10²⁰");
    }

    @Test
    void valuesBetweenDecadesKeepTheirMantissa() {
        assertThat(decades.format(0.05)).isEqualTo("5×10⁻²");
        assertThat(decades.format(2500)).isEqualTo("2.5×10³");
        assertThat(decades.format(3)).isEqualTo("3");
        assertThat(decades.format(0)).isEqualTo("0");
    }

    @Test
    void linearLabelsAreLocaleFreeWithATrueMinusAndNoNegativeZero() {
        TickUnitSource units = LinearTickFormat.tickUnits();
        NumberTickUnit quarter = (NumberTickUnit) units.getCeilingTickUnit(0.25);
        NumberTickUnit thousand = (NumberTickUnit) units.getCeilingTickUnit(1000);

        assertThat(quarter.getSize()).isEqualTo(0.25);
        assertThat(quarter.valueToString(-0.75)).isEqualTo("−0.75");
        assertThat(quarter.valueToString(-1e-17)).isEqualTo("0.00");
        assertThat(thousand.valueToString(2000)).isEqualTo("2000");
        assertThat(thousand.valueToString(12000)).isEqualTo("12,000");
    }

    @Test
    void tinyAndHugeAxesAreLabelledInAPowerOfTen() {
        assertThat(LinearTickFormat.scaleFor(3e-5)).isEqualTo(-5);
        assertThat(LinearTickFormat.scaleFor(2.5e7)).isEqualTo(7);
        assertThat(LinearTickFormat.scaleFor(0.5)).isZero();
        assertThat(LinearTickFormat.scaleFor(2e6)).isZero();
        assertThat(LinearTickFormat.scaleFor(0)).isZero();
        assertThat(LinearTickFormat.scaleFor(Double.NaN)).isZero();

        NumberTickUnit unit = (NumberTickUnit) LinearTickFormat.tickUnits(-5).getCeilingTickUnit(5e-6);
        assertThat(unit.valueToString(2.5e-5)).isEqualTo("2.5");
        assertThat(unit.valueToString(0)).isEqualTo("0.0");
    }
}
