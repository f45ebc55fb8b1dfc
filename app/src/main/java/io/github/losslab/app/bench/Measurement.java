package io.github.losslab.app.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark result: repeated timings summarised by their median, a target where the project sets one, and
 * extra fields (batch size, peak memory, ...).
 */
public record Measurement(String name, double[] seconds, Double targetSeconds, Map<String, Object> extra) {

    public Measurement {
        seconds = seconds.clone();
        extra = new LinkedHashMap<>(extra);
    }

    /**
     * Extra fields in the order given, as key-value pairs ({@code Map.of} would print them in a different order
     * from run to run).
     */
    public static Map<String, Object> extras(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("extras take keys and values in pairs, got " + keysAndValues.length);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    public double median() {
        return median(seconds);
    }

    /** The median of some values (at least one). */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The fields of the JSON line, in order. */
    public Map<String, Object> fields(Map<String, Object> machine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", name);
        m.putAll(extra);
        m.put("median_s", round(median()));
        double[] s = seconds.clone();
        Arrays.sort(s);
        m.put("min_s", round(s[0]));
        m.put("max_s", round(s[s.length - 1]));
        m.put("repetitions", s.length);
        if (targetSeconds != null) {
            m.put("target_s", targetSeconds);
            m.put("meets_target", median() <= targetSeconds);
        }
        m.putAll(machine);
        return m;
    }

    /** Rounded to four decimals, for the JSON line. */
    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
