package io.github.losslab.api.data;

/**
 * A mini-batch in double precision: {@code rows} samples of {@code featureSize} features, row-major, and
 * either integer class labels (classification) or {@code targetSize} real targets per sample (regression).
 * A model may keep its own copy of a batch for later calls with the same batch object (an analysis evaluates one
 * batch many times), so a batch's arrays must not change once it has been passed to a model.
 */
public record Batch(double[] features, int rows, int[] labels, double[] targets) {

    public Batch {
        if (rows < 1) {
            throw new IllegalArgumentException("a batch needs at least 1 row, had " + rows);
        }
        if (features.length % rows != 0) {
            throw new IllegalArgumentException("feature array of " + features.length
                    + " values is not a whole number of rows of " + rows);
        }
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("a batch has either labels or targets, not both or neither");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("batch has " + rows + " rows but " + labels.length + " labels");
        }
        if (targets != null && targets.length % rows != 0) {
            throw new IllegalArgumentException("target array of " + targets.length
                    + " values is not a whole number of rows of " + rows);
        }
    }

    public static Batch classification(double[] features, int rows, int[] labels) {
        return new Batch(features, rows, labels, null);
    }

    public static Batch regression(double[] features, int rows, double[] targets) {
        return new Batch(features, rows, null, targets);
    }

    public int featureSize() {
        return features.length / rows;
    }

    public int targetSize() {
        return targets == null ? 0 : targets.length / rows;
    }

    public boolean isClassification() {
        return labels != null;
    }

    /** The same labels or targets with other features, for example perturbed inputs. */
    public Batch withFeatures(double[] newFeatures) {
        return new Batch(newFeatures, rows, labels, targets);
    }
}
