package io.github.losslab.app.experiment.fitfunction;

import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.app.experiment.training.OverSeeds;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.Chart;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.FunctionOverlay;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two figures of {@link FitFunctionExperiment} for one function, one panel per optimizer over a shared x
 * axis (a model keeps its colour in every panel): the training loss per epoch on a log scale (the mean over the
 * seeds with a band of ± one standard deviation), and the function with every model's prediction (first seed).
 */
final class FitFunctionFigures {

    private FitFunctionFigures() {
    }

    /**
     * Writes the loss and prediction figures of the trainings that did not diverge; nothing when every training
     * diverged (a figure without a curve shows nothing, and the run reports the divergences).
     *
     * @return whether figures were written
     */
    static boolean write(OutputWriter dir, TargetFunction f, double[] plotX, List<FitFunctionExperiment.Fit> fits)
            throws IOException {
        Map<OptimizerSpec, List<FitFunctionExperiment.Fit>> byOptimizer = new LinkedHashMap<>();
        for (FitFunctionExperiment.Fit fit : fits) {
            if (fit.succeeded()) {
                byOptimizer.computeIfAbsent(fit.optimizer(), k -> new ArrayList<>()).add(fit);
            }
        }
        if (byOptimizer.isEmpty()) {
            return false;
        }
        double[] truth = new double[plotX.length];
        for (int i = 0; i < plotX.length; i++) {
            truth[i] = f.apply(plotX[i]);
        }
        List<LineChart> lossPanels = new ArrayList<>();
        List<LineChart> predictionPanels = new ArrayList<>();
        for (Map.Entry<OptimizerSpec, List<FitFunctionExperiment.Fit>> e : byOptimizer.entrySet()) {
            String optimizer = optimizerLabel(e.getKey());
            LineChart.Builder loss = LineChart.builder(optimizer).xLabel("epoch")
                    .yLabel(optimizer + ": training MSE").logY(true);
            LinkedHashMap<String, double[]> predictions = new LinkedHashMap<>();
            for (List<FitFunctionExperiment.Fit> seeds : FitFunctionExperiment.byModel(e.getValue()).values()) {
                FitFunctionExperiment.Fit fit = seeds.get(0);
                OverSeeds mean = OverSeeds.of(seeds.stream().map(FitFunctionExperiment.Fit::epochLoss).toList());
                loss.add(mean.logLine(modelLabel(fit), epochs(mean.size())));
                predictions.put(modelLabel(fit), fit.prediction());
            }
            lossPanels.add(loss.build());
            predictionPanels.add(FunctionOverlay.chart(optimizer, "x", optimizer + ": f(x)", plotX, truth,
                    predictions));
        }
        String budget = fits.isEmpty() ? "" : ", " + parameterRange(fits) + " parameters each";
        int seeds = fits.stream().mapToInt(FitFunctionExperiment.Fit::seed).max().orElse(0) + 1;
        save(dir, chart("Training loss fitting f(x) = " + f.label() + budget + ": mean ± sd over " + seeds
                + " seed" + (seeds == 1 ? "" : "s"), "epoch", lossPanels), "loss");
        save(dir, chart("f(x) = " + f.label() + " and what each model learned (first seed)", "x",
                predictionPanels), "prediction");
        return true;
    }

    /** One chart, or panels over a shared x axis when there are several optimizers. */
    private static Chart chart(String title, String xLabel, List<LineChart> panels) {
        if (panels.size() == 1) {
            LineChart only = panels.get(0);
            LineChart.Builder b = LineChart.builder(title).xLabel(xLabel).yLabel(only.yLabel()).logY(only.logY());
            only.series().forEach(b::add);
            return b.build();
        }
        return PanelChart.of(title, xLabel, panels);
    }

    private static String modelLabel(FitFunctionExperiment.Fit fit) {
        int depth = fit.hiddenLayers();
        return depth + " hidden layer" + (depth == 1 ? "" : "s") + " " + Arrays.toString(fit.spec().hiddenWidths());
    }

    private static String optimizerLabel(OptimizerSpec spec) {
        String name = spec instanceof Adam ? "Adam" : "SGD";
        return name + " (lr " + spec.learningRate() + ")";
    }

    /** {@code 1000} or {@code 1000–1005}. */
    private static String parameterRange(List<FitFunctionExperiment.Fit> fits) {
        int low = fits.stream().mapToInt(f -> f.spec().parameterCount()).min().orElseThrow();
        int high = fits.stream().mapToInt(f -> f.spec().parameterCount()).max().orElseThrow();
        return low == high ? Integer.toString(low) : low + "–" + high;
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static void save(OutputWriter dir, Chart chart, String baseName) throws IOException {
        for (Path p : Figures.save(chart, dir.directory(), baseName)) {
            dir.record(p);
        }
    }
}
