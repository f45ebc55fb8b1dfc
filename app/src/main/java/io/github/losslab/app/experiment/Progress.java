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

    /**
     * The trials of one experiment, shared by the progress of each of its trials: how many there are, how many
     * are done, and since when the experiment runs, so that the remaining time is the experiment's.
     */
    public static final class TrialCounter {
        private final int total;
        private final long startNanos = System.nanoTime();
        private int done;
        private int ranHere;

        /**
         * @param total    trials of the experiment
         * @param finished trials already done when the count starts (results of an earlier run)
         */
        public TrialCounter(int total, int finished) {
            this.total = total;
            this.done = finished;
        }

        /** One more trial is done; returns how many are. */
        public synchronized int finished() {
            ranHere++;
            return ++done;
        }

        public synchronized int done() {
            return done;
        }

        public int total() {
            return total;
        }

        /**
         * Seconds left at the pace of the trials run by this process so far, given the fraction {@code inFlight}
         * of a trial that the running trials add; NaN before anything is known.
         */
        /** Seconds since the count started: since the experiment's first trial. */
        double elapsedSeconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /** Seconds left at the pace so far; NaN before the first trial of this process is done. */
        public double remaining() {
            return remainingSeconds(0);
        }

        synchronized double remainingSeconds(double inFlight) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double ran = ranHere + inFlight;
            return ran > 0 ? elapsed * Math.max(0, total - done - inFlight) / ran : Double.NaN;
        }
    }

    private final String experiment;
    private final ProgressDisplay display;
    private final Cancellation cancellation;
    private final TrialCounter trials;
    private final long startNanos = System.nanoTime();

    private long planned;
    private long finishedEpochs;
    private String model = "";
    private long modelStartNanos = startNanos;
    private int done;
    private int total;
    private double loss = Double.NaN;

    public Progress(String experiment, ProgressDisplay display, Cancellation cancellation) {
        this(experiment, display, cancellation, null);
    }

    private Progress(String experiment, ProgressDisplay display, Cancellation cancellation, TrialCounter trials) {
        this.experiment = experiment;
        this.display = display;
        this.cancellation = cancellation;
        this.trials = trials;
    }

    /**
     * The progress of one trial of this experiment: shown on the same display, stopped by the same cancellation,
     * counted in {@code counter}.
     */
    public Progress forTrial(TrialCounter counter) {
        return new Progress(experiment, display, cancellation, counter);
    }

    /**
     * Shows that a trial ended ({@code label} names it), for engines whose trials report nothing while they run.
     */
    public void trialFinished(String label) {
        model(label);
        ProgressSnapshot s = snapshot();
        display.update(s);
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

    /** Whether the run was asked to stop. */
    public boolean cancelled() {
        return cancellation.isCancelled();
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
        if (trials != null && trials.total() > 1) {
            double inFlight = Math.max(0, Math.min(1, fraction));
            fraction = Math.min(1, (trials.done() + inFlight) / trials.total());
            remaining = trials.remainingSeconds(inFlight);
            return new ProgressSnapshot(experiment, model, done, total, loss, fraction, trials.elapsedSeconds(),
                    remaining, trials.done(), trials.total());
        }
        return new ProgressSnapshot(experiment, model, done, total, loss, fraction, elapsed, remaining);
    }
}
