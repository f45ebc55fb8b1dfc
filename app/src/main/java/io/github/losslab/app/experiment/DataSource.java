package io.github.losslab.app.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an experiment's data came from, for its provenance.
 *
 * @param source in words, for example {@code bundled MNIST subset} or {@code sampled: x^3 on [-2, 2]}
 * @param sizes  samples per part, for example {@code train: 8000, test: 2000}
 */
public record DataSource(String source, Map<String, Integer> sizes) {

    public DataSource {
        Objects.requireNonNull(source, "source");
        sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    }

    public static DataSource of(String source, String part, int size) {
        return new DataSource(source, Map.of(part, size));
    }
}
