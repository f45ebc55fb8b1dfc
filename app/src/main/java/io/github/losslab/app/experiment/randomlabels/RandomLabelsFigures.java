package io.github.losslab.app.experiment.randomlabels;

import io.github.losslab.api.model.ModelSpec;
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
 * The figure of {@link RandomLabelsExperiment}: the loss (log scale) above and the accuracy below, per epoch, on
 * the training set with its random labels and on the test set with its true ones, with chance marked.
 */
final class RandomLabelsFigures {

    private RandomLabelsFigures() {
    }

    static void write(OutputWriter out, ModelSpec spec, int trainSize, RandomLabelsExperiment.History h,
                      double chance)
            throws IOException {
        double[] epochs = h.epochAxis();
        String train = "training set, random labels";
        String test = "test set, true labels";
        LineChart loss = LineChart.builder("loss").yLabel("loss (cross-entropy, nats)").logY(true)
                .add(Series.lineAndPoints(train, epochs, h.trainLoss()))
                .add(Series.lineAndPoints(test, epochs, h.testLoss()))
                .build();
        double[] chanceLine = new double[epochs.length];
        Arrays.fill(chanceLine, 100 * chance);
        LineChart accuracy = LineChart.builder("accuracy").yLabel("accuracy (%)")
                .add(Series.lineAndPoints(train, epochs, percent(h.trainAccuracy())))
                .add(Series.lineAndPoints(test, epochs, percent(h.testAccuracy())))
                .add(Series.reference(String.format(Locale.ROOT, "chance (%.0f%%)", 100 * chance), epochs,
                        chanceLine))
                .build();
        String d = spec.describe();
        String title = String.format(Locale.ROOT, "%s (%,d parameters) memorizing %,d MNIST digits with random "
                + "labels", d.substring(0, d.indexOf(',')).replace(" relu", " ReLU"), spec.parameterCount(),
                trainSize);
        Outputs.saveFigure(out, PanelChart.of(title, "epoch", List.of(loss, accuracy)), "random-labels");
    }

    private static double[] percent(double[] fractions) {
        return Arrays.stream(fractions).map(f -> 100 * f).toArray();
    }
}
