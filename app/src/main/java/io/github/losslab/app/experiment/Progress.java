package io.github.losslab.app.experiment;

import io.github.losslab.api.Model;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

/**
 * What an experiment tells about its progress, through {@link ExperimentContext#progress()}: which model is
 * training and after each epoch how far it is and its loss. The command line shows it as a progress bar
 * (epoch, loss, elapsed and remaining time) or as log lines. Reporting progress is also where a run that was
 * asked to stop (SIGINT, SIGTERM) stops: {@link #epoch} and the listener of {@link #training} throw
 * {@link RunCancelledException} then, between two optimizer steps.
 *
 * <p>The simplest use passes a listener to {@code Model.train}:
 *
 * <pre>{@code
 * context.progress().plan(models.size() * (long) epochs);       // optional: remaining time of the whole experiment
 * for (ModelSpec spec : models) {
 *     try (Model m = context.backend().createModel(spec, context.precision(), seed)) {
 *         m.train(data, optimizer, config, List.of(context.progress().training(label, epochs)));
 *     }
 * }
 * }</pre>
 *
 * Work that is not an epoch loop calls {@link #model} once and {@link #epoch} after each unit of work.
 */
public final class Progress {

    private final String experiment;
    private final ProgressDisplay display;
    private final Cancellation cancellation;
    private final long startNanos = System.nanoTime();

    private long planned;
    private long finishedEpochs;
    private String model = "";
    private long modelStartNanos = startNanos;
    private int done;
    private int total;
    private double loss = Double.NaN;

    public Progress(String experiment, ProgressDisplay display, Cancellation cancellation) {
        this.experiment = experiment;
        this.display = display;
        this.cancellation = cancellation;
    }

    /** Progress that is shown nowhere and never cancelled: what Java callers get by default. */
    public static Progress none(String experiment) {
        return new Progress(experiment, ProgressDisplay.NONE, new Cancellation());
    }

    /**
     * Says how many epochs the whole experiment trains, all models together, so that the remaining time is the
     * experiment's and not only the current model's.
     */
    public synchronized Progress plan(long totalEpochs) {
        planned = Math.max(0, totalEpochs);
        return this;
    }

    /**
     * A new training begins: {@code label} names the model in the progress bar and, should its loss become NaN,
     * in the error message.
     */
    public synchronized void model(String label) {
        finishedEpochs += done;
        model = label == null ? "" : label;
        modelStartNanos = System.nanoTime();
        done = 0;
        total = 0;
        loss = Double.NaN;
    }

    /**
     * {@code done} of {@code total} epochs of the current model are done, the last with mean loss {@code loss}
     * (NaN when there is none).
     *
     * @throws RunCancelledException when the run was asked to stop
     */
    public void epoch(int done, int total, double loss) {
        ProgressSnapshot s;
        synchronized (this) {
            this.done = Math.max(0, done);
            this.total = Math.max(this.done, total);
            this.loss = loss;
            s = snapshot();
        }
        display.update(s);
        cancellation.check();
    }

    /**
     * A listener for {@code Model.train} that names the model ({@link #model}), reports every epoch
     * ({@link #epoch}) and stops the training between two steps when the run was asked to stop.
     */
    public TrainingListener training(String label, int epochs) {
        model(label);
        synchronized (this) {
            total = epochs;
        }
        return new TrainingListener() {
            @Override
            public void onStep(Model m, int epoch, long step, double stepLoss, double gradientNorm) {
                cancellation.check();
            }

            @Override
            public void onEpoch(Model m, int epoch, double meanLoss, TrainingHistory history) {
                epoch(epoch, epochs, meanLoss);
            }
        };
    }

    /** The model training now, as last named; empty before the first. */
    public synchronized String currentModel() {
        return model;
    }

    /**
     * Returns when the run may go on.
     *
     * @throws RunCancelledException when the run was asked to stop
     */
    public void checkCancelled() {
        cancellation.check();
    }

    /** Where the experiment stands now. */
    public synchronized ProgressSnapshot snapshot() {
        long now = System.nanoTime();
        double elapsed = (now - startNanos) / 1e9;
        double fraction;
        double remaining;
        if (planned > 0) {
            fraction = Math.min(1, (finishedEpochs + done) / (double) planned);
            remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : Double.NaN;
        } else if (total > 0) {
            fraction = done / (double) total;
            double modelElapsed = (now - modelStartNanos) / 1e9;
            remaining = done > 0 ? modelElapsed * (total - done) / done : Double.NaN;
        } else {
            fraction = 0;
            remaining = Double.NaN;
        }
        return new ProgressSnapshot(experiment, model, done, total, loss, fraction, elapsed, remaining);
    }
}
