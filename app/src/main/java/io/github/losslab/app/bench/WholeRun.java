package io.github.losslab.app.bench;

import io.github.losslab.api.data.ImageDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times {@code losslab run all} in a child JVM started from this one's class path, and records the child's peak
 * resident memory (VmHWM from /proc, read until the child exits).
 */
public final class WholeRun {

    /** Target of the quick preset on two CPU cores, seconds. */
    public static final double QUICK_TARGET = 600;
    /** Peak resident memory target of the quick preset. */
    public static final long QUICK_PEAK_TARGET_BYTES = 3L << 30;

    private WholeRun() {
    }

    /**
     * Runs every experiment at {@code preset} into a fresh temporary directory, on {@code dataset} in
     * {@code dataDir}, or on the bundled data when {@code dataDir} is null.
     */
    public static Measurement measure(String preset, String backend, Path dataDir, ImageDataset dataset)
            throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("losslab-bench-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "io.github.losslab.app.Main", "run", "all", "--preset", preset, "--backend", backend,
                "--out", out.resolve("out").toString()));
        if (dataDir != null) {
            command.add("--data-dir");
            command.add(dataDir.toString());
            command.add("--dataset");
            command.add(dataset.configName());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("run.log").toFile());
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterMark(status));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IOException("'losslab run all --preset " + preset + "' failed with status " + p.exitValue()
                    + "; its log is " + out.resolve("run.log"));
        }
        boolean quick = "quick".equals(preset);
        Double target = quick ? Double.valueOf(QUICK_TARGET) : null; // full: hours, by the data and the cores
        return new Measurement("run-all-" + preset, new double[] {seconds}, target,
                Measurement.extras("peak_rss_mib", peak / (1 << 20), "peak_rss_target_mib",
                        quick ? QUICK_PEAK_TARGET_BYTES / (1 << 20) : "none", "output", out.toString()));
    }

    private static long highWaterMark(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
