package io.github.losslab.plotting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A ground-truth function drawn against what models predict for it, as in studies of spectral bias where a
 * network fits the low frequencies of a target such as sin(5πx) before the high ones.
 */
public final class FunctionOverlay {

    /** The legend entry of the ground truth. */
    public static final String TRUTH_NAME = "ground truth";

    private FunctionOverlay() {
    }

    /**
     * A line chart with the truth as a thick grey line beneath one coloured line per prediction.
     *
     * @param x the inputs, shared by the truth and every prediction
     * @param truth the target value at each input
     * @param predictions legend name to predicted value at each input, drawn in the map's order; may be
     *     empty
     * @throws IllegalArgumentException if the truth or a prediction has not one value per input, or a
     *     prediction is named {@value #TRUTH_NAME}
     */
    public static LineChart chart(String title, String xLabel, String yLabel, double[] x, double[] truth,
            LinkedHashMap<String, double[]> predictions) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(predictions, "predictions");
        if (truth.length != x.length) {
            throw new IllegalArgumentException("the ground truth needs one value per input, had " + x.length
                    + " inputs and " + truth.length + " truth values");
        }
        LineChart.Builder b = LineChart.builder(title).xLabel(xLabel).yLabel(yLabel)
                .add(Series.reference(TRUTH_NAME, x, truth));
        for (Map.Entry<String, double[]> e : predictions.entrySet()) {
            double[] y = Objects.requireNonNull(e.getValue(), () -> "prediction '" + e.getKey() + "'");
            if (y.length != x.length) {
                throw new IllegalArgumentException("prediction '" + e.getKey() + "' needs one value per input, had "
                        + x.length + " inputs and " + y.length + " predicted values");
            }
            b.add(Series.line(e.getKey(), x, y));
        }
        return b.build();
    }
}
