package io.github.losslab.app.experiment.fitfunction;

import io.github.losslab.app.output.OutputWriter;

import java.util.List;

/** TEMPORARY stub until the plotting module lands. */
final class FitFunctionFigures {
    private FitFunctionFigures() {
    }

    static void write(OutputWriter dir, TargetFunction f, double[] plotX, List<FitFunctionExperiment.Fit> fits) {
    }
}
