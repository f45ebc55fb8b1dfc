package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Precision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Minimal ratio and sign counts of hand-made spectra, and the dense path on explicit operators. */
class HessianSpectrumTest {

    /** max |lambda| = 10, so the default threshold is 1e-5. */
    private static final double[] SPECTRUM = {-2, -3e-6, 0, 1e-7, 9e-6, 2e-5, 0.5, 10};

    @Test
    void minimalRatioCountsEigenvaluesAboveTheRelativeTolerance() {
        HessianSpectrum s = HessianSpectrum.of(SPECTRUM);
        HessianSpectrum.SignCounts c = s.signCounts();
        assertThat(c.threshold()).isCloseTo(1e-5, within(1e-20));
        assertThat(c.negative()).isEqualTo(1);
        assertThat(c.nearZero()).isEqualTo(4);
        assertThat(c.positive()).isEqualTo(3);
        assertThat(c.total()).isEqualTo(8);
        assertThat(s.minimalRatio()).isEqualTo(3.0 / 8);
        // a looser tolerance turns 2e-5 into zero, a tighter one turns 1e-7 and 9e-6 positive and -3e-6 negative
        assertThat(s.minimalRatio(1e-5)).isEqualTo(2.0 / 8);
        assertThat(s.signCounts(1e-9)).extracting("negative", "nearZero", "positive").containsExactly(2, 1, 5);
        assertThat(s.minimalRatio(0)).isEqualTo(5.0 / 8);
        // -2 + 0.5 + 10 = 8.5, and -3e-6 + 1e-7 + 9e-6 + 2e-5 = 2.61e-5: dropping the smallest, 1e-7, must show
        assertThat(s.trace()).isCloseTo(8.5000261, within(1e-12));
        assertThat(s.eigenvalues()).isSorted();
    }

    @Test
    void float32SpectraUseALooserDefaultTolerance() {
        HessianSpectrum s = new HessianSpectrum(SPECTRUM, SPECTRUM.length, HessianSpectrum.Method.FULL_DECOMPOSITION,
                8, 0.1, CurvatureMethod.EXACT, Precision.FLOAT32);
        assertThat(s.defaultTolerance()).isEqualTo(1e-3);
        assertThat(s.minimalRatio()).isEqualTo(2.0 / 8);
    }

    @Test
    void partialSpectraRefuseTheMinimalRatio() {
        HessianSpectrum s = new HessianSpectrum(new double[] {-1, 5}, 100, HessianSpectrum.Method.LANCZOS, 60, 0.2,
                CurvatureMethod.EXACT, Precision.FLOAT64);
        assertThat(s.isComplete()).isFalse();
        assertThat(s.max()).isEqualTo(5);
        assertThatThrownBy(s::minimalRatio).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 of 100").hasMessageContaining("FullHessian");
    }

    @Test
    void fullHessianOfAnExplicitOperatorGivesItsSpectrum() {
        FullHessian h = FullHessian.compute(SymmetricOperator.diagonal(SPECTRUM));
        assertThat(h.products()).isEqualTo(SPECTRUM.length);
        assertThat(h.asymmetryNorm()).isZero();
        HessianSpectrum s = h.spectrum();
        assertThat(s.eigenvalues()).containsExactly(SPECTRUM, within(1e-15));
        assertThat(s.minimalRatio()).isEqualTo(3.0 / 8);
        assertThat(s.method()).isEqualTo(HessianSpectrum.Method.FULL_DECOMPOSITION);
        assertThat(h.trace()).isCloseTo(s.trace(), within(1e-14));
    }

    @Test
    void refusesLargeHessiansUpFrontNamingTheMemory() {
        SymmetricOperator big = new SymmetricOperator() {
            @Override
            public int dimension() {
                return 101_770;
            }

            @Override
            public double[] apply(double[] v) {
                throw new AssertionError("no product should be spent");
            }
        };
        assertThatThrownBy(() -> FullHessian.compute(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101770 parameters").hasMessageContaining("77.2 GiB")
                .hasMessageContaining("limit of 5000").hasMessageContaining("LanczosEigensolver");
        assertThatThrownBy(() -> FullHessian.compute(SymmetricOperator.diagonal(SPECTRUM), 6))
                .hasMessageContaining("8 parameters").hasMessageContaining("0.0 MiB")
                .hasMessageContaining("limit of 6");
        assertThat(FullHessian.formatBytes(FullHessian.bytesNeeded(5_000))).isEqualTo("190.7 MiB");
    }
}
