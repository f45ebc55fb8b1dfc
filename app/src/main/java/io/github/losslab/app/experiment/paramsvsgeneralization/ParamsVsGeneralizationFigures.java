package io.github.losslab.app.experiment.paramsvsgeneralization;

import io.github.losslab.app.experiment.paramsvsgeneralization.ParamsVsGeneralizationExperiment.Fit;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The two figures of {@link ParamsVsGeneralizationExperiment}: final training and test loss against the parameter
 * count (log-log), and final training and test accuracy against it (log x).
 */
final class ParamsVsGeneralizationFigures {

    private ParamsVsGeneralizationFigures() {
    }

    static void write(OutputWriter out, List<Fit> fits, ParamsVsGeneralizationExperiment.Settings settings,
                      int trainSize) throws IOException {
        List<Fit> ok = fits.stream().filter(Fit::succeeded).toList();
        if (ok.isEmpty()) {
            return;
        }
        double[] parameters = ok.stream().mapToDouble(f -> f.spec().parameterCount()).toArray();
        String shape = String.format(Locale.ROOT, "%d hidden layer%s of %d to %d units",
                settings.hiddenLayers(), settings.hiddenLayers() == 1 ? "" : "s",
                ParamsVsGeneralizationExperiment.width(ok.get(0).spec()),
                ParamsVsGeneralizationExperiment.width(ok.get(ok.size() - 1).spec()));
        String subject = String.format(Locale.ROOT, "%d MNIST networks (%s), %d epochs on %,d digits", ok.size(),
                shape, settings.epochs(), trainSize);
        String xLabel = "number of parameters";
        LineChart loss = LineChart.builder(subject + ": final loss").xLabel(xLabel)
                .yLabel("loss (cross-entropy, nats)").logX(true).logY(true)
                .add(Series.lineAndPoints("training set", parameters,
                        ok.stream().mapToDouble(Fit::trainLoss).toArray()))
                .add(Series.lineAndPoints("test set", parameters,
                        ok.stream().mapToDouble(Fit::testLoss).toArray()))
                .build();
        LineChart accuracy = LineChart.builder(subject + ": final accuracy").xLabel(xLabel)
                .yLabel("accuracy (%)").logX(true)
                .add(Series.lineAndPoints("training set", parameters,
                        ok.stream().mapToDouble(f -> 100 * f.trainAccuracy()).toArray()))
                .add(Series.lineAndPoints("test set", parameters,
                        ok.stream().mapToDouble(f -> 100 * f.testAccuracy()).toArray()))
                .build();
        Outputs.saveFigure(out, loss, "loss");
        Outputs.saveFigure(out, accuracy, "accuracy");
    }
}
