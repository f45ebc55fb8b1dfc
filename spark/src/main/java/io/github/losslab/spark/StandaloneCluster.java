package io.github.losslab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Spark cluster on this machine's loopback address: a master and {@code N} workers, each its own JVM
 * started from a Spark home ({@link SparkHome}), as Spark's {@code start-master.sh} and {@code start-worker.sh}
 * would start them. For tests and the benchmark; {@link #close()} stops every process it started.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** The loopback address every daemon binds to. */
    public static final String HOST = "127.0.0.1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process master;
    private final List<Process> workers;
    private final String masterUrl;
    private final int masterUiPort;
    private final Path logs;

    private StandaloneCluster(Process master, List<Process> workers, String masterUrl, int masterUiPort, Path logs) {
        this.master = master;
        this.workers = workers;
        this.masterUrl = masterUrl;
        this.masterUiPort = masterUiPort;
        this.logs = logs;
    }

    /**
     * Starts a master and {@code workers} workers of {@code cores} cores and {@code memory} (such as {@code 1g}: a
     * worker fits one executor of {@code spark.executor.memory}, 1g by default) each, and waits until every worker
     * has registered with the master.
     *
     * @param home    the Spark home: {@code jars/} and {@code conf/}
     * @param workDir where the daemons' logs and the executors' work directories go
     * @param timeout how long to wait for the workers
     * @throws IllegalStateException when the cluster is not up within {@code timeout}, with the end of the logs;
     *                               every process started is stopped
     */
    public static StandaloneCluster start(Path home, int workers, int cores, String memory, Path workDir,
                                          Duration timeout) {
        if (!Files.isDirectory(home.resolve("jars"))) {
            throw new IllegalArgumentException("Spark home " + home + " has no jars/ directory; build the spark "
                    + "module (./mvnw -B package -pl spark -am) to assemble target/spark-home");
        }
        Process master = null;
        List<Process> started = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
            int port = freePort();
            int uiPort = freePort();
            String url = "spark://" + HOST + ":" + port;
            master = launch(home, workDir.resolve("master.log"), List.of("-Dspark.master.rest.enabled=false"),
                    "org.apache.spark.deploy.master.Master", "--host", HOST, "--port", String.valueOf(port),
                    "--webui-port", String.valueOf(uiPort));
            for (int i = 1; i <= workers; i++) {
                Path dir = Files.createDirectories(workDir.resolve("worker-" + i));
                started.add(launch(home, workDir.resolve("worker-" + i + ".log"), List.of(),
                        "org.apache.spark.deploy.worker.Worker", url, "--host", HOST, "--cores",
                        String.valueOf(cores), "--memory", memory, "--webui-port", String.valueOf(freePort()),
                        "--work-dir", dir.toString()));
            }
            StandaloneCluster cluster = new StandaloneCluster(master, List.copyOf(started), url, uiPort, workDir);
            cluster.awaitWorkers(workers, timeout);
            return cluster;
        } catch (IOException | RuntimeException e) {
            stop(started);
            if (master != null) {
                stop(List.of(master));
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start a Spark cluster in " + workDir + ": " + io.getMessage(),
                        io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The worker processes, in the order they were started. */
    public List<Process> workers() {
        return workers;
    }

    /** The executor processes the workers run now ({@code CoarseGrainedExecutorBackend}). */
    public List<ProcessHandle> executors() {
        List<ProcessHandle> executors = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
                    .forEach(executors::add);
        }
        return executors;
    }

    /**
     * A process's whole command line: from {@code /proc} where there is one, since {@link ProcessHandle.Info} cuts
     * it at 4,096 characters on Linux, before the main class of an executor with a long class path.
     */
    private static String commandLine(ProcessHandle p) {
        Path proc = Path.of("/proc", String.valueOf(p.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // the process has just ended
        }
        return p.info().commandLine().orElse("");
    }

    /** The workers the master counts as alive. */
    public int aliveWorkers() {
        JsonNode state = state();
        return state == null ? 0 : state.path("aliveworkers").asInt();
    }

    private void awaitWorkers(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (aliveWorkers() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Spark cluster's " + expected + " workers did not register with "
                        + "the master at " + masterUrl + " within " + timeout.toSeconds() + " s; its logs end:\n"
                        + tails());
            }
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited (status " + master.exitValue() + "); "
                        + "its log ends:\n" + tail(logs.resolve("master.log")));
            }
            sleep(200);
        }
    }

    /** The master's state ({@code /json} of its web UI), or null when it does not answer yet. */
    private JsonNode state() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":"
                    + masterUiPort + "/json/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark master", e);
        }
    }

    private static Process launch(Path home, Path log, List<String> options, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(options);
        command.add("-cp");
        command.add(home.resolve("conf") + java.io.File.pathSeparator + home.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toAbsolutePath().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", HOST);
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String tails() {
        StringBuilder b = new StringBuilder(tail(logs.resolve("master.log")));
        for (int i = 1; i <= workers.size(); i++) {
            b.append(tail(logs.resolve("worker-" + i + ".log")));
        }
        return b.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- " + log.getFileName() + "\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())) + "\n";
        } catch (IOException e) {
            return "--- " + log.getFileName() + ": " + e.getMessage() + "\n";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark cluster", e);
        }
    }

    /** SIGTERM to every process, then SIGKILL to those alive after 10 s, and to their executors. */
    private static void stop(List<Process> processes) {
        List<ProcessHandle> children = new ArrayList<>();
        for (Process p : processes) {
            children.addAll(p.descendants().toList());
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the workers (and their executors), then the master. */
    @Override
    public void close() {
        stop(workers);
        stop(List.of(master));
    }
}
