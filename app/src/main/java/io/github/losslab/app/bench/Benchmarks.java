package io.github.losslab.app.bench;

import io.github.losslab.analysis.hessian.BlockHessian;
import io.github.losslab.analysis.hessian.FullHessian;
import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.LanczosEigensolver;
import io.github.losslab.analysis.hessian.HutchinsonTrace;
import io.github.losslab.analysis.hessian.LanczosResult;
import io.github.losslab.analysis.hessian.ParameterBlock;
import io.github.losslab.analysis.hessian.SpectralDensity;
import io.github.losslab.analysis.hessian.TraceEstimate;
import io.github.losslab.api.Backend;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training and curvature benchmarks of the project's speed targets, measured on one backend. Each runs its work once to warm
 * up (graph building, kernel selection, allocator pools), then {@code repetitions} times.
 */
public final class Benchmarks {

    /** Samples of one MNIST epoch. */
    public static final int MNIST_TRAIN_SIZE = 60_000;
    /** Target of one 784-128-10 epoch at batch 64 on two CPU cores, seconds. */
    public static final double MLP_EPOCH_64_TARGET = 0.4;
    /** Target of one 784-128-10 epoch at batch 1024 on two CPU cores, seconds. */
    public static final double MLP_EPOCH_1024_TARGET = 0.25;
    /** Target of 3,000 full-batch Adam epochs of the 1-128-1 net on 40,000 points, seconds. */
    public static final double FIT_FUNCTION_TARGET = 15;
    /** Target of the full Hessian and all eigenvalues of the 321-parameter net on 1,000 points, seconds. */
    public static final double HESSIAN_FULL_TARGET = 0.3;
    /** Points of the full-Hessian benchmark. */
    public static final int HESSIAN_FULL_POINTS = 1_000;
    /** Target of the top Hessian eigenvalue of the 784-128-10 MLP on 10,000 samples, seconds. */
    public static final double HESSIAN_TOP_TARGET = 10;
    /** Relative Ritz residual of the top-eigenvalue benchmark (the eigenvalue's error is about its square). */
    public static final double HESSIAN_TOP_TOLERANCE = 1e-4;

    /** Probes of the density benchmark (PyHessian's and Ghorbani et al.'s number). */
    public static final int HESSIAN_DENSITY_PROBES = SpectralDensity.DEFAULT_PROBES;
    /** Lanczos steps per probe of the density benchmark (Ghorbani et al.'s). */
    public static final int HESSIAN_DENSITY_STEPS = SpectralDensity.DEFAULT_STEPS;

    private final Backend backend;
    private final int repetitions;

