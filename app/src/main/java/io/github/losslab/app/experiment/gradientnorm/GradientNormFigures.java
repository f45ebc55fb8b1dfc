package io.github.losslab.app.experiment.gradientnorm;

import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figure of one training of {@link GradientNormExperiment} over its seeds: the loss above and the gradient norm
 * below, over a shared iteration axis, both on log scales: the raw value of every iteration of the first seed, and
 * the moving average's mean over the seeds with its range over the seeds (lowest to highest) as a band.
 */
final class GradientNormFigures {

    private GradientNormFigures() {
    }

    static void write(OutputWriter out, List<GradientNormExperiment.Trace> traces, int smoothing) throws IOException {
        GradientNormExperiment.Trace t = traces.get(0);
        double[] iterations = Outputs.oneTo(t.loss().length);
        String raw = "every iteration, seed " + t.seed();
        String mean = String.format(Locale.ROOT, "centred moving average of %d iterations, mean over %d seed%s "
                + "(band: range)", smoothing, traces.size(), traces.size() == 1 ? "" : "s");
        String lossUnit = t.spec().loss().configName().equals("mse") ? "mean squared error"
                : "cross-entropy, nats";
        LineChart loss = LineChart.builder("loss").yLabel("mini-batch loss (" + lossUnit + ")").logY(true)
                .add(Series.line(raw, iterations, t.loss()))
                .add(overSeeds(mean, iterations, traces.stream().map(GradientNormExperiment.Trace::loss).toList(),
                        smoothing))
                .build();
        LineChart norm = LineChart.builder("gradient norm").yLabel("gradient norm ‖∇θ L‖₂").logY(true)
                .add(Series.line(raw, iterations, t.gradientNorm()))
                .add(overSeeds(mean, iterations,
                        traces.stream().map(GradientNormExperiment.Trace::gradientNorm).toList(), smoothing))
                .build();
        String title = String.format(Locale.ROOT, "%s, %s, batches of %d", t.title(),
                t.optimizerLabel(), t.batchSize());
        Outputs.saveFigure(out, PanelChart.of(title, "iteration (optimizer step)", List.of(loss, norm)), t.name());
    }

    /** The mean over the seeds of each seed's moving average, with the lowest and highest as its band. */
    private static Series overSeeds(String name, double[] iterations, List<double[]> values, int smoothing) {
        int n = iterations.length;
        double[] mean = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (double[] v : values) {
            double[] avg = GradientNormExperiment.movingAverage(v, smoothing);
            for (int i = 0; i < n; i++) {
                double a = i < avg.length ? avg[i] : Double.NaN;
                mean[i] += a / values.size();
                low[i] = Math.min(low[i], a);
                high[i] = Math.max(high[i], a);
            }
        }
        return Series.line(name, iterations, mean).withBand(low, high);
    }
}
