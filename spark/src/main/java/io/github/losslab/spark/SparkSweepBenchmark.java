package io.github.losslab.spark;

import io.github.losslab.app.bench.SweepRun;

import io.github.losslab.app.bench.BenchmarkProvider;
import io.github.losslab.app.bench.Measurement;
import io.github.losslab.app.cli.Cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code losslab bench --only sweep} run from the spark module's jar: a sweep of {@value #TRIALS} small trials
 * (the local engine's sweep of {@link SweepRun}, one trial per batch size) on a standalone Spark cluster of
 * {@value #WORKERS} workers of one core on this machine, started from the module's Spark home. Its JSON line holds
 * the wall time of the run (Spark's start included, the cluster's not), the trials per minute, and the efficiency
 * against one trial at a time in this process: {@code T1 / (workers * T)}.
 */
public final class SparkSweepBenchmark implements BenchmarkProvider {

    /** Trials of the sweep. */
    public static final int TRIALS = SweepRun.TRIALS;

    /** Workers of the cluster, one core and one executor each. */
    public static final int WORKERS = 2;

    @Override
    public String name() {
        return "sweep";
    }

    /** The sweep's configuration: the local engine's sweep ({@link SweepRun#experiments}), with its settings. */
    public static String config() {
        return "backend: tensorflow\nseed: 11\n" + SweepRun.experiments(TRIALS);
    }

    /**
     * Times the sweep on the cluster; also one trial at a time in this process when {@code earlier} has no such
     * measurement of the same number of trials.
     *
     * @throws IllegalStateException when a run fails, with its messages
     */
    @Override
    public List<Measurement> measure(List<Measurement> earlier) throws IOException {
        Path dir = Files.createTempDirectory("losslab-bench-sweep-");
        Path config = Files.writeString(dir.resolve("sweep.yaml"), config());
        Double sequential = earlier.stream().filter(m -> "local".equals(m.extra().get("engine"))
                        && Integer.valueOf(1).equals(m.extra().get("parallelism"))
                        && Integer.valueOf(TRIALS).equals(m.extra().get("trials")))
                .map(Measurement::median).findFirst().orElse(null);
        List<Measurement> measured = new ArrayList<>();
        if (sequential == null) {
            sequential = run(config, dir.resolve("local-1"), "--engine", "local", "--parallelism", "1");
            measured.add(new Measurement("sweep", new double[] {sequential}, null, Measurement.extras("engine",
                    "local", "parallelism", 1, "trials", TRIALS, "trials_per_minute", perMinute(sequential),
                    "efficiency", 1.0)));
        }
        long start = System.nanoTime();
        String previous = System.getProperty("spark.executor.extraClassPath");
        try (StandaloneCluster cluster = StandaloneCluster.start(SparkHome.locate(), WORKERS, 1, "1g",
                dir.resolve("cluster"), Duration.ofMinutes(2))) {
            double clusterSeconds = (System.nanoTime() - start) / 1e9;
            // the workers run on this machine: executors load losslab from this process's class path
            System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            double seconds = run(config, dir.resolve("spark"), "--engine", "spark", "--spark-master",
                    cluster.masterUrl());
            measured.add(new Measurement("sweep", new double[] {seconds}, null, Measurement.extras("engine",
                    "spark", "master", "standalone, " + WORKERS + " workers of 1 core on this machine", "parallelism",
                    WORKERS, "trials", TRIALS, "trials_per_minute", perMinute(seconds), "efficiency",
                    round(sequential / (WORKERS * seconds)), "sequential_s", round(sequential), "cluster_start_s",
                    round(clusterSeconds))));
        } finally {
            if (previous == null) {
                System.clearProperty("spark.executor.extraClassPath");
            } else {
                System.setProperty("spark.executor.extraClassPath", previous);
            }
        }
        return measured;
    }

    private static double run(Path config, Path out, String... engine) {
        List<String> args = new ArrayList<>(List.of("run", SweepRun.EXPERIMENT, "--config", config.toString(), "--out",
                out.toString(), "--quiet"));
        args.addAll(List.of(engine));
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int status = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new IllegalStateException("the sweep with " + String.join(" ", engine) + " failed (status "
                    + status + "): " + err);
        }
        return seconds;
    }

    private static double perMinute(double seconds) {
        return round(TRIALS * 60 / seconds);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
