package io.github.losslab.app.experiment.optimizationtrajectory;

import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.ScatterChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two figures of {@link OptimizationTrajectoryExperiment}: the snapshots of every run in the plane of the first
 * two principal components of the joint PCA, joined in the order of training, one colour per run, each labelled
 * with its training accuracy.
 */
final class OptimizationTrajectoryFigures {

    private OptimizationTrajectoryFigures() {
    }

    static void write(OutputWriter out, ModelSpec spec, String trainSamples,
                      List<OptimizationTrajectoryExperiment.Snapshot> snapshots,
                      List<OptimizationTrajectoryExperiment.Projection> projections) throws IOException {
        Map<Integer, List<Integer>> byRun = new LinkedHashMap<>();
        for (int i = 0; i < snapshots.size(); i++) {
            byRun.computeIfAbsent(snapshots.get(i).run(), k -> new ArrayList<>()).add(i);
        }
        for (OptimizationTrajectoryExperiment.Projection p : projections) {
            double[] ratio = p.pca().explainedVarianceRatio();
            String what = p.part().equals("first-layer")
                    ? String.format(Locale.ROOT, "the %,d parameters of the first layer", p.parameters())
                    : String.format(Locale.ROOT, "all %,d parameters", p.parameters());
            String title = String.format(Locale.ROOT, "%d trainings of a %s network on %s: %s in "
                    + "one PCA (labels: training accuracy, %%)", byRun.size(), architecture(spec), trainSamples, what);
            ScatterChart.Builder chart = ScatterChart.builder(title)
                    .xLabel(String.format(Locale.ROOT, "principal component 1 (%s of the variance)",
                            Outputs.percent(ratio[0])))
                    .yLabel(String.format(Locale.ROOT, "principal component 2 (%s of the variance)",
                            Outputs.percent(ratio[1])));
            for (Map.Entry<Integer, List<Integer>> run : byRun.entrySet()) {
                List<Integer> idx = run.getValue();
                double[] x = new double[idx.size()];
                double[] y = new double[idx.size()];
                String[] labels = new String[idx.size()];
                for (int j = 0; j < idx.size(); j++) {
                    double[] c = p.coordinates().get(idx.get(j));
                    x[j] = c[0];
                    y[j] = c[1];
                    labels[j] = String.format(Locale.ROOT, "%.0f", 100 * snapshots.get(idx.get(j)).trainAccuracy());
                }
                chart.addLabelled(Series.lineAndPoints("run " + run.getKey(), x, y), labels);
            }
            Outputs.saveFigure(out, chart.build(), p.part());
        }
    }

    /** {@code 784-64-32-10 ReLU}. */
    private static String architecture(ModelSpec spec) {
        String d = spec.describe();
        return d.substring(0, d.indexOf(',')).replace(" relu", " ReLU");
    }
}
