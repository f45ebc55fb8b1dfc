package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@link MnistDeepVsShallowExperiment}, two per family: the training loss per epoch (log scale,
 * from the initial parameters at epoch 0) and the training accuracy per epoch, one line per model.
 */
final class MnistDeepVsShallowFigures {

    private MnistDeepVsShallowFigures() {
    }

    static void write(OutputWriter out, List<MnistDeepVsShallowExperiment.Run> runs,
                      int trainSize) throws IOException {
        for (String family : List.of("dense", "cnn")) {
            List<MnistDeepVsShallowExperiment.Run> members = runs.stream()
                    .filter(r -> r.family().equals(family) && r.result().epochs().length > 0).toList();
            if (members.isEmpty()) {
                continue;
            }
            String name = family.equals("dense") ? "Dense networks" : "CNNs";
            int low = members.stream().mapToInt(r -> r.spec().parameterCount()).min().orElseThrow();
            int high = members.stream().mapToInt(r -> r.spec().parameterCount()).max().orElseThrow();
            String counts = low == high ? String.format(Locale.ROOT, "%,d", low)
                    : String.format(Locale.ROOT, "%,d–%,d", low, high);
            String subject = String.format(Locale.ROOT, "%s with %s parameters on %,d MNIST digits", name, counts,
                    trainSize);
            LineChart.Builder loss = LineChart.builder(subject + ": training loss").xLabel("epoch")
                    .yLabel("training loss (cross-entropy, nats)").logY(true);
            LineChart.Builder accuracy = LineChart.builder(subject + ": training accuracy").xLabel("epoch")
                    .yLabel("training accuracy (%)");
            for (MnistDeepVsShallowExperiment.Run r : members) {
                String label = legend(r);
                double[] epochs = r.epochAxis();
                loss.add(Series.lineAndPoints(label, epochs, r.result().trainLoss()));
                // from epoch 1: the initial 10% would squeeze the differences between the models into a sliver
                int from = epochs.length > 1 && epochs[0] == 0 ? 1 : 0;
                double[] percent = Arrays.stream(r.result().trainAccuracy()).map(a -> 100 * a).toArray();
                accuracy.add(Series.lineAndPoints(label, Arrays.copyOfRange(epochs, from, epochs.length),
                        Arrays.copyOfRange(percent, from, percent.length)));
            }
            Outputs.saveFigure(out, loss.build(), family + "-loss");
            Outputs.saveFigure(out, accuracy.build(), family + "-accuracy");
        }
    }

    /** {@code 2 hidden layers (63-66), 50,902 parameters}. */
    private static String legend(MnistDeepVsShallowExperiment.Run r) {
        String unit = r.family().equals("dense") ? "units" : "filters";
        return String.format(Locale.ROOT, "%s (%s %s), %,d parameters", r.label(),
                MnistDeepVsShallowExperiment.widths(r), unit, r.spec().parameterCount());
    }
}
