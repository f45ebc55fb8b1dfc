package io.github.losslab.app.experiment.training;

import io.github.losslab.api.Model;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;
import org.apache.logging.log4j.Logger;

import java.util.Locale;

/** Logs the epoch and the mean training loss of one training now and then (every ten seconds at most). */
public final class ProgressLog implements TrainingListener {

    /** Seconds between two lines. */
    public static final double INTERVAL_SECONDS = 10;

    private final Logger log;
    private final String label;
    private final int epochs;
    private final long start = System.nanoTime();
    private double lastLine;

    /**
     * @param log    where to log
     * @param label  names the training in each line, for example {@code 2 hidden layers}
     * @param epochs the number of epochs of the training
     */
    public ProgressLog(Logger log, String label, int epochs) {
        this.log = log;
        this.label = label;
        this.epochs = epochs;
    }

    @Override
    public void onEpoch(Model model, int epoch, double meanLoss, TrainingHistory history) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (elapsed - lastLine >= INTERVAL_SECONDS) {
            lastLine = elapsed;
            log.info("{}: epoch {}/{}, loss {} ({} s)", label, epoch, epochs,
                    String.format(Locale.ROOT, "%.4g", meanLoss), String.format(Locale.ROOT, "%.0f", elapsed));
        }
    }
}
