package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.Fixtures;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Locale;

/**
 * Timings of the curvature tools, not a test: run with
 * {@code ./mvnw -pl analysis -am verify -Dtest=HessianBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DargLine=-Dlosslab.benchmark=true}. The backend uses its own thread choice, as an application would.
 */
@EnabledIfSystemProperty(named = "losslab.benchmark", matches = "true")
class HessianBenchmark {

    @Test
    void fullHessianOfA321ParameterNetworkOnAThousandPoints() {
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16, 16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Dataset data = Fixtures.sine(1000);
        try (Model model = io.github.losslab.api.Backends.create("tensorflow",
                io.github.losslab.api.BackendOptions.DEFAULT).createModel(spec, Precision.FLOAT64, 1)) {
            HessianOperator op = HessianOperator.of(model, data);
            op.apply(new double[op.dimension()]);   // builds the product's graph ops once
            for (int run = 0; run < 5; run++) {
                long t0 = System.nanoTime();
                FullHessian h = FullHessian.compute(op);
                long t1 = System.nanoTime();
                HessianSpectrum s = h.spectrum();
                long t2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "full Hessian %d params, %d points: build %.3f s, eigenvalues %.3f s, "
                                + "total %.3f s (max %.4g, min %.4g, %s)%n", op.dimension(), data.size(),
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, s.max(), s.min(),
                        s.curvatureMethod().configName());
            }
        }
    }

    @Test
    void topEigenvalueOfTheMnistMlp() {
        ModelSpec spec = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = BundledMnist.all();
        int samples = Integer.getInteger("losslab.benchmark.samples", 10_000);
        Dataset subset = data.head(samples);
        try (Model model = io.github.losslab.api.Backends.create("tensorflow",
                io.github.losslab.api.BackendOptions.DEFAULT).createModel(spec, Precision.FLOAT32, 1)) {
            for (Precision p : Precision.values()) {
                try (Model m = io.github.losslab.api.Backends.create("tensorflow",
                        io.github.losslab.api.BackendOptions.DEFAULT).createModel(spec, p, 1)) {
                    HessianOperator op = HessianOperator.of(m, subset, 10_000);
                    long t0 = System.nanoTime();
                    op.apply(new double[op.dimension()]);
                    long t1 = System.nanoTime();
                    double[] v = Fixtures.gaussian(op.dimension(), 1);
                    op.apply(v);
                    long t2 = System.nanoTime();
                    LanczosResult r = LanczosEigensolver.builder().top(1).tolerance(1e-4).build().solve(op);
                    long t3 = System.nanoTime();
                    LanczosResult tight = LanczosEigensolver.builder().top(1).build().solve(op);
                    long t4 = System.nanoTime();
                    System.out.printf(Locale.ROOT, "784-128-10 %s on %d samples: first product %.2f s, one product "
                                    + "%.3f s; top eigenvalue %.6g in %d iterations (residual %.1e, %.2f s); tolerance "
                                    + "1e-8: %.8g in %d iterations (%.2f s)%n", p.configName(), subset.size(),
                            (t1 - t0) / 1e9, (t2 - t1) / 1e9, r.largest(), r.iterations(), r.topResiduals()[0],
                            (t3 - t2) / 1e9, tight.largest(), tight.iterations(), (t4 - t3) / 1e9);
                }
            }
            model.parameterCount();
        }
    }
}
