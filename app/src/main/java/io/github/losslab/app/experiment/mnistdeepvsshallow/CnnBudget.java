package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.MaxPool2dLayer;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;

import java.util.Arrays;

/**
 * Sizes convolutional networks of different depth to one parameter budget, as {@code ParameterBudget} does for
 * dense ones. A network of depth {@code d} has {@code d} 3×3 convolutions (same padding, ReLU), each followed by
 * max pooling where the map is still large, then a linear layer from the flattened feature map to the classes:
 * <ul>
 *   <li>the first convolution has stride 2 (28×28 images become 14×14 maps, CIFAR-10's 32×32×3 ones 16×16), the
 *       others stride 1; a wide convolution at full resolution costs several times the time of the whole rest of
 *       the network;</li>
 *   <li>filters double from layer to layer, {@code w, 2w, 4w, ...}, except in the last layer, whose count
 *       {@code u} closes the gap to the budget;</li>
 *   <li>every layer but the last pools 2×2 while the map stays at least {@value #FINAL_MAP}×{@value #FINAL_MAP};
 *       the last layer's pooling window brings the map down to {@value #FINAL_MAP}×{@value #FINAL_MAP} (4×4
 *       windows after one layer on 28×28 images, none after three), so every depth hands the classifier a map of
 *       the same size and only the depth differs.</li>
 * </ul>
 */
public final class CnnBudget {

    /** Side of the feature map the classifier sees. */
    public static final int FINAL_MAP = 3;
    /** Side of the convolution kernels. */
    public static final int KERNEL = 3;
    /** Stride of the first convolution. */
    public static final int FIRST_STRIDE = 2;
    /** Counts within this fraction of the budget count as on budget when choosing the most regular filters. */
    private static final double SLACK = 0.01;
    private static final int MAX_FIRST_FILTERS = 256;

    private CnnBudget() {
    }

    /**
     * The network of {@code convLayers} blocks whose parameter count is closest to {@code budget} with
     * regular filter counts.
     *
     * @param inputShape {@code [height, width, channels]}
     * @throws IllegalArgumentException when the budget is too small for that depth, or the images too small
     */
    public static ModelSpec cnn(int[] inputShape, int classes, int convLayers, int budget, Activation activation) {
        if (convLayers < 1) {
            throw new IllegalArgumentException("convolutional layers must be at least 1, was " + convLayers);
        }
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("a CNN needs images [height, width, channels], was "
                    + Arrays.toString(inputShape));
        }
        int minimum = build(inputShape, classes, convLayers, 1, 1, activation).parameterCount();
        if (budget < minimum) {
            throw new IllegalArgumentException("a parameter budget of " + budget + " is too small for a CNN of "
                    + convLayers + " convolutional layers: at least " + minimum + " are needed");
        }
        ModelSpec best = null;
        double bestScore = Double.MAX_VALUE;
        int firstMax = convLayers == 1 ? 1 : MAX_FIRST_FILTERS;
        for (int w = 1; w <= firstMax; w++) {
            // the count is linear in the last block's filters u: a + b u
            int a1 = count(inputShape, classes, convLayers, w, 1, activation);
            int a2 = count(inputShape, classes, convLayers, w, 2, activation);
            int b = a2 - a1;
            int a = a1 - b;
            if (a + b > budget) {
                break;
            }
            long exact = Math.round((budget - a) / (double) b);
            for (long u = Math.max(1, exact - 1); u <= exact + 1; u++) {
                long diff = Math.abs(a + b * u - budget);
                double excess = Math.max(0, diff - SLACK * budget);
                long natural = (long) w << (convLayers - 1);
                double regularity = convLayers == 1 ? 0 : Math.abs(Math.log((double) u / natural));
                double score = excess * 1e6 + regularity * 1e3 + diff * 1e-3;
                if (score < bestScore) {
                    bestScore = score;
                    best = build(inputShape, classes, convLayers, w, (int) u, activation);
                }
            }
        }
        return best;
    }

    /**
     * The parameters of the smallest network of {@code convLayers} blocks made here (one filter in the first
     * convolution), the least a budget for that depth can be. Computed in {@code long}: filters double from layer
     * to layer, so a deep network's count can exceed the range of {@code int}.
     *
     * @param inputShape {@code [height, width, channels]}
     */
    public static long minimumParameters(int[] inputShape, int classes, int convLayers) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("a CNN needs images [height, width, channels], was "
                    + Arrays.toString(inputShape));
        }
        long height = inputShape[0];
        long width = inputShape[1];
        long channels = inputShape[2];
        int side = Math.min(inputShape[0], inputShape[1]);
        long count = 0;
        for (int i = 0; i < convLayers; i++) {
            boolean last = i == convLayers - 1;
            long filters = last ? 1 : 1L << i;
            int stride = i == 0 ? FIRST_STRIDE : 1;
            count += (long) KERNEL * KERNEL * channels * filters + filters;
            channels = filters;
            height = (height + stride - 1) / stride;
            width = (width + stride - 1) / stride;
            side = (side + stride - 1) / stride;
            int pool = last ? Math.max(1, side / FINAL_MAP) : side / 2 >= FINAL_MAP ? 2 : 1;
            if (pool > 1) {
                height = (height - pool) / pool + 1;
                width = (width - pool) / pool + 1;
                side = (side - pool) / pool + 1;
            }
        }
        return count + height * width * channels * classes + classes;
    }

    /** Filters of each convolution of a network made here, in order. */
    public static int[] filters(ModelSpec spec) {
        return spec.layers().stream().filter(l -> l instanceof Conv2dLayer).mapToInt(l -> ((Conv2dLayer) l)
                .filters()).toArray();
    }

    private static int count(int[] inputShape, int classes, int depth, int w, int u, Activation activation) {
        return build(inputShape, classes, depth, w, u, activation).parameterCount();
    }

    static ModelSpec build(int[] inputShape, int classes, int depth, int w, int u, Activation activation) {
        ModelSpec.Builder b = ModelSpec.builder(inputShape);
        int side = Math.min(inputShape[0], inputShape[1]);
        for (int i = 0; i < depth; i++) {
            boolean last = i == depth - 1;
            int filters = last ? u : w << i;
            int stride = i == 0 ? FIRST_STRIDE : 1;
            b.layer(new Conv2dLayer(filters, KERNEL, stride, Padding.SAME, activation));
            side = (side + stride - 1) / stride;
            int pool = last ? Math.max(1, side / FINAL_MAP) : side / 2 >= FINAL_MAP ? 2 : 1;
            if (pool > 1) {
                b.layer(new MaxPool2dLayer(pool, pool));
                side = (side - pool) / pool + 1;
            }
        }
        return b.flatten().dense(classes, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
    }
}
