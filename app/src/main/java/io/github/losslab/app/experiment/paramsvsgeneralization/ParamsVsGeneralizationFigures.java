package io.github.losslab.app.experiment.paramsvsgeneralization;

import io.github.losslab.app.experiment.paramsvsgeneralization.ParamsVsGeneralizationExperiment.Fit;
import io.github.losslab.app.experiment.paramsvsgeneralization.ParamsVsGeneralizationExperiment.WidthResult;
import io.github.losslab.app.experiment.training.OverSeeds;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.MnistInput;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;
import io.github.losslab.plotting.SeriesStyle;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The two figures of {@link ParamsVsGeneralizationExperiment}: final training and test loss against the parameter
 * count (log-log), and final training and test accuracy against it (log x), each the mean over the seeds with
 * markers and a band of ± one standard deviation.
 */
final class ParamsVsGeneralizationFigures {

    private ParamsVsGeneralizationFigures() {
    }

    static void write(OutputWriter out, List<Fit> fits, ParamsVsGeneralizationExperiment.Settings settings,
                      MnistInput data) throws IOException {
        List<Fit> ok = fits.stream().filter(Fit::succeeded).toList();
        if (ok.isEmpty()) {
            return;
        }
        double[] parameters = ok.stream().mapToDouble(f -> f.spec().parameterCount()).toArray();
        String shape = String.format(Locale.ROOT, "%d hidden layer%s of %d to %d units",
                settings.hiddenLayers(), settings.hiddenLayers() == 1 ? "" : "s",
                ParamsVsGeneralizationExperiment.width(ok.get(0).spec()),
                ParamsVsGeneralizationExperiment.width(ok.get(ok.size() - 1).spec()));
        String subject = String.format(Locale.ROOT, "%d %s networks (%s), %d epochs on %s, mean ± sd "
                + "over %d seed%s", ok.size(), data.dataset().title(), shape, settings.epochs(), data.samples(),
                settings.seeds(),
                settings.seeds() == 1 ? "" : "s");
        String xLabel = "number of parameters";
        LineChart loss = LineChart.builder(subject + ": final loss").xLabel(xLabel)
                .yLabel("loss (cross-entropy, nats)").logX(true).logY(true)
                .add(marked(over(ok, WidthResult::trainLoss).logLine("training set", parameters)))
                .add(marked(over(ok, WidthResult::testLoss).logLine("test set", parameters)))
                .build();
        LineChart accuracy = LineChart.builder(subject + ": final accuracy").xLabel(xLabel)
                .yLabel("accuracy (%)").logX(true)
                .add(marked(over(ok, WidthResult::trainAccuracy).line("training set", parameters, 100)))
                .add(marked(over(ok, WidthResult::testAccuracy).line("test set", parameters, 100)))
                .build();
        Outputs.saveFigure(out, loss, "loss");
        Outputs.saveFigure(out, accuracy, "accuracy");
    }

    /** The value over the seeds of every width, in order of width. */
    private static OverSeeds over(List<Fit> fits, ToDoubleFunction<WidthResult> value) {
        return OverSeeds.ofPoints(fits.stream().map(f -> f.values(value)).toArray(double[][]::new));
    }

    private static Series marked(Series s) {
        return s.withStyle(SeriesStyle.LINE_AND_POINTS);
    }
}
