package io.github.losslab.api.model;

/**
 * Sizes the hidden layers of multi-layer perceptrons of different depth so that they land on one parameter
 * budget, the fair comparison of "deep vs shallow" (the reference notebooks compared models whose counts
 * differed by up to 30%). All hidden layers share one width except the last, which is tuned to close the gap.
 */
public final class ParameterBudget {

    private ParameterBudget() {
    }

    /**
     * The MLP with {@code hiddenLayers} hidden layers whose parameter count is closest to {@code budget}.
     *
     * @throws IllegalArgumentException when the budget is too small for that depth
     */
    public static ModelSpec mlp(int inputs, int outputs, int hiddenLayers, int budget, Activation activation,
                                Loss loss) {
        return ModelSpec.mlp(inputs, widths(inputs, outputs, hiddenLayers, budget), outputs, activation, loss);
    }

    /** Hidden widths of {@link #mlp}: {@code hiddenLayers} values. */
    public static int[] widths(int inputs, int outputs, int hiddenLayers, int budget) {
        if (hiddenLayers < 1) {
            throw new IllegalArgumentException("hidden layers must be at least 1, was " + hiddenLayers);
        }
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("inputs and outputs must be at least 1, were " + inputs + " and "
                    + outputs);
        }
        long minimum = count(inputs, outputs, hiddenLayers, 1, 1);
        if (budget < minimum) {
            throw new IllegalArgumentException("a parameter budget of " + budget + " is too small for "
                    + hiddenLayers + " hidden layers between " + inputs + " inputs and " + outputs
                    + " outputs: at least " + minimum + " are needed");
        }
        int bestW = 1;
        int bestU = 1;
        long bestDiff = Long.MAX_VALUE;
        if (hiddenLayers == 1) {
            long perUnit = (long) inputs + 1 + outputs;
            long w0 = Math.max(1, (budget - outputs) / perUnit);
            for (long w = Math.max(1, w0 - 1); w <= w0 + 1; w++) {
                long diff = Math.abs(count(inputs, outputs, 1, (int) w, (int) w) - budget);
                if (diff < bestDiff) {
                    bestDiff = diff;
                    bestW = (int) w;
                    bestU = (int) w;
                }
            }
        } else {
            // around the uniform width closest to the budget, the pair (w, u) that lands within half a percent
            // with the most uniform widths, else the closest one
            int uniform = 1;
            while (count(inputs, outputs, hiddenLayers, uniform + 1, uniform + 1) <= budget) {
                uniform++;
            }
            double slack = 0.005 * budget;
            double bestScore = Double.MAX_VALUE;
            // a last width of up to twice the others first; only when none lands within 1% (many inputs, so that
            // the first layer grows in large steps, as CIFAR-10's 3,072) a wider last layer closes the gap
            for (int pass = 0; pass < 2 && (pass == 0 || bestDiff > 2 * slack); pass++) {
                for (int w = Math.max(1, uniform - 8); w <= uniform + 8; w++) {
                    int uMax = pass == 0 ? Math.max(2 * w, 8) : Math.max(16 * w, 64);
                    for (int u = Math.max(1, w / 2); u <= uMax; u++) {
                        long diff = Math.abs(count(inputs, outputs, hiddenLayers, w, u) - budget);
                        double excess = Math.max(0, diff - slack);
                        double score = excess * 1e6 + Math.abs(u - w) * 1e3 + diff;
                        if (score < bestScore) {
                            bestScore = score;
                            bestDiff = diff;
                            bestW = w;
                            bestU = u;
                        }
                    }
                }
            }
        }
        int[] widths = new int[hiddenLayers];
        java.util.Arrays.fill(widths, bestW);
        widths[hiddenLayers - 1] = bestU;
        return widths;
    }

    /** Parameters of an MLP with {@code layers} hidden layers: all of width {@code w} but the last, {@code u}. */
    static long count(int inputs, int outputs, int layers, int w, int u) {
        if (layers == 1) {
            return (long) inputs * u + u + (long) u * outputs + outputs;
        }
        long c = (long) inputs * w + w;
        c += (long) (layers - 2) * ((long) w * w + w);
        c += (long) w * u + u;
        c += (long) u * outputs + outputs;
        return c;
    }
}
