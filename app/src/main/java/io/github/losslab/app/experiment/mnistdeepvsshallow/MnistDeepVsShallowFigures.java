package io.github.losslab.app.experiment.mnistdeepvsshallow;

import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The figures of {@link MnistDeepVsShallowExperiment}, two per family: the training loss per epoch (log scale,
 * from the initial parameters at epoch 0) and the training accuracy per epoch, one line per model: the mean over
 * its seeds, with their range as a band.
 */
final class MnistDeepVsShallowFigures {

    private MnistDeepVsShallowFigures() {
    }

    /** Writes both families' figures; {@code trainSamples}: the training samples of each family's models in words. */
    static void write(OutputWriter out, List<MnistDeepVsShallowExperiment.Run> runs,
                      Map<String, String> trainSamples) throws IOException {
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
            long seeds = members.stream().mapToInt(MnistDeepVsShallowExperiment.Run::seed).distinct().count();
            String subject = String.format(Locale.ROOT, "%s with %s parameters on %s", name, counts,
                    trainSamples.get(family));
            String spread = seeds == 1 ? "" : String.format(Locale.ROOT, "\nmean of %d seeds, band: their range",
                    seeds);
            LineChart.Builder loss = LineChart.builder(subject + ": training loss" + spread).xLabel("epoch")
                    .yLabel("training loss (cross-entropy, nats)").logY(true);
            LineChart.Builder accuracy = LineChart.builder(subject + ": training accuracy" + spread).xLabel("epoch")
                    .yLabel("training accuracy (%)");
            Map<Integer, List<MnistDeepVsShallowExperiment.Run>> byDepth = new LinkedHashMap<>();
            for (MnistDeepVsShallowExperiment.Run r : members) {
                byDepth.computeIfAbsent(r.depth(), d -> new ArrayList<>()).add(r);
            }
            for (List<MnistDeepVsShallowExperiment.Run> model : byDepth.values()) {
                String label = legend(model.get(0));
                // the epochs every seed reached: all of them unless one diverged
                MnistDeepVsShallowExperiment.Run shortest = model.stream()
                        .min(Comparator.comparingInt(r -> r.result().epochs().length)).orElseThrow();
                double[] epochs = shortest.epochAxis();
                loss.add(banded(label, epochs, model, r -> r.result().trainLoss(), 0, 1));
                // from epoch 1: the initial 10% would squeeze the differences between the models into a sliver
                int from = epochs.length > 1 && epochs[0] == 0 ? 1 : 0;
                accuracy.add(banded(label, epochs, model, r -> r.result().trainAccuracy(), from, 100));
            }
            Outputs.saveFigure(out, loss.build(), family + "-loss");
            Outputs.saveFigure(out, accuracy.build(), family + "-accuracy");
        }
    }

    /**
     * The mean over the seeds of a model of a quantity per epoch times {@code scale}, from epoch index
     * {@code from}, with the range over the seeds as a band when there is more than one.
     */
    private static Series banded(String label, double[] epochs, List<MnistDeepVsShallowExperiment.Run> seeds,
                                 Function<MnistDeepVsShallowExperiment.Run, double[]> values, int from,
                                 double scale) {
        int n = epochs.length - from;
        double[] mean = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (MnistDeepVsShallowExperiment.Run r : seeds) {
            double[] v = values.apply(r);
            for (int i = 0; i < n; i++) {
                double x = scale * v[from + i];
                mean[i] += x / seeds.size();
                low[i] = Math.min(low[i], x);
                high[i] = Math.max(high[i], x);
            }
        }
        Series s = Series.lineAndPoints(label, Arrays.copyOfRange(epochs, from, epochs.length), mean);
        return seeds.size() > 1 ? s.withBand(low, high) : s;
    }

    /** {@code 2 hidden layers (63-66), 50,902 parameters}. */
    private static String legend(MnistDeepVsShallowExperiment.Run r) {
        String unit = r.family().equals("dense") ? "units" : "filters";
        return String.format(Locale.ROOT, "%s (%s %s), %,d parameters", r.label(),
                MnistDeepVsShallowExperiment.widths(r), unit, r.spec().parameterCount());
    }
}
