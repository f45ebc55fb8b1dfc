package io.github.losslab.app.experiment.edgeofstability;

import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.OverSeeds;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The figure of {@link EdgeOfStabilityExperiment}, after Cohen et al. 2021, Figure 1: above, the sharpness against
 * the step for every learning rate with its threshold {@code 2 / eta} dashed in the same colour; below, the training
 * loss on a log axis. Each curve is the mean over the seeds with a band of one standard deviation.
 */
final class EdgeOfStabilityFigures {

    private EdgeOfStabilityFigures() {
    }

    static void write(OutputWriter out, EdgeOfStabilityExperiment.Settings settings,
                      List<List<EdgeOfStabilityExperiment.Run>> byRate, String title) throws IOException {
        LineChart.Builder sharpness = LineChart.builder("sharpness")
                .yLabel("sharpness λmax(H)");
        LineChart.Builder loss = LineChart.builder("loss").yLabel("training loss (MSE)").logY(true);
        int seeds = 0;
        for (List<EdgeOfStabilityExperiment.Run> rate : byRate) {
            if (rate.isEmpty()) {
                continue;
            }
            seeds = Math.max(seeds, rate.size());
            double lr = rate.get(0).learningRate();
            String name = "η = " + lr;
            double[] steps = Arrays.stream(rate.get(0).measuredSteps()).asDoubleStream().toArray();
            sharpness.add(overSeeds(name, steps, rate, EdgeOfStabilityExperiment.Run::sharpness, false));
            double threshold = EdgeOfStabilityExperiment.Settings.threshold(lr);
            sharpness.add(Series.dashed(String.format(Locale.ROOT, "2/η = %.4g", threshold),
                    new double[] {0, settings.steps()}, new double[] {threshold, threshold}).withColourOf(name));
            double[] all = IntStream.rangeClosed(0, settings.steps()).asDoubleStream().toArray();
            loss.add(overSeeds(name, all, rate, EdgeOfStabilityExperiment.Run::loss, true));
        }
        String subtitle = String.format(Locale.ROOT, "%s\nmean over %d seed%s (band: ± sd); dashed: 2/η, "
                + "where gradient descent on a quadratic turns unstable", title, seeds, seeds == 1 ? "" : "s");
        Outputs.saveFigure(out, PanelChart.of("Sharpness at the edge of stability\n" + subtitle,
                "gradient-descent step", List.of(sharpness.build(), loss.build())), "edge-of-stability");
    }

    /** The mean over the runs of one array per run, with a band of one standard deviation (on a log axis, above 0). */
    private static Series overSeeds(String name, double[] x, List<EdgeOfStabilityExperiment.Run> runs,
                                    Function<EdgeOfStabilityExperiment.Run, double[]> values, boolean log) {
        OverSeeds s = OverSeeds.of(runs.stream().map(values).toList());
        return log ? s.logLine(name, x) : s.line(name, x, 1);
    }
}
