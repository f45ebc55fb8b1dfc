package io.github.losslab.app.experiment.randomlabels;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.randomlabels.RandomLabelsExperiment.History;
import io.github.losslab.app.experiment.randomlabels.RandomLabelsExperiment.Labels;
import io.github.losslab.app.experiment.training.OverSeeds;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;
import io.github.losslab.plotting.SeriesStyle;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The figure of {@link RandomLabelsExperiment}, after Zhang et al. 2017, Figure 1a: the loss (log scale) above and
 * the accuracy below, per epoch, of the network trained on true labels and of the one trained on random labels, on
 * the training set (solid: the labels it was trained on) and on the test set (dashed: true labels), each the mean
 * over the seeds with a band of ± one standard deviation, and chance marked.
 */
final class RandomLabelsFigures {

    private RandomLabelsFigures() {
    }

    static void write(OutputWriter out, ModelSpec spec, String trainSamples, Map<Labels, List<History>> byLabels,
                      double chance) throws IOException {
        LineChart.Builder loss = LineChart.builder("loss").yLabel("loss (cross-entropy, nats)").logY(true);
        LineChart.Builder accuracy = LineChart.builder("accuracy").yLabel("accuracy (%)");
        double[] epochs = null;
        for (Map.Entry<Labels, List<History>> e : byLabels.entrySet()) {
            List<History> histories = e.getValue();
            double[] x = histories.get(0).epochAxis();
            epochs = epochs == null || x.length > epochs.length ? x : epochs;
            String train = e.getKey().key() + " labels: training set";
            String test = e.getKey().key() + " labels: test set";
            loss.add(over(histories, History::trainLoss).logLine(train, x));
            loss.add(over(histories, History::testLoss).logLine(test, x).withStyle(SeriesStyle.DASHED));
            accuracy.add(over(histories, History::trainAccuracy).line(train, x, 100));
            accuracy.add(over(histories, History::testAccuracy).line(test, x, 100).withStyle(SeriesStyle.DASHED));
        }
        double[] chanceLine = new double[epochs.length];
        Arrays.fill(chanceLine, 100 * chance);
        accuracy.add(Series.reference(String.format(Locale.ROOT, "chance (%.0f%%)", 100 * chance), epochs,
                chanceLine));
        int seeds = byLabels.values().stream().mapToInt(List::size).max().orElse(0);
        String d = spec.describe();
        String title = String.format(Locale.ROOT, "%s (%,d parameters) on %s with true and random "
                        + "labels: mean ± sd over %d seed%s", d.substring(0, d.indexOf(',')).replace(" relu", " ReLU"),
                spec.parameterCount(), trainSamples, seeds, seeds == 1 ? "" : "s");
        Outputs.saveFigure(out, PanelChart.of(title, "epoch", List.of(loss.build(), accuracy.build())),
                "random-labels");
    }

    private static OverSeeds over(List<History> histories, Function<History, double[]> values) {
        return OverSeeds.of(histories.stream().map(values).toList());
    }
}
