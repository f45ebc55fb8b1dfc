package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.analysis.linalg.SymmetricEigen;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterLayout;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The Hessian restricted to parameter blocks, against closed forms and the diagonal blocks of the full Hessian. */
class BlockHessianTest {

    /**
     * A block-diagonal quadratic {@code diag(A, D)}: {@code A} a rotated {@code diag(1, 2, 7)}, {@code D} the
     * diagonal {@code (0.5, -3)}. The first block's eigenvalues are 1, 2 and 7 and its trace 10; the second's
     * trace is exactly what Hutchinson's probes and every SLQ probe's first moment give for a diagonal matrix.
     */
    @Test
    void blocksOfABlockDiagonalQuadraticHaveTheirBlocksSpectra() {
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        // rotation in the plane of the first two coordinates, then diag(1, 2, 7)
        double[][] q = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
        double[] lambda = {1, 2, 7};
        DMatrixRMaj m = new DMatrixRMaj(5, 5);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += q[i][k] * lambda[k] * q[j][k];
                }
                m.set(i, j, v);
            }
        }
        m.set(3, 3, 0.5);
        m.set(4, 4, -3);
        SymmetricOperator whole = SymmetricOperator.of(m);
        BlockHessian a = BlockHessian.of(whole, ParameterBlock.ofRanges("a", 5, new int[] {0}, new int[] {3}));
        BlockHessian d = BlockHessian.of(whole, ParameterBlock.ofRanges("d", 5, new int[] {3}, new int[] {2}));
        assertThat(a.dimension()).isEqualTo(3);

        LanczosResult r = LanczosEigensolver.builder().top(3).build().solve(a);
        assertThat(r.top()).containsExactly(new double[] {7, 2, 1}, within(1e-10));
        assertThat(FullHessian.compute(a).trace()).isCloseTo(10, within(1e-12));
        assertThat(FullHessian.compute(d).spectrum().eigenvalues()).containsExactly(new double[] {-3, 0.5},
                within(1e-15));
        assertThat(HutchinsonTrace.estimate(d, 4, 1).mean()).isCloseTo(-2.5, within(1e-15));
        SpectralDensity density = SpectralDensity.estimate(d, 3, 2, 2);
        assertThat(density.probeMeans()).containsExactly(new double[] {-1.25, -1.25, -1.25}, within(1e-14));
        assertThat(density.minNode()).isCloseTo(-3, within(1e-12));
        assertThat(density.maxNode()).isCloseTo(0.5, within(1e-12));
    }

    /** A block of two separate ranges is the submatrix of those rows and columns, in order. */
    @Test
    void aBlockOfSeveralRangesIsTheSubmatrixOfItsRowsAndColumns() {
        int n = 7;
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        double[] g = Fixtures.gaussian(n * n, 3);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m.set(i, j, g[i * n + j]);
                m.set(j, i, g[i * n + j]);
            }
        }
        ParameterBlock block = ParameterBlock.ofRanges("b", n, new int[] {1, 4}, new int[] {2, 3});
        assertThat(block.indices()).containsExactly(1, 2, 4, 5, 6);
        FullHessian h = FullHessian.compute(BlockHessian.of(SymmetricOperator.of(m), block));
        int[] idx = block.indices();
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < idx.length; j++) {
                assertThat(h.get(i, j)).isEqualTo(m.get(idx[i], idx[j]));
            }
        }
    }

    /**
     * For a small net, each layer's block (kernel and bias) has the eigenvalues of the corresponding diagonal block
     * of the full Hessian, by Lanczos and by its own full decomposition; the blocks' traces add up to the whole's.
     */
    @Test
    void eachLayersEigenvaluesAreThoseOfItsDiagonalBlockOfTheFullHessian() {
        Dataset data = Fixtures.randomRegression(11, 3, 2, 5);
        try (Model model = Fixtures.backend().createModel(Fixtures.TANH_NET, Precision.FLOAT64, 6)) {
            HessianOperator op = HessianOperator.of(model, data);
            FullHessian full = FullHessian.compute(op);
            List<ParameterBlock> layers = ParameterBlock.perLayer(model.layout());
            assertThat(layers).extracting(ParameterBlock::name).containsExactly("layer0", "layer1", "layer2");
            assertThat(layers).extracting(ParameterBlock::size).containsExactly(24, 35, 12);
            double traces = 0;
            for (ParameterBlock b : layers) {
                int[] idx = b.indices();
                DMatrixRMaj sub = new DMatrixRMaj(idx.length, idx.length);
                for (int i = 0; i < idx.length; i++) {
                    for (int j = 0; j < idx.length; j++) {
                        sub.set(i, j, full.get(idx[i], idx[j]));
                    }
                }
                double[] expected = SymmetricEigen.decompose(sub, false).values();
                BlockHessian block = BlockHessian.of(op, b);
                assertThat(block.curvatureMethod()).isEqualTo(CurvatureMethod.EXACT);
                FullHessian own = FullHessian.compute(block);
                double scale = Math.max(Math.abs(expected[0]), Math.abs(expected[expected.length - 1]));
                assertThat(own.spectrum().eigenvalues()).as(b.name())
                        .containsExactly(expected, within(1e-10 * scale));
                LanczosResult r = LanczosEigensolver.builder().top(2).bottom(1).seed(9).build().solve(block);
                assertThat(r.top()).as(b.name()).containsExactly(new double[] {expected[expected.length - 1],
                        expected[expected.length - 2]}, within(1e-8 * scale));
                assertThat(r.smallest()).as(b.name()).isCloseTo(expected[0], within(1e-8 * scale));
                traces += own.trace();
            }
            assertThat(traces).isCloseTo(full.trace(), within(1e-10 * Math.abs(full.trace())));
        }
    }

    /**
     * A linear softmax classifier {@code z = x W + b}, {@code p = softmax(z)}, has the Hessian
     * {@code (1/n) sum_i (diag(p_i) - p_i p_i^T) (x) [x_i, 1][x_i, 1]^T}: its bias block is
     * {@code (1/n) sum_i (diag(p_i) - p_i p_i^T)} and its kernel block entry {@code ((a, j), (b, l))} is
     * {@code (1/n) sum_i x_ia x_ib (delta_jl p_ij - p_ij p_il)} (kernel {@code [d, k]} row-major).
     */
    @Test
    void segmentBlocksOfALinearSoftmaxModelMatchTheClosedForm() {
        int d = 3;
        int k = 3;
        int n = 9;
        ModelSpec spec = ModelSpec.builder(d).dense(k, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        Dataset data = Fixtures.randomClassification(n, d, k, 4);
        Batch batch = data.all();
        double[] x = batch.features();
        try (Model model = Fixtures.backend().createModel(spec, Precision.FLOAT64, 2)) {
            double[] theta = Fixtures.gaussian(spec.parameterCount(), 8);
            model.setParameters(theta);
            double[][] p = new double[n][k];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double z = theta[d * k + j];
                    for (int a = 0; a < d; a++) {
                        z += x[i * d + a] * theta[a * k + j];
                    }
                    p[i][j] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    p[i][j] = Math.exp(p[i][j] - max);
                    sum += p[i][j];
                }
                for (int j = 0; j < k; j++) {
                    p[i][j] /= sum;
                }
            }
            HessianOperator op = HessianOperator.of(model, batch);
            ParameterLayout layout = model.layout();
            FullHessian bias = FullHessian.compute(BlockHessian.of(op, ParameterBlock.segment(layout,
                    "layer0/bias")));
            FullHessian kernel = FullHessian.compute(BlockHessian.of(op, ParameterBlock.segment(layout,
                    "layer0/kernel")));
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    double e = 0;
                    for (int i = 0; i < n; i++) {
                        e += ((j == l ? p[i][j] : 0) - p[i][j] * p[i][l]) / n;
                    }
                    assertThat(bias.get(j, l)).as("bias block (%d, %d)", j, l).isCloseTo(e, within(1e-12));
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            double ek = 0;
                            for (int i = 0; i < n; i++) {
                                ek += x[i * d + a] * x[i * d + b] * ((j == l ? p[i][j] : 0) - p[i][j] * p[i][l]) / n;
                            }
                            assertThat(kernel.get(a * k + j, b * k + l)).isCloseTo(ek, within(1e-12));
                        }
                    }
                }
            }
            // the rows of diag(p) - p p^T sum to 0: the bias block is singular along (1, 1, 1)
            assertThat(bias.spectrum().eigenvalues()[0]).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void blocksAreCheckedAgainstTheLayout() {
        ParameterLayout layout = Fixtures.TANH_NET.layout();
        ParameterBlock group = ParameterBlock.of(layout, "kernels", List.of("layer2/kernel", "layer0/kernel"));
        assertThat(group.size()).isEqualTo(18 + 10);
        assertThat(group.segments()).containsExactly("layer0/kernel", "layer2/kernel");
        assertThat(ParameterBlock.perLayer(layout).get(1).segments()).containsExactly("layer1/kernel",
                "layer1/bias");
        assertThat(group.indices()[0]).isZero();
        double[] whole = Fixtures.gaussian(layout.size(), 1);
        assertThat(group.embed(group.extract(whole))).satisfies(e -> {
            for (int i : group.indices()) {
                assertThat(e[i]).isEqualTo(whole[i]);
            }
        });
        assertThat(ParameterBlock.whole(layout).size()).isEqualTo(layout.size());
        assertThatThrownBy(() -> ParameterBlock.of(layout, "x", List.of("layer9/kernel")))
                .hasMessageContaining("no parameter segment 'layer9/kernel'").hasMessageContaining("layer0/bias");
        assertThatThrownBy(() -> ParameterBlock.of(layout, "x", List.of("layer0/bias", "layer0/bias")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ParameterBlock.ofRanges("x", 5, new int[] {3}, new int[] {3}))
                .hasMessageContaining("outside the 5 parameters");
        assertThatThrownBy(() -> BlockHessian.of(SymmetricOperator.diagonal(1, 2),
                ParameterBlock.whole(layout))).hasMessageContaining("dimension 2");
    }
}
