package io.github.losslab.api.train;

import io.github.losslab.api.Precision;

/**
 * How to train: epochs over the data in mini-batches of {@code batchSize} (the last batch of an epoch may be
 * smaller), reshuffled every epoch with a generator seeded from {@code seed} when {@code shuffle} is set. The
 * {@code precision} is the one the model was created with; {@code Model.train} checks they agree.
 */
public record TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, Precision precision) {

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision must be float32 or float64, was null");
        }
    }

    public static TrainingConfig of(int epochs, int batchSize, long seed, Precision precision) {
        return new TrainingConfig(epochs, batchSize, true, seed, precision);
    }

    public TrainingConfig withEpochs(int value) {
        return new TrainingConfig(value, batchSize, shuffle, seed, precision);
    }

    public TrainingConfig withBatchSize(int value) {
        return new TrainingConfig(epochs, value, shuffle, seed, precision);
    }

    public TrainingConfig withSeed(long value) {
        return new TrainingConfig(epochs, batchSize, shuffle, value, precision);
    }

    /** Optimizer steps in one epoch over {@code samples} samples. */
    public int stepsPerEpoch(int samples) {
        return (samples + batchSize - 1) / batchSize;
    }
}
