package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The two figures of a batch-size sweep: train and test loss against the batch size, and train and test accuracy
 * against the batch size, each with measured quantities (sensitivity, sharpness) on a second axis on the right.
 * The batch size is on a log axis; the loss axis is logarithmic where its values span a factor of ten or more; the
 * axis of the measured quantities starts at zero, so that a nearly constant quantity looks nearly constant rather
 * than magnified to fill the axis.
 */
public final class SweepFigures {

    private SweepFigures() {
    }

    /**
     * Writes {@code loss.png}/{@code .svg} and {@code accuracy.png}/{@code .svg}.
     *
     * @param title          the figures' title
     * @param measured       legend entries by measured name, in the order to draw them
     * @param secondaryLabel the label of the right axis, with its unit
     */
    public static void write(OutputWriter dir, String title, List<BatchSizeSweep.Point> points,
                             Map<String, String> measured, String secondaryLabel) throws IOException {
        int n = points.size();
        double[] batch = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] trainAccuracy = new double[n];
        double[] testAccuracy = new double[n];
        for (int i = 0; i < n; i++) {
            TrainedClassifier t = points.get(i).trained();
            batch[i] = t.batchSize();
            trainLoss[i] = t.trainLoss();
            testLoss[i] = t.testLoss();
            trainAccuracy[i] = t.trainAccuracy();
            testAccuracy[i] = t.testAccuracy();
        }
        LineChart.Builder loss = LineChart.builder(title).xLabel("batch size (samples per step)")
                .yLabel("cross-entropy (nats)").logX(true).logY(spansADecade(trainLoss, testLoss))
                .add(Series.lineAndPoints("train loss", batch, trainLoss))
                .add(Series.lineAndPoints("test loss", batch, testLoss));
        LineChart.Builder accuracy = LineChart.builder(title).xLabel("batch size (samples per step)")
                .yLabel("accuracy").logX(true)
                .add(Series.lineAndPoints("train accuracy", batch, trainAccuracy))
                .add(Series.lineAndPoints("test accuracy", batch, testAccuracy));
        double[][] secondary = new double[measured.size()][];
        int k = 0;
        for (String name : measured.keySet()) {
            secondary[k] = new double[n];
            for (int i = 0; i < n; i++) {
                secondary[k][i] = points.get(i).value(name);
            }
            k++;
        }
        k = 0;
        for (Map.Entry<String, String> e : measured.entrySet()) {
            Series s = Series.dashed(e.getValue() + " (right axis)", batch, secondary[k++]);
            loss.addSecondary(s);
            accuracy.addSecondary(s);
        }
        // measured from zero (norms, relative increases): an axis from zero does not magnify small changes
        loss.secondaryYLabel(secondaryLabel).secondaryYFromZero(true);
        accuracy.secondaryYLabel(secondaryLabel).secondaryYFromZero(true);
        save(dir, loss.build(), "loss");
        save(dir, accuracy.build(), "accuracy");
    }

    /** The training of a sweep in words, for a figure's second title line. */
    public static String setup(ModelSpec spec, OptimizerKind optimizer, double learningRate, int epochs,
                               MnistInput data) {
        return "MNIST " + Classifier.describe(spec) + ", " + optimizer.label() + " lr " + learningRate + ", " + epochs
                + " epochs of " + data.train().size() + " samples from one initialization";
    }

    /** Whether the values are all positive and the largest is at least ten times the smallest. */
    static boolean spansADecade(double[]... series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] s : series) {
            for (double v : s) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    return false;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max >= 10 * min;
    }

    /** Writes {@code baseName.png} and {@code baseName.svg} into the writer's directory and records both. */
    public static void save(OutputWriter dir, Chart chart, String baseName) throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName)) {
            dir.record(p);
        }
    }

    /** Writes a figure of the given size, as {@link #save(OutputWriter, Chart, String)}. */
    public static void save(OutputWriter dir, Chart chart, String baseName, int width, int height)
            throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName, width, height)) {
            dir.record(p);
        }
    }
}
