package io.github.losslab.spark;

import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.RunCancelledException;
import io.github.losslab.app.trial.RemoteTrials;
import io.github.losslab.app.trial.RunSpec;
import io.github.losslab.app.trial.TrialEngine;
import io.github.losslab.app.trial.TrialJob;
import io.github.losslab.app.trial.TrialOutcome;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the trials of a run as Apache Spark tasks, one task per trial: the run's {@link RunSpec} is broadcast, each
 * task rebuilds the run once per executor ({@link RemoteTrials}) and returns its trial's {@link TrialOutcome}, and the
 * outcomes reach the driver's sink one by one as their tasks finish, so that {@code trials/} fills while the job runs
 * and a killed run keeps what finished. An executor that dies loses only its running trials: Spark runs them again
 * elsewhere ({@code spark.task.maxFailures} times in all).
 *
 * <p>One {@link org.apache.spark.SparkContext} per engine, so per run. Its settings, from the weakest: this engine's
 * defaults ({@link #defaults}), the {@code spark.*} system properties (what {@code spark-submit} and
 * {@code -Dspark.x=y} set), the settings a Java caller passes to {@link #open(LosslabConfig, Map)}; the master is
 * {@code spark-master} of the configuration when set.
 */
public final class SparkEngine implements TrialEngine {

    /** The engine's name in configuration. */
    public static final String NAME = "spark";

    /** The master when neither the configuration nor {@code spark-submit} names one: every core of this machine. */
    public static final String MASTER_DEFAULT = "local[*]";

    /** Task attempts of a trial, the first included, under a {@code local[N]} master (a cluster's default too). */
    public static final int MAX_FAILURES_DEFAULT = 4;

    /**
     * The system property that names the jars executors on a cluster load, comma-separated: what the launcher sets
     * to the app's jar and this module's. {@code spark.jars} (what {@code spark-submit} sets) takes precedence.
     */
    public static final String EXECUTOR_JARS_PROPERTY = "losslab.spark.jars";

    private static final Logger LOG = LogManager.getLogger(SparkEngine.class);

    /** {@code local}, {@code local[N]} and {@code local[*]}: masters without task retries of their own. */
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)])?");

    /** {@code spark://127.0.0.1:7077}, {@code spark://localhost:7077}. */
    private static final Pattern LOOPBACK = Pattern.compile("spark://(127\\.0\\.0\\.1|localhost)(:\\d+)?");

    /** How long {@link #close()} waits for the tasks of a cancelled job to end. */
    private static final long DRAIN_SECONDS = 10;

    /** How often the waiting driver looks at the run's cancellation. */
    private static final long POLL_MILLIS = 200;

    private final JavaSparkContext sc;
    private final String master;

    private SparkEngine(JavaSparkContext sc, String master) {
        this.sc = sc;
        this.master = master;
    }

    /** Opens the engine with the master and settings of {@code config} and of the environment. */
    public static SparkEngine open(LosslabConfig config) {
        return open(config, Map.of());
    }

    /**
     * Opens the engine with {@code settings} on top of the environment's ({@code spark.executor.extraClassPath} for
     * executors that see this process's classes, say).
     *
     * @throws IllegalArgumentException when the master cannot run losslab's trials (a cluster with no jars to give
     *                                  its executors), naming the master and what to set
     */
    public static SparkEngine open(LosslabConfig config, Map<String, String> settings) {
        quietStartup();
        SparkConf conf = new SparkConf();
        String master = master(config.sparkMaster(), conf.getOption("spark.master").getOrElse(() -> null),
                conf.get("spark.task.maxFailures", String.valueOf(MAX_FAILURES_DEFAULT)));
        conf.setMaster(master);
        for (Map.Entry<String, String> e : defaults(master).entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        settings.forEach(conf::set);
        if (!isLocal(master) && !conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath")) {
            String jars = System.getProperty(EXECUTOR_JARS_PROPERTY, "");
            if (jars.isBlank()) {
                throw new IllegalArgumentException("the spark engine on master " + master + " has no jars to give "
                        + "its executors: run through ./losslab (it sets -D" + EXECUTOR_JARS_PROPERTY + "), submit "
                        + "with spark-submit, or set spark.jars (or spark.executor.extraClassPath where the "
                        + "executors see losslab's jars)");
            }
            conf.set("spark.jars", jars);
        }
        long start = System.nanoTime();
        JavaSparkContext sc = new JavaSparkContext(conf);
        LOG.debug("spark context on {} started in {} ms", master, (System.nanoTime() - start) / 1_000_000);
        return new SparkEngine(sc, master);
    }

    /**
     * Silences the two warnings every start prints on a machine like a laptop (its name resolves to a loopback
     * address; Hadoop's native library is missing), unless the user gave a logging configuration of their own.
     * Spark's INFO lines are off already: losslab's logging configuration logs other libraries at warn.
     */
    private static void quietStartup() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
            Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
        }
    }

    /**
     * The master to use: the configuration's, else the environment's ({@code spark-submit} sets
     * {@code spark.master}), else {@link #MASTER_DEFAULT}; a {@code local[N]} master becomes {@code local[N,F]} so
     * that a trial whose task fails is tried again as on a cluster.
     */
    static String master(String configured, String environment, String maxFailures) {
        String m = configured != null && !configured.isBlank() ? configured.strip()
                : environment != null && !environment.isBlank() ? environment.strip() : MASTER_DEFAULT;
        Matcher local = LOCAL.matcher(m);
        if (local.matches()) {
            return "local[" + (local.group(1) == null ? "1" : local.group(1)) + "," + maxFailures + "]";
        }
        return m;
    }

    /**
     * This engine's settings, which the environment's and the caller's override: the application's name, the Scala
     * version that lets a worker without a Spark build directory start executors, the environment of the native
     * libraries in the executors as this process has it (or as {@code ./losslab} sets it), no web UI (a run opens a context
     * of its own; {@code spark.ui.enabled=true} turns it on), and on a local master or one on the loopback address
     * the loopback address for the driver too.
     */
    static Map<String, String> defaults(String master) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("spark.app.name", "losslab");
        d.put("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        d.put("spark.ui.enabled", "false");
        // the native libraries' settings that ./losslab exports: TensorFlow's log level and oneDNN kernels,
        // PyTorch's OpenMP threads waiting without spinning
        for (Map.Entry<String, String> e : Map.of("TF_CPP_MIN_LOG_LEVEL", "2", "TF_ENABLE_ONEDNN_OPTS", "1",
                "OMP_WAIT_POLICY", "PASSIVE").entrySet()) {
            String value = System.getenv(e.getKey());
            d.put("spark.executorEnv." + e.getKey(), value != null ? value : e.getValue());
        }
        if (isLocal(master) || onLoopback(master)) {
            d.put("spark.driver.host", "127.0.0.1");
            d.put("spark.driver.bindAddress", "127.0.0.1");
        }
        return d;
    }

    /** A cluster whose master listens on this machine's loopback address: its executors reach the driver there. */
    private static boolean onLoopback(String master) {
        return LOOPBACK.matcher(master).matches();
    }

    private static boolean isLocal(String master) {
        return master.startsWith("local[") || master.equals("local");
    }

    /** The master this engine runs on ({@code local[2,4]}, {@code spark://host:7077}). */
    public String master() {
        return master;
    }

    /** The context, for callers that run their own jobs on it (the benchmark). */
    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + " on " + master + ", application " + sc.sc().applicationId();
    }

    @Override
    public void run(TrialJob job, Consumer<TrialOutcome> sink) {
        List<String> keys = job.keys();
        if (keys.isEmpty()) {
            return;
        }
        job.checkCancelled();
        RunSpec spec = job.spec();
        String experiment = job.experiment();
        Broadcast<RunSpec> broadcast = sc.broadcast(spec);
        BlockingQueue<TrialOutcome> arrived = new LinkedBlockingQueue<>();
        String group = "losslab-" + experiment + "-" + UUID.randomUUID();
        sc.setJobGroup(group, experiment + ": " + keys.size() + " trials", true);
        SimpleFutureAction<Object> future;
        try {
            future = sc.sc().submitJob(sc.parallelize(keys, keys.size()).rdd(), task(broadcast, experiment),
                    partitions(keys.size()), handler(arrived), (Function0<Object>) () -> null);
        } finally {
            sc.clearJobGroup();
        }
        Set<String> received = new LinkedHashSet<>();
        try {
            while (received.size() < keys.size()) {
                TrialOutcome o = arrived.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (o != null) {
                    if (received.add(o.key())) {
                        sink.accept(o);
                    }
                    continue;
                }
                if (job.cancelled()) {
                    sc.cancelJobGroup(group);
                    throw new RunCancelledException("asked to stop while " + (keys.size() - received.size())
                            + " trials of " + experiment + " ran on Spark");
                }
                if (future.isCompleted() && arrived.isEmpty()) {
                    failRest(future, keys, received, sink);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sc.cancelJobGroup(group);
            throw new RunCancelledException("interrupted while trials of " + experiment + " ran on Spark");
        } finally {
            broadcast.destroy();
        }
    }

    /**
     * After a job that ended without every result (Spark gave up on a task after {@code spark.task.maxFailures}
     * attempts): every missing trial as a failed outcome with Spark's reason, so that the run keeps what finished
     * and {@code --resume} runs the rest.
     */
    private static void failRest(SimpleFutureAction<Object> future, List<String> keys, Set<String> received,
                                 Consumer<TrialOutcome> sink) {
        Try<Object> t = future.value().get();
        String reason = t.isFailure() ? t.failed().get().getMessage() : "Spark returned no result for it";
        String error = "its Spark task failed: " + firstLine(reason);
        for (String key : keys) {
            if (!received.contains(key)) {
                sink.accept(new TrialOutcome(key, TrialOutcome.Status.FAILED, null, List.of(), error, 0, ""));
            }
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static scala.collection.immutable.Seq<Object> partitions(int n) {
        List<Object> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.add(i);
        }
        return CollectionConverters.asScala(p).toList();
    }

    /** The handler Spark calls on its scheduler thread as each task's result arrives: it only queues it. */
    private static Function2<Object, TrialOutcome, BoxedUnit> handler(BlockingQueue<TrialOutcome> queue) {
        return (index, outcome) -> {
            queue.add(outcome);
            return BoxedUnit.UNIT;
        };
    }

    /** What a task runs: its partition's one trial (static, so that it captures no engine). */
    private static Function1<Iterator<String>, TrialOutcome> task(Broadcast<RunSpec> spec, String experiment) {
        return (Function1<Iterator<String>, TrialOutcome> & Serializable) keys -> {
            String key = keys.next();
            TaskContext task = TaskContext.get();
            return RemoteTrials.run(spec.value(), experiment, key, task.cpus(), where(task));
        };
    }

    /** Where a task runs, in words: {@code executor 1 on 10.0.0.7}, with the attempt when it is a rerun. */
    static String where(TaskContext task) {
        SparkEnv env = SparkEnv.get();
        String executor = env == null ? "?" : env.executorId();
        String host = env == null ? "?" : env.blockManager().blockManagerId().host();
        return "executor " + executor + " on " + host
                + (task != null && task.attemptNumber() > 0 ? ", attempt " + (task.attemptNumber() + 1) : "");
    }

    /**
     * Stops the context, after waiting up to {@value #DRAIN_SECONDS} s for tasks of a cancelled job that are still
     * running (a trial in native code sees its interruption only when it returns to Java): stopping under them makes
     * Spark log their late status as errors.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        try {
            while (runningTasks() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sc.stop();
        }
    }

    private int runningTasks() {
        int running = 0;
        for (SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) {
            running += e.numRunningTasks();
        }
        return running;
    }
}
