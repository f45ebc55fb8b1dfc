package io.github.losslab.api.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An immutable in-memory dataset: {@code size} samples (at least one) of features (stored as float, row-major, with a shape
 * per sample such as {@code [784]} or {@code [28, 28, 1]}) and either class labels in {@code [0, classes)} or
 * real targets of {@code targetSize} values per sample. Operations return new datasets and take explicit seeds.
 */
public final class Dataset {

    /** What the first part of a split, and a subset, add to the dataset's name. */
    private static final String FIRST_PART = "[train]";

    private final String name;
    private final int size;
    private final int[] featureShape;
    private final int featureSize;
    private final float[] features;
    private final int[] labels;
    private final int classes;
    private final float[] targets;
    private final int targetSize;

    private Dataset(String name, int[] featureShape, float[] features, int[] labels, int classes, float[] targets,
                    int targetSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.featureShape = featureShape.clone();
        int fs = 1;
        for (int d : featureShape) {
            if (d < 1) {
                throw new IllegalArgumentException("feature shape dimensions must be at least 1, was "
                        + Arrays.toString(featureShape));
            }
            fs *= d;
        }
        this.featureSize = fs;
        if (features.length % fs != 0) {
            throw new IllegalArgumentException("dataset '" + name + "': " + features.length
                    + " feature values are not a whole number of samples of " + fs);
        }
        this.size = features.length / fs;
        if (size == 0) {
            throw new IllegalArgumentException("dataset '" + name + "' has no samples; a dataset needs at least one"
                    + " (losses and accuracies of an empty set are undefined)");
        }
        this.features = features;
        this.labels = labels;
        this.classes = classes;
        this.targets = targets;
        this.targetSize = targetSize;
        if (labels != null) {
            if (labels.length != size) {
                throw new IllegalArgumentException("dataset '" + name + "' has " + size + " samples but "
                        + labels.length + " labels");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException("dataset '" + name + "': label " + labels[i]
                            + " of sample " + i + " is outside [0, " + classes + ")");
                }
            }
        } else if (targets.length != (long) size * targetSize) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + size + " samples but "
                    + targets.length + " target values (expected " + (long) size * targetSize + ")");
        }
    }

    /** A classification dataset; the arrays are copied. */
    public static Dataset classification(String name, int[] featureShape, float[] features, int[] labels,
                                         int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classification dataset needs at least 2 classes, had " + classes);
        }
        return new Dataset(name, featureShape, features.clone(), labels.clone(), classes, null, 0);
    }

    /** A classification dataset that takes ownership of the arrays, for loaders in this package. */
    static Dataset classificationOwning(String name, int[] featureShape, float[] features, int[] labels,
                                        int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classification dataset needs at least 2 classes, had " + classes);
        }
        return new Dataset(name, featureShape, features, labels, classes, null, 0);
    }

    /** A regression dataset with {@code targetSize} targets per sample; the arrays are copied. */
    public static Dataset regression(String name, int[] featureShape, float[] features, float[] targets,
                                     int targetSize) {
        if (targetSize < 1) {
            throw new IllegalArgumentException("target size must be at least 1, was " + targetSize);
        }
        return new Dataset(name, featureShape, features.clone(), null, 0, targets.clone(), targetSize);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public int[] featureShape() {
        return featureShape.clone();
    }

    public int featureSize() {
        return featureSize;
    }

    public boolean isClassification() {
        return labels != null;
    }

    /** Number of classes (0 for regression). */
    public int classes() {
        return classes;
    }

    /** Targets per sample (0 for classification). */
    public int targetSize() {
        return targetSize;
    }

    /** A copy of the features, row-major. */
    public float[] features() {
        return features.clone();
    }

    /**
     * Read-only access to one feature value without copying: feature {@code index} of sample {@code sample}, with
     * the features of a sample counted row-major over {@link #featureShape()}.
     *
     * @throws IndexOutOfBoundsException when {@code sample} is outside {@code [0, size)} or {@code index} outside
     *                                   {@code [0, featureSize)}
     */
    public float feature(int sample, int index) {
        if (sample < 0 || sample >= size) {
            throw new IndexOutOfBoundsException("sample index " + sample + " is outside [0, " + size
                    + ") of dataset '" + name + "'");
        }
        if (index < 0 || index >= featureSize) {
            throw new IndexOutOfBoundsException("feature index " + index + " is outside [0, " + featureSize
                    + ") of dataset '" + name + "' (features of shape " + Arrays.toString(featureShape) + ")");
        }
        return features[sample * featureSize + index];
    }

    /** A copy of the labels; throws for regression data. */
    public int[] labels() {
        requireClassification();
        return labels.clone();
    }

    public int label(int sample) {
        requireClassification();
        return labels[sample];
    }

    /** A copy of the targets; throws for classification data. */
    public float[] targets() {
        if (targets == null) {
            throw new IllegalStateException("dataset '" + name + "' holds class labels, not real targets");
        }
        return targets.clone();
    }

    /** Number of samples of each class. */
    public int[] classCounts() {
        requireClassification();
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** The samples {@code [from, to)} as a double-precision batch. */
    public Batch batch(int from, int to) {
        if (from < 0 || to > size || from >= to) {
            throw new IllegalArgumentException("batch range [" + from + ", " + to + ") is not inside [0, " + size + ")");
        }
        int rows = to - from;
        double[] x = new double[rows * featureSize];
        for (int i = 0; i < x.length; i++) {
            x[i] = features[from * featureSize + i];
        }
        if (labels != null) {
            return Batch.classification(x, rows, Arrays.copyOfRange(labels, from, to));
        }
        double[] y = new double[rows * targetSize];
        for (int i = 0; i < y.length; i++) {
            y[i] = targets[from * targetSize + i];
        }
        return Batch.regression(x, rows, y);
    }

    /** All samples as one batch. */
    public Batch all() {
        return batch(0, size);
    }

    /** The samples at the given indices, in that order (indices may repeat). */
    public Dataset select(int[] indices, String newName) {
        float[] x = new float[indices.length * featureSize];
        for (int i = 0; i < indices.length; i++) {
            int s = indices[i];
            if (s < 0 || s >= size) {
                throw new IllegalArgumentException("sample index " + s + " is outside [0, " + size + ")");
            }
            System.arraycopy(features, s * featureSize, x, i * featureSize, featureSize);
        }
        if (labels != null) {
            int[] y = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                y[i] = labels[indices[i]];
            }
            return new Dataset(newName, featureShape, x, y, classes, null, 0);
        }
        float[] t = new float[indices.length * targetSize];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(targets, indices[i] * targetSize, t, i * targetSize, targetSize);
        }
        return new Dataset(newName, featureShape, x, null, 0, t, targetSize);
    }

    /** The first {@code n} samples (all of them when {@code n >= size}). */
    public Dataset head(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("subset size must be at least 1, was " + n);
        }
        return select(range(Math.min(n, size)), name);
    }

    /** The samples in a random order drawn from {@code seed}. */
    public Dataset shuffle(long seed) {
        return select(permutation(size, seed), name);
    }

    /**
     * A random subset of {@code n} samples drawn from {@code seed}, stratified by class for labelled data, in a
     * random order: the first part of {@link #split split(n, seed)}, named as that part is. For {@code n == size}
     * it holds every sample, in the order {@link #permutation permutation(size, seed)}.
     */
    public Dataset subset(int n, long seed) {
        if (n < 1 || n > size) {
            throw new IllegalArgumentException("subset size must be in [1, " + size + "], was " + n);
        }
        if (n == size) {
            return select(permutation(size, seed), name + FIRST_PART);
        }
        return split(n, seed).first();
    }

    /** Two disjoint parts of a dataset. */
    public record Split(Dataset first, Dataset second) {
    }

    /**
     * Splits into {@code firstSize} and {@code size - firstSize} samples drawn from {@code seed}. Labelled data is
     * stratified: each class is divided in the same proportion, so both parts keep the class balance. A class of
     * {@code n} samples puts {@code floor(n * firstSize / size)} into the first part; the places left over go, one
     * each, to the classes with the largest remainders of that division (Hamilton's largest-remainder method), and
     * classes whose remainders tie are served in an order drawn from {@code seed}, so that over seeds each of them
     * is equally likely to get the place. The order inside each part is random.
     */
    public Split split(int firstSize, long seed) {
        if (firstSize < 1 || firstSize >= size) {
            throw new IllegalArgumentException("split size must be in [1, " + (size - 1) + "], was " + firstSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = permutation(size, random.nextLong());
        long firstOrderSeed = random.nextLong();
        long secondOrderSeed = random.nextLong();
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        if (labels == null) {
            for (int i = 0; i < size; i++) {
                (i < firstSize ? first : second).add(order[i]);
            }
        } else {
            int[] quota = quotas(firstSize, random.nextLong());
            int[] taken = new int[classes];
            for (int s : order) {
                int c = labels[s];
                if (taken[c] < quota[c]) {
                    taken[c]++;
                    first.add(s);
                } else {
                    second.add(s);
                }
            }
        }
        int[] a = shuffled(first, firstOrderSeed);
        int[] b = shuffled(second, secondOrderSeed);
        return new Split(select(a, name + FIRST_PART), select(b, name + "[test]"));
    }

    /**
     * How many samples of each class go into a first part of {@code firstSize}: the floors of the exact shares,
     * then one more for each class in turn, largest remainder first and ties in the order {@code tieSeed} draws.
     * Remainders are compared exactly, as the integers {@code n * firstSize mod size}. Only classes with a positive
     * remainder get a place (there are more of them than places left over), so no quota exceeds its class.
     */
    private int[] quotas(int firstSize, long tieSeed) {
        int[] counts = classCounts();
        int[] quota = new int[classes];
        long[] remainder = new long[classes];
        int assigned = 0;
        for (int c = 0; c < classes; c++) {
            long exact = (long) counts[c] * firstSize;
            quota[c] = (int) (exact / size);
            remainder[c] = exact % size;
            assigned += quota[c];
        }
        int[] visit = permutation(classes, tieSeed);
        Integer[] byRemainder = new Integer[classes];
        for (int i = 0; i < classes; i++) {
            byRemainder[i] = visit[i];
        }
        // A stable sort: classes of equal remainder keep the seeded order.
        Arrays.sort(byRemainder, (p, q) -> Long.compare(remainder[q], remainder[p]));
        for (int k = 0; assigned < firstSize; k++) {
            quota[byRemainder[k]]++;
            assigned++;
        }
        return quota;
    }

    /** A copy with other class labels, for example random ones; the number of classes stays. */
    public Dataset withLabels(int[] newLabels, String newName) {
        requireClassification();
        return new Dataset(newName, featureShape, features, newLabels.clone(), classes, null, 0);
    }

    /** A copy under another name. */
    public Dataset named(String newName) {
        return new Dataset(newName, featureShape, features, labels, classes, targets, targetSize);
    }

    /** A uniformly random permutation of {@code [0, n)} (Fisher-Yates) drawn from {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] p = range(n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] shuffled(List<Integer> values, long seed) {
        int[] p = permutation(values.size(), seed);
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(p[i]);
        }
        return out;
    }

    private void requireClassification() {
        if (labels == null) {
            throw new IllegalStateException("dataset '" + name + "' holds real targets, not class labels");
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + size + " samples of " + Arrays.toString(featureShape)
                + (labels != null ? ", " + classes + " classes]" : ", " + targetSize + " targets]");
    }
}
