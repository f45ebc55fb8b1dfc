package io.github.losslab.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times one sweep of {@link #TRIALS} small trials ({@code sensitivity} at {@link #TRIALS} batch sizes of a small
 * network, a second or two each) run by {@code losslab run} in a child JVM, under the local engine one and two
 * trials at once (the spark module adds its cluster's measurement, through {@link BenchmarkProvider}). The settings
 * alternate over the rounds, so that a machine whose speed drifts affects each alike; each line gives the median
 * wall time, trials per minute and the efficiency against one trial at a time.
 */
public final class SweepRun {

    /** Trials of the sweep. */
    public static final int TRIALS = 16;

    /** The experiment of the sweep. */
    public static final String EXPERIMENT = "sensitivity";

    /**
     * The {@code experiments:} section of a sweep of {@code trials} trials: {@code sensitivity} at batch sizes 8,
     * 16, ..., of a 784-16-10 network on 300 training samples, each trained for 2 epochs (its loss target is out of
     * reach), one seed. The engine tests use it too.
     */
    public static String experiments(int trials) {
        StringBuilder batches = new StringBuilder();
        for (int i = 1; i <= trials; i++) {
            batches.append(i > 1 ? ", " : "").append(8 * i);
        }
        return """
                experiments:
                  sensitivity:
                    batch-sizes: [%s]
                    hidden-widths: [16]
                    optimizer: adam
                    learning-rate: 0.001
                    target-train-loss: 0.01
                    max-epochs: 2
                    train-samples: 300
                    test-samples: 100
                    seeds: 1
                    sensitivity-samples: 50
                """.formatted(batches);
    }

    private SweepRun() {
    }

    /** One engine setting: its name in the output and the flags that select it. */
    private record Variant(String name, int parallelism, List<String> flags) {
    }

    /** Measures every engine setting {@code rounds} times, alternating. */
    public static List<Measurement> measure(String backend, int rounds) throws IOException, InterruptedException {
        List<Variant> variants = List.of(
                new Variant("local", 1, List.of("--engine", "local", "--parallelism", "1")),
                new Variant("local", 2, List.of("--engine", "local", "--parallelism", "2")));
        Path dir = Files.createTempDirectory("losslab-bench-sweep-");
        Path config = Files.writeString(dir.resolve("sweep.yaml"), experiments(TRIALS));
        Map<Variant, double[]> seconds = new LinkedHashMap<>();
        variants.forEach(v -> seconds.put(v, new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (Variant v : variants) {
                seconds.get(v)[r] = run(dir, config, backend, v, r);
            }
        }
        double base = new Measurement("", seconds.get(variants.get(0)), null, Map.of()).median();
        List<Measurement> out = new ArrayList<>();
        for (Variant v : variants) {
            Measurement m = new Measurement("sweep", seconds.get(v), null, Map.of());
            double median = m.median();
            out.add(new Measurement("sweep", seconds.get(v), null, Measurement.extras("engine", v.name(),
                    "parallelism", v.parallelism(), "trials", TRIALS, "trials_per_minute",
                    Math.round(TRIALS / median * 60 * 10) / 10.0, "efficiency",
                    Math.round(base / (v.parallelism() * median) * 100) / 100.0)));
        }
        return out;
    }

    private static double run(Path dir, Path config, String backend, Variant v, int round) throws IOException,
            InterruptedException {
        Path out = dir.resolve(v.name() + "-" + v.parallelism() + "-" + round);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "io.github.losslab.app.Main", "run", EXPERIMENT, "--config", config.toString(), "--backend",
                backend, "--quiet", "--out", out.toString()));
        command.addAll(v.flags());
        Path log = dir.resolve(out.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("the sweep on " + v.name() + " took more than 30 minutes; its log is " + log);
        }
        double s = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IOException("the sweep on " + v.name() + " failed with status " + p.exitValue()
                    + "; its log is " + log);
        }
        return s;
    }
}
