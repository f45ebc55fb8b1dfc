package io.github.losslab.api.model;

import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.TrainingConfig;

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

    /** Throws unless {@code config} asks for the model's precision and a batch no larger than {@code data}. */
    public static void checkTraining(Precision modelPrecision, Dataset data, TrainingConfig config) {
        if (config.precision() != modelPrecision) {
            throw new IllegalArgumentException("training config asks for " + config.precision().configName()
                    + " but the model was created with " + modelPrecision.configName());
        }
        if (config.batchSize() > data.size()) {
            throw new IllegalArgumentException("batch size " + config.batchSize() + " is larger than the "
                    + data.size() + " samples of dataset '" + data.name() + "'");
        }
    }
}
