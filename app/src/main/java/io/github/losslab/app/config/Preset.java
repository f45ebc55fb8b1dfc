package io.github.losslab.app.config;

import java.util.Locale;

/** The scale an experiment runs at, chosen by {@code preset} in the configuration or {@code --preset}. */
public enum Preset {
    /** Minutes on two CPU cores on the bundled data: the default. */
    QUICK,
    /** The course assignment's scale. */
    FULL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code quick} or {@code full}.
     *
     * @throws IllegalArgumentException naming the value and the valid presets
     */
    public static Preset parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Preset p : values()) {
            if (p.configName().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + text + "': expected quick or full");
    }
}
