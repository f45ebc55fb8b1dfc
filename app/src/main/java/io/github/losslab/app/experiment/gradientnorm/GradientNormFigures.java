package io.github.losslab.app.experiment.gradientnorm;

import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The figure of one training of {@link GradientNormExperiment}: the loss above and the gradient norm below, over a
 * shared iteration axis, both on log scales, each as the raw value of every iteration and as a moving average.
 */
final class GradientNormFigures {

    private GradientNormFigures() {
    }

    static void write(OutputWriter out, GradientNormExperiment.Trace t, int smoothing) throws IOException {
        double[] iterations = Outputs.oneTo(t.loss().length);
        String raw = "every iteration";
        String mean = String.format(Locale.ROOT, "centred moving average of %d iterations", smoothing);
        String lossUnit = t.spec().loss().configName().equals("mse") ? "mean squared error"
                : "cross-entropy, nats";
        LineChart loss = LineChart.builder("loss").yLabel("mini-batch loss (" + lossUnit + ")").logY(true)
                .add(Series.line(raw, iterations, t.loss()))
                .add(Series.line(mean, iterations, GradientNormExperiment.movingAverage(t.loss(), smoothing)))
                .build();
        LineChart norm = LineChart.builder("gradient norm").yLabel("gradient norm ‖∇θ L‖₂").logY(true)
                .add(Series.line(raw, iterations, t.gradientNorm()))
                .add(Series.line(mean, iterations, GradientNormExperiment.movingAverage(t.gradientNorm(),
                        smoothing)))
                .build();
        String title = String.format(Locale.ROOT, "%s, %s, batches of %d", t.title(),
                t.optimizerLabel(), t.batchSize());
        Outputs.saveFigure(out, PanelChart.of(title, "iteration (optimizer step)", List.of(loss, norm)), t.name());
    }
}
