package io.github.losslab.app.config;

import java.util.List;

/**
 * Range checks for the compact constructors of settings records. Each throws an {@link InvalidSettingException}
 * that names the setting, the value and the allowed range, and returns the value otherwise.
 */
public final class Check {

    private Check() {
    }

    public static int atLeast(String setting, int value, int min) {
        if (value < min) {
            throw new InvalidSettingException(setting, value, "an integer >= " + min);
        }
        return value;
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

    /** Every element of a non-empty list of integers at least {@code min}. */
    public static List<Integer> allAtLeast(String setting, List<Integer> values, int min) {
        List<Integer> copy = notEmpty(setting, values);
        for (int v : copy) {
            if (v < min) {
                throw new InvalidSettingException(setting, values, "a list of integers >= " + min);
            }
        }
        return copy;
    }

    /** A non-empty list without repeated elements. */
    public static <T> List<T> distinct(String setting, List<T> values) {
        List<T> copy = notEmpty(setting, values);
        if (copy.stream().distinct().count() != copy.size()) {
            throw new InvalidSettingException(setting, values, "a list without repeated elements");
        }
        return copy;
    }
}
