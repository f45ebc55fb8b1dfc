package io.github.losslab.app.progress;

import io.github.losslab.app.experiment.ProgressDisplay;
import io.github.losslab.app.experiment.ProgressSnapshot;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Progress as log lines, for output that is not an interactive terminal (CI, a file): one line when an
 * experiment starts and then at most one every {@link #INTERVAL_SECONDS_DEFAULT} seconds.
 */
public final class LogProgress implements ProgressDisplay {

    /** Seconds between two progress lines of one experiment. */
    public static final double INTERVAL_SECONDS_DEFAULT = 10;

    private static final Logger LOG = LogManager.getLogger(LogProgress.class);

    private final long intervalNanos;
    private long lastLine;

    public LogProgress() {
        this(INTERVAL_SECONDS_DEFAULT);
    }

    public LogProgress(double intervalSeconds) {
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    @Override
    public synchronized void started(String experiment, int index, int count) {
        lastLine = System.nanoTime();
        LOG.info("{}: started{}", experiment, count > 1 ? " (" + index + " of " + count + ")" : "");
    }

    @Override
    public void update(ProgressSnapshot s) {
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastLine < intervalNanos) {
                return;
            }
            lastLine = now;
        }
        LOG.info("{}: {} {}{}", s.experiment(), ProgressFormat.percent(s.fraction()).trim(), ProgressFormat.details(s),
                s.model().isEmpty() ? "" : "  (" + s.model() + ")");
    }
}
