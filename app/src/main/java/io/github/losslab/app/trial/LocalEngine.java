package io.github.losslab.app.trial;

import io.github.losslab.app.experiment.RunCancelledException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs trials in this process, {@code parallelism} at once on a pool of threads (one at a time on the calling
 * thread when it is 1). Each trial gets its share of the backend's native threads through the backend options of the
 * run ({@link io.github.losslab.app.config.LosslabConfig#backendOptions()}).
 */
public final class LocalEngine implements TrialEngine {

    /** The engine's name in configuration. */
    public static final String NAME = "local";

    private final int parallelism;

    public LocalEngine(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /** One trial at a time, on the calling thread: what Java callers get by default. */
    public static LocalEngine sequential() {
        return new LocalEngine(1);
    }

    public int parallelism() {
        return parallelism;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + ", " + parallelism + (parallelism == 1 ? " trial" : " trials") + " at once";
    }

    @Override
    public void run(TrialJob job, Consumer<TrialOutcome> sink) {
        int threads = Math.min(parallelism, job.keys().size());
        if (threads <= 1) {
            for (String key : job.keys()) {
                job.checkCancelled();
                sink.accept(job.runHere(key));
            }
            return;
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "losslab-trial-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String key : job.keys()) {
                futures.add(pool.submit(() -> {
                    job.checkCancelled();
                    sink.accept(job.runHere(key));
                }));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    RuntimeException r = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                    if (first == null || first instanceof RunCancelledException && !(r instanceof RunCancelledException)) {
                        first = r;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunCancelledException("interrupted while waiting for trials");
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
