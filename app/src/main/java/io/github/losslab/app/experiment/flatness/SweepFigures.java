package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.app.verdict.Verdict;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a batch-size sweep repeated over seeds: quantities against the batch size (log axis), each drawn as
 * its mean over the seeds with a band of one standard deviation either side, and the training loss against the
 * epoch with the training target, so that a reader sees where each training stopped.
 */
public final class SweepFigures {

    private SweepFigures() {
    }

    /**
     * A quantity of each model to draw against the batch size.
     *
     * @param name  its legend entry
     * @param value its value for one model
     */
    public record Quantity(String name, ToDoubleFunction<BatchSizeSweep.Point> value) {
    }

    /**
     * Mean and standard deviation over the seeds of a quantity in each group.
     *
     * @param x    the batch size of each group
     * @param mean the mean over the seeds with a value
     * @param sd   the sample standard deviation (0 for a single seed)
     */
    public record Spread(double[] x, double[] mean, double[] sd) {

        /** The spread of {@code f} over the points of each non-empty group. */
        public static Spread of(List<List<BatchSizeSweep.Point>> groups, ToDoubleFunction<BatchSizeSweep.Point> f) {
            List<List<BatchSizeSweep.Point>> present = groups.stream().filter(g -> !g.isEmpty()).toList();
            int n = present.size();
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] sd = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = present.get(i).get(0).batchSize();
                Verdict.Summary s = Verdict.Summary.of(present.get(i).stream().mapToDouble(f).toArray());
                mean[i] = s.mean();
                sd[i] = s.n() < 2 ? 0 : s.sd();
            }
            return new Spread(x, mean, sd);
        }

        /** The band's lower edge, mean minus sd; on a log axis at least a tenth of the mean. */
        double[] low(boolean log) {
            double[] low = new double[mean.length];
            for (int i = 0; i < low.length; i++) {
                low[i] = log ? Math.max(mean[i] - sd[i], mean[i] / 10) : mean[i] - sd[i];
            }
            return low;
        }

        double[] high() {
            double[] high = new double[mean.length];
            for (int i = 0; i < high.length; i++) {
                high[i] = mean[i] + sd[i];
            }
            return high;
        }
    }

    /**
     * A chart of quantities against the batch size: for each, its mean over the seeds with markers and a band of
     * mean ± sd. The chart's title is not drawn when it is a panel of a {@link PanelChart}.
     *
     * @param yLabel the y axis's label, with its unit
     * @param logY   a logarithmic y axis
     */
    public static LineChart panel(String title, String yLabel, List<List<BatchSizeSweep.Point>> groups,
                                  List<Quantity> quantities, boolean logY) {
        LineChart.Builder chart = LineChart.builder(title).xLabel(BATCH_AXIS).yLabel(yLabel).logX(true).logY(logY);
        for (Quantity q : quantities) {
            Spread s = Spread.of(groups, q.value());
            chart.add(Series.lineAndPoints(q.name(), s.x(), s.mean()).withBand(s.low(logY), s.high()));
        }
        return chart.build();
    }

    /**
     * The panels every sweep draws after its own: the training and test cross-entropy (log axis), and the training
     * and test accuracy, against the batch size.
     */
    public static List<LineChart> lossAndAccuracy(List<List<BatchSizeSweep.Point>> groups) {
        return List.of(
                panel("loss", "cross-entropy (nats)", groups, List.of(
                        new Quantity("train", p -> p.trained().trainLoss()),
                        new Quantity("test", p -> p.trained().testLoss())), true),
                panel("accuracy", "accuracy", groups, List.of(
                        new Quantity("train", p -> p.trained().trainAccuracy()),
                        new Quantity("test", p -> p.trained().testAccuracy())), false));
    }

    /** Writes {@code training.png}/{@code .svg}: the {@link #trainingCurves} under the sweep's {@code subtitle}. */
    public static void saveTraining(OutputWriter out, String subtitle, List<List<BatchSizeSweep.Point>> groups,
                                    TrainingTarget target) throws IOException {
        save(out, trainingCurves("Training loss until the target\n" + subtitle, groups, target), "training");
    }

    /** The label of the batch-size axis. */
    public static final String BATCH_AXIS = "batch size (samples per step)";

    /**
     * The training loss on the whole training set after each epoch, one line per group (its mean over the seeds,
     * a band of ± sd), on a log axis, with the target as a grey line. A seed that stopped at the target keeps its
     * last value in the mean, since its model stays there.
     */
    public static LineChart trainingCurves(String title, List<List<BatchSizeSweep.Point>> groups,
                                           TrainingTarget target) {
        LineChart.Builder chart = LineChart.builder(title).xLabel("epoch").yLabel("training cross-entropy (nats)")
                .logY(true);
        int longest = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (List<BatchSizeSweep.Point> g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            int epochs = g.stream().mapToInt(p -> p.trainLossByEpoch().length).max().orElse(0);
            longest = Math.max(longest, epochs);
            double[] x = new double[epochs];
            double[] mean = new double[epochs];
            double[] low = new double[epochs];
            double[] high = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                double[] v = new double[g.size()];
                for (int k = 0; k < g.size(); k++) {
                    double[] curve = g.get(k).trainLossByEpoch();
                    v[k] = curve.length == 0 ? Double.NaN : curve[Math.min(e, curve.length - 1)];
                }
                Verdict.Summary s = Verdict.Summary.of(v);
                double sd = s.n() < 2 ? 0 : s.sd();
                x[e] = e + 1;
                mean[e] = s.mean();
                low[e] = Math.max(s.mean() - sd, s.mean() / 10);
                high[e] = s.mean() + sd;
            }
            String name = "batch " + g.get(0).batchSize();
            chart.add(Series.line(names.add(name) ? name : g.get(0).group() + ", " + name, x, mean)
                    .withBand(low, high));
        }
        if (longest > 0) {
            chart.add(Series.reference("target " + target.trainLoss() + " nats", new double[] {1, longest},
                    new double[] {target.trainLoss(), target.trainLoss()}));
        }
        return chart.build();
    }

    /** The training of a sweep in words, for a figure's second title line. */
    public static String setup(ModelSpec spec, OptimizerKind optimizer, double learningRate, TrainingTarget target,
                               MnistInput data, int seeds) {
        return data.dataset().title() + " " + Classifier.describe(spec) + ", " + optimizer.label() + " lr " + learningRate + ", "
                + String.format(Locale.ROOT, "%,d", data.train().size()) + " training samples, until "
                + target.describe() + "; mean ± sd over "
                + seeds + " seeds";
    }

    /** Writes a chart as {@code baseName.png} and {@code .svg}; a panel chart at a height for its panels. */
    public static void savePanels(OutputWriter dir, String title, List<LineChart> panels, String baseName)
            throws IOException {
        save(dir, PanelChart.of(title, BATCH_AXIS, panels), baseName, 1000, 300 + 260 * panels.size());
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
