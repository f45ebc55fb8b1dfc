package io.github.losslab.app.config;

import java.util.List;

/**
 * Upper bounds of the experiments' settings that size memory or time: far above the {@code full} preset (ten to a
 * thousand times), so that they never stand in the way of research, but low enough that a slip (an extra zero, a
 * value meant for another key) is refused before anything runs instead of exhausting memory hours later.
 * README.md lists them under "Configuration".
 */
public final class Limits {

    /** Sampled points of a function ({@code points}, {@code function-points}); the full preset uses 40,000. */
    public static final int POINTS = 10_000_000;
    /** Samples and batch sizes ({@code train-samples}, {@code surface-samples}, {@code batch-size}, ...). */
    public static final int SAMPLES = 100_000_000;
    /** Passes over the training data; the full preset uses at most 500. */
    public static final int EPOCHS = 100_000;
    /** Points at which a prediction is plotted; the full preset uses 2,001. */
    public static final int PLOT_POINTS = 100_000;
    /** Parameters of one model, and parameter budgets; the full preset's largest model has 5.8 million. */
    public static final int PARAMETERS = 100_000_000;
    /** Hidden layers of a dense network (depths, and the length of a list of hidden widths). */
    public static final int LAYERS = 1_000;
    /** Units of one hidden layer; the full preset's widest has 2,048. */
    public static final int WIDTH = 65_536;
    /** Convolutional layers of a CNN; filters double from layer to layer, so the budget is the real bound. */
    public static final int CONV_LAYERS = 16;
    /** Trainings or searches of one experiment ({@code runs}, {@code restarts}); the full preset uses 100. */
    public static final int RUNS = 1_000;
    /** Models of a sweep (the lengths of {@code widths}, {@code batch-sizes}); the full preset trains 13. */
    public static final int MODELS = 1_000;
    /** Optimizer or search steps of one search ({@code search-steps}, {@code ascent-steps}). */
    public static final int STEPS = 100_000;
    /** Points on each side of a loss-surface grid (its square is evaluated); the full preset uses 41. */
    public static final int GRID_POINTS = 401;
    /** Points along an interpolation line; the full preset uses 61. */
    public static final int ALPHA_POINTS = 10_001;
    /** Bins of a histogram; the full preset uses 60. */
    public static final int HISTOGRAM_BINS = 10_000;
    /** Iterations of a moving average; the full preset uses 200. */
    public static final int SMOOTHING = 1_000_000;

    private Limits() {
    }

    /**
     * Parameters of a dense network with {@code inputs} inputs, hidden layers of {@code widths} units and
     * {@code outputs} outputs (weights and biases), computed without overflow.
     */
    public static long denseParameters(long inputs, List<Integer> widths, long outputs) {
        long count = 0;
        long previous = inputs;
        for (int w : widths) {
            count += previous * w + w;
            previous = w;
        }
        return count + previous * outputs + outputs;
    }

    /**
     * The parameters of the smallest dense network of {@code depth} hidden layers (every width 1) between
     * {@code inputs} inputs and {@code outputs} outputs, the least a parameter budget for that depth can be.
     */
    public static long minimumDenseParameters(long inputs, long depth, long outputs) {
        return inputs + 1 + 2 * (depth - 1) + 2 * outputs;
    }
}
