package io.github.losslab.app.config;

import java.util.List;

/**
 * Range checks for the compact constructors of settings records. Each throws an {@link InvalidSettingException}
 * that names the setting, the value and the allowed range, and returns the value otherwise.
 */
public final class Check {

    private Check() {
    }

    public static int between(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(setting, value, "an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** A finite number strictly greater than zero (learning rates, step sizes). */
    public static double positive(String setting, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidSettingException(setting, value, "a finite number > 0");
        }
        return value;
    }

    public static <T> List<T> notEmpty(String setting, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidSettingException(setting, values, "a list with at least one element");
        }
        for (T v : values) {
            if (v == null) {
                throw new InvalidSettingException(setting, values, "a list without empty elements");
            }
        }
        return List.copyOf(values);
    }

    /** Every element of a non-empty list of integers in {@code [min, max]}. */
    public static List<Integer> allBetween(String setting, List<Integer> values, int min, int max) {
        List<Integer> copy = notEmpty(setting, values);
        for (int v : copy) {
            if (v < min || v > max) {
                throw new InvalidSettingException(setting, values, "a list of integers in [" + min + ", " + max + "]");
            }
        }
        return copy;
    }

    /**
     * A non-empty list of at most {@code max} elements, for example the hidden widths of a network of at most
     * {@link Limits#LAYERS} layers.
     *
     * @param what what the elements are, plural, for the message, for example {@code widths}
     */
    public static <T> List<T> atMostElements(String setting, List<T> values, int max, String what) {
        List<T> copy = notEmpty(setting, values);
        if (copy.size() > max) {
            throw new InvalidSettingException(setting, values, "a list of at most " + max + " " + what + ", had "
                    + copy.size());
        }
        return copy;
    }

    /**
     * Hidden widths of a dense network: between 1 and {@link Limits#LAYERS} of them, each between 1 and
     * {@link Limits#WIDTH}, and the hidden layers' own weights (from one hidden layer to the next) at most
     * {@link Limits#PARAMETERS}. The layers into the inputs and out of the outputs depend on the data and are
     * checked against it ({@link #denseParameters}).
     */
    public static List<Integer> hiddenWidths(String setting, List<Integer> widths) {
        List<Integer> copy = allBetween(setting, atMostElements(setting, widths, Limits.LAYERS, "widths"), 1,
                Limits.WIDTH);
        denseParameters(setting, copy, 1, 1);
        return copy;
    }

    /**
     * Checks that a dense network of {@code widths} between {@code inputs} inputs and {@code outputs} outputs has
     * at most {@link Limits#PARAMETERS} parameters.
     *
     * @return its parameter count
     */
    public static long denseParameters(String setting, List<Integer> widths, int inputs, int outputs) {
        long count = Limits.denseParameters(inputs, widths, outputs);
        if (count > Limits.PARAMETERS) {
            throw new InvalidSettingException(setting, widths, "widths of a network of at most " + Limits.PARAMETERS
                    + " parameters; with " + inputs + " input" + (inputs == 1 ? "" : "s") + " and " + outputs
                    + " output" + (outputs == 1 ? "" : "s") + " these make " + count);
        }
        return count;
    }

    /** A non-empty list without repeated elements. */
    public static <T> List<T> distinct(String setting, List<T> values) {
        List<T> copy = notEmpty(setting, values);
        if (copy.stream().distinct().count() != copy.size()) {
            throw new InvalidSettingException(setting, values, "a list without repeated elements");
        }
        return copy;
    }

    /** A finite number in {@code [min, max]} (fractions, interpolation coefficients). */
    public static double between(String setting, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidSettingException(setting, value, "a number in [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * The end of a range, which must lie above its start: for example the α range of an interpolation, where
     * {@code alphaFrom: 1, alphaTo: -1} is a reversed range.
     *
     * @return {@code to}
     */
    public static double above(String toSetting, double to, String fromSetting, double from) {
        if (!(to > from) || Double.isInfinite(to) || Double.isInfinite(from)) {
            throw new InvalidSettingException(toSetting, to, "a finite number > " + SettingsBinder.kebab(fromSetting)
                    + " (" + from + "); a range runs from its smaller end to its larger one");
        }
        return to;
    }

    /**
     * A list with at least {@code min} elements, none empty: for example the widths of a sweep that needs ten
     * models to show a trend.
     *
     * @param what what the elements are, plural, for the message, for example {@code widths}
     */
    public static <T> List<T> atLeastElements(String setting, List<T> values, int min, String what) {
        List<T> copy = notEmpty(setting, values);
        if (copy.size() < min) {
            throw new InvalidSettingException(setting, values, "a list of at least " + min + " " + what + ", had "
                    + copy.size());
        }
        return copy;
    }

    /**
     * A number of samples to take from data known only at run time: between {@code min} and the samples the data
     * holds. Experiments call it from {@code Experiment.validate}, so that a setting the data cannot satisfy is
     * refused before anything runs rather than quietly lowered.
     *
     * @param min       0 where 0 takes all the samples, otherwise 1
     * @param available the samples the data holds
     * @param data      what the samples are taken from, for the message, for example {@code mnist-subset[test]}
     * @param more      where more samples would come from, for the message, for example
     *                  {@code a data-dir with more samples}
     */
    public static int samples(String setting, int value, int min, int available, String data, String more) {
        if (value < min || value > available) {
            throw new InvalidSettingException(setting, value, "an integer in [" + min + ", " + available + "] ("
                    + data + " holds " + available + " samples" + (min == 0 ? "; 0 takes them all" : "")
                    + "): lower " + SettingsBinder.kebab(setting) + ", or use " + more);
        }
        return value;
    }

    /**
     * A batch size that fits the data it is drawn from: between 1 and the number of samples. Experiments whose
     * data is known only at run time call it from {@code Experiment.validate}.
     *
     * @param data what the batches are drawn from, for the message, for example {@code mnist[train]}
     */
    public static int batchSize(String setting, int batchSize, int samples, String data) {
        if (batchSize < 1 || batchSize > samples) {
            throw new InvalidSettingException(setting, batchSize, "an integer in [1, " + samples + "] (the "
                    + samples + " samples of " + data + ")");
        }
        return batchSize;
    }
}