    public Benchmarks(Backend backend, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, was " + repetitions);
        }
        this.backend = backend;
        this.repetitions = repetitions;
    }

    /**
     * One epoch of the 784-128-10 ReLU MLP with plain SGD over {@code data}: MNIST's 60,000 training samples, or
     * {@link #syntheticMnist()} (the arithmetic is the same). Only an epoch of 60,000 samples has a target.
     */
    public Measurement mlpEpoch(int batchSize, Dataset data) {
        ModelSpec spec = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        TrainingConfig config = TrainingConfig.of(1, batchSize, 1, Precision.FLOAT32);
        double[] seconds = new double[repetitions];
        try (Model model = backend.createModel(spec, Precision.FLOAT32, 1)) {
            model.train(data, OptimizerSpec.sgd(0.01), config, List.of());
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                model.train(data, OptimizerSpec.sgd(0.01), config.withSeed(r + 2), List.of());
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        boolean epoch = data.size() == MNIST_TRAIN_SIZE;
        return new Measurement("mlp-epoch", seconds, !epoch ? null
                : batchSize == 64 ? MLP_EPOCH_64_TARGET : batchSize == 1024 ? MLP_EPOCH_1024_TARGET : null,
                Measurement.extras("batch_size", batchSize, "samples", data.size(), "data", data.name()));
    }

    /** 3,000 full-batch Adam epochs of the 1-128-1 ReLU net on 40,000 points of x^3 on [-2, 2]. */
    public Measurement fitFunction(int epochs) {
        Dataset data = FunctionSampler.grid("x^3", x -> x * x * x, -2, 2, 40_000);
        ModelSpec spec = ModelSpec.mlp(1, new int[] {128}, 1, Activation.RELU, Loss.MEAN_SQUARED_ERROR);
        double[] seconds = new double[repetitions];
        try (Model model = backend.createModel(spec, Precision.FLOAT32, 1)) {
            model.train(data, OptimizerSpec.adam(0.001), TrainingConfig.of(20, data.size(), 1, Precision.FLOAT32),
                    List.of());
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                model.train(data, OptimizerSpec.adam(0.001),
                        TrainingConfig.of(epochs, data.size(), r, Precision.FLOAT32), List.of());
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        return new Measurement("fit-function", seconds, epochs == 3000 ? FIT_FUNCTION_TARGET : null,
                Measurement.extras("epochs", epochs, "points", data.size(), "parameters", spec.parameterCount()));
    }

    /**
     * The full Hessian of the 1-16-16-1 tanh net (321 parameters, float64) on {@code points} points of sin(x), built
     * from exact Hessian-vector products, and all its eigenvalues.
     */
    public Measurement hessianFull(int points) {
        Dataset data = FunctionSampler.grid("sin", Math::sin, -Math.PI, Math.PI, points);
        ModelSpec spec = ModelSpec.mlp(1, new int[] {16, 16}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        double[] seconds = new double[repetitions];
        String method;
        try (Model model = backend.createModel(spec, Precision.FLOAT64, 1)) {
            HessianOperator op = HessianOperator.of(model, data);
            method = op.curvatureMethod().configName();
            FullHessian.compute(op).spectrum();
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                FullHessian.compute(op).spectrum();
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        return new Measurement("hessian-full", seconds, points == HESSIAN_FULL_POINTS ? HESSIAN_FULL_TARGET : null,
                Measurement.extras("parameters", spec.parameterCount(), "points", points, "precision", "float64",
                        "method", method));
    }

    /**
     * The largest Hessian eigenvalue of the 784-128-10 ReLU MLP (101,770 parameters, float32) over the bundled
     * subset's 10,000 digits, by Lanczos to a relative residual of {@link #HESSIAN_TOP_TOLERANCE}.
     */
    public Measurement hessianTop() {
        double[] seconds = new double[repetitions];
        LanczosEigensolver solver = LanczosEigensolver.builder().top(1).tolerance(HESSIAN_TOP_TOLERANCE).build();
        double largest = Double.NaN;
        int iterations = 0;
        String method;
        try (MnistHessian h = MnistHessian.open(backend)) {
            method = h.op().curvatureMethod().configName();
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                LanczosResult result = solver.solve(h.op());
                seconds[r] = (System.nanoTime() - start) / 1e9;
                largest = result.largest();
                iterations = result.iterations();
            }
        }
        return new Measurement("hessian-top", seconds, HESSIAN_TOP_TARGET, Measurement.extras("parameters",
                MnistHessian.SPEC.parameterCount(), "samples", BundledMnist.SIZE, "precision", "float32", "method",
                method, "largest_eigenvalue", largest, "iterations", iterations));
    }

    /**
     * The eigenvalue density of the same Hessian as {@link #hessianTop()} by stochastic Lanczos quadrature,
     * {@link #HESSIAN_DENSITY_PROBES} probes of {@link #HESSIAN_DENSITY_STEPS} steps (one product each), as
     * Ghorbani et al. 2019 and PyHessian compute it.
     */
    public Measurement hessianDensity() {
        double[] seconds = new double[repetitions];
        SpectralDensity density = null;
        String method;
        try (MnistHessian h = MnistHessian.open(backend)) {
            method = h.op().curvatureMethod().configName();
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                density = SpectralDensity.estimate(h.op(), HESSIAN_DENSITY_PROBES, HESSIAN_DENSITY_STEPS, r);
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        return new Measurement("hessian-density", seconds, null, Measurement.extras("parameters",
                MnistHessian.SPEC.parameterCount(), "samples", BundledMnist.SIZE, "precision", "float32", "method",
                method, "probes", HESSIAN_DENSITY_PROBES, "steps", HESSIAN_DENSITY_STEPS, "products",
                density.products(), "largest_node", density.maxNode(), "smallest_node", density.minNode()));
    }

    /**
     * The per-layer spectra of the same Hessian as {@link #hessianTop()}: for each layer's block (kernel and bias,
     * {@link BlockHessian}), its largest eigenvalue by Lanczos to {@link #HESSIAN_TOP_TOLERANCE} and Hutchinson's
     * trace from {@link #HESSIAN_LAYER_PROBES} probes, all layers in one timing.
     */
    public Measurement hessianPerLayer() {
        double[] seconds = new double[repetitions];
        LanczosEigensolver solver = LanczosEigensolver.builder().top(1).tolerance(HESSIAN_TOP_TOLERANCE).build();
        Map<String, Object> extra = Measurement.extras("parameters", MnistHessian.SPEC.parameterCount(), "samples",
                BundledMnist.SIZE, "precision", "float32");
        try (MnistHessian h = MnistHessian.open(backend)) {
            extra.put("method", h.op().curvatureMethod().configName());
            List<ParameterBlock> layers = ParameterBlock.perLayer(MnistHessian.SPEC.layout());
            for (int r = 0; r < repetitions; r++) {
                long before = h.op().products();
                long start = System.nanoTime();
                for (ParameterBlock b : layers) {
                    BlockHessian block = BlockHessian.of(h.op(), b);
                    LanczosResult top = solver.solve(block);
                    TraceEstimate trace = HutchinsonTrace.estimate(block, HESSIAN_LAYER_PROBES, r);
                    extra.put(b.name() + "_parameters", b.size());
                    extra.put(b.name() + "_largest_eigenvalue", top.largest());
                    extra.put(b.name() + "_iterations", top.iterations());
                    extra.put(b.name() + "_trace", trace.mean());
                }
                seconds[r] = (System.nanoTime() - start) / 1e9;
                extra.put("products", h.op().products() - before);
            }
        }
        return new Measurement("hessian-per-layer", seconds, null, extra);
    }

    /** Hutchinson probes per layer in {@link #hessianPerLayer()}. */
    public static final int HESSIAN_LAYER_PROBES = 20;

    /**
     * The Hessian the curvature benchmarks share: the 784-128-10 ReLU MLP (float32, initialization seed 1) over
     * the bundled subset's 10,000 digits in one chunk, its first product computed (graph building), open until
     * closed.
     */
    private record MnistHessian(Model model, HessianOperator op) implements AutoCloseable {

        static final ModelSpec SPEC = ModelSpec.mlp(784, new int[] {128}, 10, Activation.RELU,
                Loss.SOFTMAX_CROSS_ENTROPY);

        static MnistHessian open(Backend backend) {
            Dataset data = BundledMnist.all();
            Model model = backend.createModel(SPEC, Precision.FLOAT32, 1);
            HessianOperator op = HessianOperator.of(model, data, data.size());
            op.apply(new double[op.dimension()]);
            return new MnistHessian(model, op);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** 60,000 samples of MNIST's shape: uniform random pixels and labels. */
    public static Dataset syntheticMnist() {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[MNIST_TRAIN_SIZE * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[MNIST_TRAIN_SIZE];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
        }
        return Dataset.classification("synthetic-mnist-shape", new int[] {784}, x, y, 10);
    }
}
