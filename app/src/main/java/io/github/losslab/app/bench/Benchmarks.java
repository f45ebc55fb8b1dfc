package io.github.losslab.app.bench;

import io.github.losslab.api.Backend;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training benchmarks of the project's speed targets, measured on one backend. Each runs its work once to warm
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
     * One epoch of the 784-128-10 ReLU MLP with plain SGD over 60,000 samples: MNIST's training set when
     * {@code dataDir} holds it, else uniform random data of MNIST's shape (the arithmetic is the same).
     */
    public Measurement mlpEpoch(int batchSize, Path dataDir) throws IOException {
        Dataset data = mnistShaped(dataDir);
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
        return new Measurement("mlp-epoch", seconds,
                batchSize == 64 ? MLP_EPOCH_64_TARGET : batchSize == 1024 ? MLP_EPOCH_1024_TARGET : null,
                Map.of("batch_size", batchSize, "samples", data.size(), "data", data.name()));
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
                Map.of("epochs", epochs, "points", data.size(), "parameters", spec.parameterCount()));
    }

    static Dataset mnistShaped(Path dataDir) throws IOException {
        if (dataDir != null && MnistData.isPresent(dataDir)) {
            Dataset train = MnistData.load(dataDir).train();
            if (train.size() >= MNIST_TRAIN_SIZE) {
                return train.head(MNIST_TRAIN_SIZE).named("mnist-train");
            }
        }
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
