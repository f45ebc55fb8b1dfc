package io.github.losslab.api.model;

import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Objects;

/**
 * The checks every backend makes on what it is given, with one wording: each message names the dataset, the value
 * and what the model expects.
 */
public final class ModelInputs {

    private ModelInputs() {
    }

    /** Throws unless {@code features} holds {@code rows} samples of the model's input size. */
    public static void checkFeatures(ModelSpec spec, double[] features, int rows) {
        if (rows < 1 || features.length != (long) rows * spec.inputSize()) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + spec.inputSize()
                    + " features (" + (long) rows * spec.inputSize() + " values), got " + features.length);
        }
    }

    /**
     * Checks a batch against the model: its features' shape, and class labels in range for cross-entropy or as many
     * real targets per sample as the model has outputs for mean squared error.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static void checkBatch(ModelSpec spec, io.github.losslab.api.data.Batch batch) {
        checkFeatures(spec, batch.features(), batch.rows());
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            if (!batch.isClassification()) {
                throw new IllegalArgumentException("a cross-entropy model needs class labels, the batch has real "
                        + "targets");
            }
            for (int label : batch.labels()) {
                if (label < 0 || label >= spec.outputSize()) {
                    throw new IllegalArgumentException("label " + label + " is outside [0, " + spec.outputSize()
                            + ") of this model's outputs");
                }
            }
        } else if (batch.isClassification() || batch.targetSize() != spec.outputSize()) {
            throw new IllegalArgumentException("a mean-squared-error model with " + spec.outputSize()
                    + " outputs needs " + spec.outputSize() + " real targets per sample");
        }
    }

    /** Throws unless {@code data} has the model's input size and the kind of targets its loss needs. */
    public static void checkDataset(ModelSpec spec, Dataset data) {
        if (data.featureSize() != spec.inputSize()) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.featureSize()
                    + " features per sample but the model takes " + spec.inputSize());
        }
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            if (!data.isClassification()) {
                throw new IllegalArgumentException("a cross-entropy model needs class labels; dataset '"
                        + data.name() + "' holds real targets");
            }
            if (data.classes() > spec.outputSize()) {
                throw new IllegalArgumentException("dataset '" + data.name() + "' has " + data.classes()
                        + " classes but the model has " + spec.outputSize() + " outputs");
            }
        } else if (data.isClassification() || data.targetSize() != spec.outputSize()) {
            throw new IllegalArgumentException("a mean-squared-error model with " + spec.outputSize()
                    + " outputs needs " + spec.outputSize() + " real targets per sample; dataset '" + data.name()
                    + "' has " + (data.isClassification() ? "class labels" : data.targetSize() + " targets"));
        }
    }

    /**
     * Throws unless a model of {@code spec} and {@code modelPrecision} can train on {@code data}
     * ({@link #checkDataset}) with {@code optimizer}, and {@code config} asks for the model's precision and a batch
     * no larger than {@code data}.
     */
    public static void checkTraining(ModelSpec spec, Precision modelPrecision, Dataset data, OptimizerSpec optimizer,
                                     TrainingConfig config) {
        checkDataset(spec, data);
        Objects.requireNonNull(optimizer, "optimizer");
        if (config.precision() != modelPrecision) {
            throw new IllegalArgumentException("training config asks for " + config.precision().configName()
                    + " but the model was created with " + modelPrecision.configName());
        }
        if (config.batchSize() > data.size()) {
            throw new IllegalArgumentException("batch size " + config.batchSize() + " is larger than the "
                    + data.size() + " samples of dataset '" + data.name() + "'");
        }
    }

    /**
     * Throws unless {@code data} fits this machine's memory when a backend keeps it for training: while it is copied
     * {@code into} the backend ("native memory", "the graph") the samples are held twice (the Java arrays and the
     * copy), which must stay under 80% of the physical memory. Where that memory is unknown, nothing is checked.
     */
    public static void checkResidentSize(ModelSpec spec, Precision precision, Dataset data, String into) {
        int n = data.size();
        long bytes = (long) n * (spec.inputSize() + spec.outputSize()) * (precision == Precision.FLOAT64 ? 8 : 4);
        long physical = physicalMemory();
        if (physical > 0 && 2 * bytes > physical * 8 / 10) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "dataset '%s' needs about %.1f GiB in %s (%d samples of %d %s features), more than this "
                            + "machine's %.1f GiB of memory allows; train on a subset (for example train-samples)",
                    data.name(), 2.0 * bytes / (1L << 30), into, n, spec.inputSize(), precision.configName(),
                    physical / (double) (1L << 30)));
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
