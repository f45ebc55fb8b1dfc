package io.github.losslab.app.bench;

import java.util.List;

/**
 * Measurements that a module adds to {@code losslab bench} when its jar is on the class path (the spark module's
 * sweep on Spark workers), listed in {@code META-INF/services/io.github.losslab.app.bench.BenchmarkProvider}. They
 * run after the app's own measurements of the same benchmark name, and print as those do, one JSON line each.
 */
public interface BenchmarkProvider {

    /** The benchmark name the measurements belong to, one of {@link BenchCommand#NAMES} ({@code sweep}). */
    String name();

    /**
     * Measures.
     *
     * @param earlier the measurements {@code bench} printed before under the same name in this run (the local
     *                engine's, say), for comparisons such as an efficiency against one trial at a time
     */
    List<Measurement> measure(List<Measurement> earlier) throws Exception;
}
