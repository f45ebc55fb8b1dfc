package io.github.losslab.api.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Element-wise nonlinearity applied after a layer. */
public enum Activation {
    RELU, TANH, SIGMOID, IDENTITY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name ({@code relu}, {@code tanh}, {@code sigmoid}, {@code identity}/{@code linear}). */
    public static Activation parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("linear") || t.equals("none")) {
            return IDENTITY;
        }
        for (Activation a : values()) {
            if (a.configName().equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + text + "': expected one of "
                + Arrays.stream(values()).map(Activation::configName).collect(Collectors.joining(", ")));
    }
}
