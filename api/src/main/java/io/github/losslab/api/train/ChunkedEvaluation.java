package io.github.losslab.api.train;

import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link io.github.losslab.api.Model#evaluate} for backends: walks a dataset in chunks of rows, sums what each chunk
 * gives and turns the sums into {@link Metric}s. A backend supplies only the sums of one chunk.
 */
public final class ChunkedEvaluation {

    /**
     * Sums over one chunk's rows.
     *
     * @param loss         sum of the per-sample losses
     * @param squaredError sum of the squared differences between prediction (softmax probabilities for
     *                     cross-entropy) and target (one-hot labels), over every output
     * @param correct      rows whose largest output is the label; 0 for real targets
     * @param gradient     gradient of the chunk's mean loss, or null when it was not asked for
     */
    public record Sums(double loss, double squaredError, double correct, double[] gradient) {
    }

    /** A backend's computation of one chunk's sums. */
    @FunctionalInterface
    public interface Chunk {
        Sums apply(Batch batch, boolean gradient);
    }

    private ChunkedEvaluation() {
    }

    /**
     * The metrics of {@code data}, from chunks of at most {@code chunkRows} rows: means over its samples, of which
     * there is at least one (a {@link Dataset} is never empty).
     *
     * @throws IllegalArgumentException when accuracy is asked of a dataset without class labels
     */
    public static Map<Metric, Double> evaluate(ModelSpec spec, Dataset data, Set<Metric> metrics, int chunkRows,
                                               Chunk chunk) {
        if (metrics.contains(Metric.ACCURACY) && !data.isClassification()) {
            throw new IllegalArgumentException("accuracy needs class labels; dataset '" + data.name()
                    + "' holds real targets");
        }
        boolean gradient = metrics.contains(Metric.GRADIENT_NORM);
        double loss = 0;
        double correct = 0;
        double squared = 0;
        double[] grad = gradient ? new double[spec.parameterCount()] : null;
        int n = data.size();
        for (int from = 0; from < n; from += chunkRows) {
            int to = Math.min(n, from + chunkRows);
            Sums s = chunk.apply(data.batch(from, to), gradient);
            loss += s.loss();
            squared += s.squaredError();
            correct += s.correct();
            if (gradient) {
                double w = (double) (to - from) / n;
                for (int i = 0; i < grad.length; i++) {
                    grad[i] += w * s.gradient()[i];
                }
            }
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        for (Metric m : metrics) {
            switch (m) {
                case LOSS -> out.put(m, loss / n);
                case ACCURACY -> out.put(m, correct / n);
                case MSE -> out.put(m, squared / ((double) n * spec.outputSize()));
                case GRADIENT_NORM -> out.put(m, norm(grad));
                default -> throw new IllegalArgumentException("unsupported metric " + m);
            }
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
