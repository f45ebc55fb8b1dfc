package io.github.losslab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spark engine on a real standalone cluster on the loopback address: a master and two workers of one core,
 * each its own JVM started from the module's Spark home, executors given this JVM's class path. The sweep gives the
 * local engine's numbers, and still does when an executor is killed (SIGKILL) in the middle of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {

    private static final List<String> PROPERTIES = List.of("spark.executor.extraClassPath");

    @TempDir
    static Path dir;

    private static StandaloneCluster cluster;
    private static Path config;

    @BeforeAll
    static void startCluster() throws IOException {
        config = Sweeps.config(dir, null);
        Sweeps.baseline();
        long start = System.nanoTime();
        cluster = StandaloneCluster.start(Path.of("target", "spark-home").toAbsolutePath(), 2, 1, "1g",
                dir.resolve("cluster"), Duration.ofSeconds(60));
        System.out.printf("standalone cluster (master and 2 workers) up in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        // the executors load losslab's classes and libraries from this JVM's class path
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        System.setProperty("spark.executor.extraClassPath", classPath);
    }

    @AfterAll
    static void stopCluster() {
        PROPERTIES.forEach(System::clearProperty);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void givesTheNumbersOfTheLocalEngine() throws IOException {
        Path out = dir.resolve("run");
        JsonNode numbers = Sweeps.run(config, out, "--engine", "spark", "--spark-master", cluster.masterUrl());
        assertThat(numbers).isEqualTo(Sweeps.baseline());
        List<String> workers = workers(out);
        assertThat(workers).hasSize(Sweeps.TRIALS).allMatch(w -> w.matches("executor \\d+ on 127\\.0\\.0\\.1.*"));
        // both executors ran trials
        assertThat(workers.stream().map(w -> w.split(" ")[1]).distinct()).hasSize(2);
    }

    @Test
    @Order(2)
    void survivesAnExecutorKilledAfterTheFirstTrial() throws Exception {
        Path out = dir.resolve("killed");
        Path trials = out.resolve(Sweeps.EXPERIMENT).resolve("trials");
        AtomicLong killed = new AtomicLong(-1);
        List<Integer> doneAtKill = new ArrayList<>();
        Thread killer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    int done = Sweeps.trialFiles(trials);
                    List<ProcessHandle> executors = cluster.executors();
                    if (done >= 1 && !executors.isEmpty()) {
                        ProcessHandle victim = executors.get(0);
                        victim.destroyForcibly();
                        killed.set(victim.pid());
                        doneAtKill.add(done);
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "executor-killer");
        killer.setDaemon(true);
        killer.start();
        long start = System.nanoTime();
        JsonNode numbers = Sweeps.run(config, out, "--engine", "spark", "--spark-master", cluster.masterUrl());
        double seconds = (System.nanoTime() - start) / 1e9;
        killer.interrupt();
        killer.join();

        assertThat(killed.get()).as("an executor was killed").isPositive();
        assertThat(ProcessHandle.of(killed.get()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(numbers).isEqualTo(Sweeps.baseline());
        List<String> workers = workers(out);
        assertThat(workers).hasSize(Sweeps.TRIALS);
        System.out.printf("executor %d killed after %s trials; the run finished in %.1f s; trials ran on %s%n",
                killed.get(), doneAtKill, seconds, workers);
    }


    /** Where each trial ran, from its file in {@code trials/}. */
    private static List<String> workers(Path out) throws IOException {
        List<String> workers = new ArrayList<>();
        try (Stream<Path> files = Files.list(out.resolve(Sweeps.EXPERIMENT).resolve("trials"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                workers.add(OutputWriter.json().readTree(p.toFile()).get("worker").asText());
            }
        }
        return workers;
    }
}
