package io.github.losslab.app.bench;

import io.github.losslab.app.trial.TrialEngines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times one sweep of {@link #TRIALS} small trials ({@code sensitivity} with 16 batch sizes on 2,000 samples) run by
 * {@code losslab run} in a child JVM, under each engine setting: the local engine one and two trials at once, and
 * the Spark engine on two local workers when this build has it. The settings alternate over the rounds, so that a
 * machine whose speed drifts affects each alike; each line gives the median wall time, trials per minute and the
 * efficiency against one trial at a time.
 */
public final class SweepRun {

    /** Trials of the sweep. */
    public static final int TRIALS = 16;

    /** The Spark master of the Spark measurement: two workers of one core and 1 GiB each, in the driver's JVM. */
    public static final String SPARK_MASTER = "local-cluster[2,1,1024]";

    private static final String CONFIG = """
            experiments:
              sensitivity:
                batch-sizes: [8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536]
                hidden-widths: [64]
                epochs: 2
                train-samples: 2000
                test-samples: 1000
                sensitivity-samples: 100
            """;

    private SweepRun() {
    }

    /** One engine setting: its name in the output and the flags that select it. */
    private record Variant(String name, int parallelism, List<String> flags) {
    }

    /** Measures every engine setting {@code rounds} times, alternating. */
    public static List<Measurement> measure(String backend, int rounds) throws IOException, InterruptedException {
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("local", 1, List.of("--engine", "local", "--parallelism", "1")),
                new Variant("local", 2, List.of("--engine", "local", "--parallelism", "2"))));
        if (TrialEngines.names().contains(TrialEngines.SPARK)) {
            variants.add(new Variant("spark", 2, List.of("--engine", "spark", "--spark-master", SPARK_MASTER)));
        }
        Path dir = Files.createTempDirectory("losslab-bench-sweep-");
        Path config = Files.writeString(dir.resolve("sweep.yaml"), CONFIG);
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
                "io.github.losslab.app.Main", "run", "sensitivity", "--config", config.toString(), "--backend",
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
