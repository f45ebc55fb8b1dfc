package io.github.losslab.app.bench;

import io.github.losslab.analysis.hessian.BlockHessian;
import io.github.losslab.analysis.hessian.CurvatureMeasurement;
import io.github.losslab.analysis.hessian.CurvatureTracker;
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
import io.github.losslab.api.train.TrainingListener;
import io.github.losslab.app.experiment.edgeofstability.EdgeOfStabilityExperiment;

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
    /** Input values of an MNIST image, 28 x 28. */
    public static final int MNIST_INPUTS = 784;
    /** The batch sizes mlp-epoch times an epoch at, each with its target. */
    public static final List<Integer> MLP_EPOCH_BATCH_SIZES = List.of(64, 1024);
    /** Hidden units of mlp-epoch's MLP. */
    static final int MLP_EPOCH_HIDDEN = 128;
    /** Outputs of mlp-epoch's MLP, one per class of the data sets losslab knows. */
    static final int MLP_EPOCH_OUTPUTS = 10;
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
     * {@link #syntheticMnist()} (the arithmetic is the same); for data of another input size (CIFAR-10's 3,072
     * values) the MLP takes that size. Only an epoch of 60,000 samples of 784 values has a target.
     */
    public Measurement mlpEpoch(int batchSize, Dataset data) {
        ModelSpec spec = ModelSpec.mlp(data.featureSize(), new int[] {MLP_EPOCH_HIDDEN}, MLP_EPOCH_OUTPUTS,
                Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
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
        boolean epoch = data.size() == MNIST_TRAIN_SIZE && data.featureSize() == MNIST_INPUTS;
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

    /** Gradient-descent steps of the curvature-tracker benchmark. */
    public static final int TRACKER_STEPS = 400;
    /** Training digits of the curvature-tracker benchmark: the quick preset of {@code edge-of-stability}. */
    public static final int TRACKER_SAMPLES = 1_000;

    /**
     * The overhead of a {@link CurvatureTracker} at its default settings (the largest Hessian eigenvalue and a
     * {@value CurvatureTracker#DEFAULT_TRACE_PROBES}-probe trace every {@value CurvatureTracker#DEFAULT_EVERY} steps,
     * on the whole training set): {@code steps} ({@value #TRACKER_STEPS} in the benchmark) full-batch
     * gradient-descent steps (learning rate 0.5, which reaches the edge of stability) of a 784-32-32-32-10 tanh MLP
     * with mean squared error against one-hot targets on the bundled subset's first {@value #TRACKER_SAMPLES}
     * training digits (the model and data of {@code edge-of-stability}), timed with the tracker. Beside it: the same
     * training without a tracker, with one that measures the eigenvalue only (as {@code edge-of-stability} does at
     * {@code quick}), and with one that starts every Lanczos process at random, with the Lanczos steps per
     * measurement of the warm and the random starts.
     */
    public Measurement curvatureTracker(int steps) {
        Dataset data = EdgeOfStabilityExperiment.oneHot(BundledMnist.all().head(TRACKER_SAMPLES));
        ModelSpec spec = ModelSpec.mlp(784, new int[] {32, 32, 32}, 10, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        TrainingConfig config = new TrainingConfig(steps, data.size(), false, 1, Precision.FLOAT32);
        double[] with = new double[repetitions];
        double[] without = new double[repetitions];
        double[] topOnly = new double[repetitions];
        double[] cold = new double[repetitions];
        double warmIterations = Double.NaN;
        double coldIterations = Double.NaN;
        long products = 0;
        for (int r = -1; r < repetitions; r++) {
            CurvatureTracker warm = CurvatureTracker.builder(data).build();
            CurvatureTracker top = CurvatureTracker.builder(data).traceProbes(0).build();
            CurvatureTracker random = CurvatureTracker.builder(data).warmStart(false).build();
            double plain = trainSeconds(spec, data, config, List.of());
            double tracked = trainSeconds(spec, data, config, List.of(warm));
            double eigenvalue = trainSeconds(spec, data, config, List.of(top));
            double fresh = trainSeconds(spec, data, config, List.of(random));
            if (r >= 0) {
                without[r] = plain;
                with[r] = tracked;
                topOnly[r] = eigenvalue;
                cold[r] = fresh;
                warmIterations = meanIterations(warm);
                coldIterations = meanIterations(random);
                products = warm.products();
            }
        }
        double base = Measurement.median(without);
        return new Measurement("curvature-tracker", with, null, Measurement.extras("steps", steps,
                "samples", data.size(), "parameters", spec.parameterCount(), "every", CurvatureTracker.DEFAULT_EVERY,
                "trace_probes", CurvatureTracker.DEFAULT_TRACE_PROBES,
                "without_tracker_median_s", Measurement.round(base),
                "overhead", Measurement.round((Measurement.median(with) - base) / base),
                "eigenvalue_only_median_s", Measurement.round(Measurement.median(topOnly)),
                "eigenvalue_only_overhead", Measurement.round((Measurement.median(topOnly) - base) / base),
                "cold_start_median_s", Measurement.round(Measurement.median(cold)),
                "hessian_vector_products", products,
                "lanczos_iterations_warm", Measurement.round(warmIterations),
                "lanczos_iterations_cold", Measurement.round(coldIterations)));
    }

    /** Wall time of one training from the same initial parameters. */
    private double trainSeconds(ModelSpec spec, Dataset data, TrainingConfig config, List<TrainingListener> listeners) {
        try (Model model = backend.createModel(spec, Precision.FLOAT32, 1)) {
            long start = System.nanoTime();
            model.train(data, OptimizerSpec.sgd(0.5), config, listeners);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double meanIterations(CurvatureTracker tracker) {
        return tracker.measurements().stream().skip(1).mapToInt(CurvatureMeasurement::iterations).average()
                .orElse(Double.NaN);
    }

    /** 60,000 samples of MNIST's shape: uniform random pixels and labels. */
    public static Dataset syntheticMnist() {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[MNIST_TRAIN_SIZE * MNIST_INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[MNIST_TRAIN_SIZE];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
        }
        return Dataset.classification("synthetic-mnist-shape", new int[] {MNIST_INPUTS}, x, y, MLP_EPOCH_OUTPUTS);
    }

    /** mlp-epoch's MLP for data of {@code inputs} values per sample in words, for example {@code 3072-128-10}. */
    static String mlpEpochModel(int inputs) {
        return inputs + "-" + MLP_EPOCH_HIDDEN + "-" + MLP_EPOCH_OUTPUTS;
    }
}
