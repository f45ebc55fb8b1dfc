package io.github.losslab.api.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the class labels of a data set before anything trains on them: every training label lies in one class set
 * {@code 0..K-1} in which every class occurs, and every test label lies in the training set's classes. {@code K}
 * is fixed by the data set (10 for CIFAR-10 and Fashion-MNIST) or, for a data set known only by its file layout,
 * the largest training label plus one, so that a data set of 2 or 47 classes is read as one of 2 or 47. A label
 * out of place is refused with the file, the index of the first offending label in that file, its value and what
 * was expected; a class that never occurs, with the file and the class.
 */
public final class ClassLabels {

    /** The classes a data set known only by its layout may have: labels lie in {@code [0, MAX_CLASSES)}. */
    public static final int MAX_CLASSES = 256;
    /** Classes listed in a message about the labels found, at most. */
    private static final int LISTED = 12;

    /**
     * The labels of one file.
     *
     * @param source the file, for messages
     * @param labels its labels in file order
     */
    public record Part(String source, int[] labels) {
        public Part {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(labels, "labels");
        }
    }

    private ClassLabels() {
    }

    /**
     * Checks the training and test labels and returns the number of classes.
     *
     * @param classes the data set's number of classes, or 0 to take the largest training label plus one
     * @param what    the class set in words for messages, for example {@code the 10 classes of CIFAR-10}; null for
     *                a set taken from the labels
     * @throws DataException naming the file, the index and value of the first label out of place, or the class
     *                       that never occurs in the training set
     */
    public static int check(List<Part> train, List<Part> test, int classes, String what) throws DataException {
        int k = classes;
        if (k == 0) {
            k = 1 + maxLabel(train);
        }
        String set = what != null ? what : "the classes the training labels make (the largest is " + (k - 1) + ")";
        for (Part p : train) {
            int i = firstOutside(p.labels(), k);
            if (i >= 0) {
                throw new DataException(p.source() + ": label " + i + " is " + p.labels()[i] + "; expected a class of "
                        + "0.." + (k - 1) + ", " + set + ". The file is damaged, or belongs to another data set");
            }
        }
        int[] counts = new int[k];
        int total = 0;
        for (Part p : train) {
            for (int y : p.labels()) {
                counts[y]++;
            }
            total += p.labels().length;
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                throw new DataException(sources(train) + ": class " + c + " never occurs among the " + total
                        + " training labels (classes found: " + found(counts) + "); expected every class of 0.."
                        + (k - 1) + ", " + set + ", to occur in the training set. Use the whole training set,"
                        + " or relabel the classes as 0..K-1 without gaps");
            }
        }
        String trainSources = sources(train);
        for (Part p : test) {
            int i = firstOutside(p.labels(), k);
            if (i >= 0) {
                throw new DataException(p.source() + ": label " + i + " is " + p.labels()[i] + "; expected one of the "
                        + "training set's classes 0.." + (k - 1) + " (" + trainSources + "). The test set holds a"
                        + " class the training set lacks, or the file is damaged");
            }
        }
        return k;
    }

    /** The largest label, checking that every label lies in {@code [0, MAX_CLASSES)}. */
    private static int maxLabel(List<Part> parts) throws DataException {
        int max = 0;
        for (Part p : parts) {
            int i = firstOutside(p.labels(), MAX_CLASSES);
            if (i >= 0) {
                throw new DataException(p.source() + ": label " + i + " is " + p.labels()[i] + "; expected a class "
                        + "label in 0.." + (MAX_CLASSES - 1) + ". The file is damaged, or not a label file");
            }
            for (int y : p.labels()) {
                max = Math.max(max, y);
            }
        }
        return max;
    }

    private static int firstOutside(int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                return i;
            }
        }
        return -1;
    }

    private static String sources(List<Part> parts) {
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.add(p.source()));
        return names.size() <= 2 ? String.join(" and ", names) : names.get(0) + " and " + (names.size() - 1)
                + " more files";
    }

    private static String found(int[] counts) {
        List<String> present = new ArrayList<>();
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                n++;
                if (present.size() < LISTED) {
                    present.add(Integer.toString(c));
                }
            }
        }
        return String.join(", ", present) + (n > present.size() ? ", ... (" + n + " in all)" : "");
    }
}
