package io.github.losslab.api.train;

/** The training loss became NaN or infinite; training stopped at the step that produced it. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long step;
    private final double loss;

    public TrainingDivergedException(int epoch, long step, double loss, String optimizer) {
        super("training diverged: the loss became " + loss + " at epoch " + epoch + ", step " + step
                + " (optimizer " + optimizer + "); try a smaller learning rate");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
