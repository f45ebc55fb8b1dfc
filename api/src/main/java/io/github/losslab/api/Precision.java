package io.github.losslab.api;

import java.util.Locale;

/** Floating-point precision of a model's parameters and arithmetic. */
public enum Precision {
    /** IEEE single precision: fast, about 7 significant digits. */
    FLOAT32,
    /** IEEE double precision: needed for finite-difference checks and critical-point searches. */
    FLOAT64;

    /** The configuration name: {@code float32} or {@code float64}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code float32}/{@code float64} (also {@code f32}, {@code f64}, {@code single}, {@code double}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "float32": case "f32": case "single": case "float": return FLOAT32;
            case "float64": case "f64": case "double": return FLOAT64;
            default:
                throw new IllegalArgumentException("unknown precision '" + text + "': expected float32 or float64");
        }
    }
}
