package io.github.losslab.plotting;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

/**
 * Figures of the kinds losslab draws, made from synthetic curves, for looking at the theme. Run
 * {@code main} with a directory to write them there; the tests write them to a temporary directory.
 */
public final class SampleFigures {

    private SampleFigures() {
    }

    /** Writes the sample figures into {@code args[0]} (default {@code /tmp/plot-samples}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/plot-samples");
        for (Path p : writeAll(dir)) {
            System.out.println(p);
        }
    }

    /** Writes every sample into {@code dir} and returns the files written. */
    static List<Path> writeAll(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        files.addAll(Figures.save(lossChart(), dir, "loss-log-y"));
        files.addAll(Figures.save(functionOverlay(), dir, "function-overlay"));
        files.addAll(Figures.save(scatter(), dir, "pca-trajectory"));
        files.addAll(Figures.save(panels(), dir, "panels"));
        files.addAll(Figures.save(secondaryAxis(), dir, "loss-and-learning-rate"));
        files.addAll(Figures.save(contour(), dir, "loss-surface", 1000, 820));
        return files;
    }

    /** Training loss of three learning rates, falling over four decades, with noise. */
    static LineChart lossChart() {
        int n = 2000;
        double[] steps = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
        }
        Random random = new Random(42);
        LineChart.Builder b = LineChart.builder("Training loss of a two-layer MLP")
                .xLabel("step").yLabel("training loss (MSE)").logY(true);
        double[] rates = {0.1, 0.01, 0.001};
        for (double rate : rates) {
            double[] loss = new double[n];
            for (int i = 0; i < n; i++) {
                double decay = Math.exp(-rate * 40 * i / n * 3);
                loss[i] = (0.5 * decay + 2e-4 / rate) * Math.exp(0.15 * random.nextGaussian());
            }
            b.add(Series.line("lr = " + rate, steps, loss));
        }
        return b.build();
    }

    /** The target sin(5πx) against three stages of a fit that learns low frequencies first. */
    static LineChart functionOverlay() {
        int n = 400;
        double[] x = new double[n];
        double[] truth = new double[n];
        double[] early = new double[n];
        double[] middle = new double[n];
        double[] late = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1 + 2.0 * i / (n - 1);
            truth[i] = Math.sin(5 * Math.PI * x[i]);
            early[i] = 0.25 * Math.sin(Math.PI * x[i]) + 0.1 * x[i];
            middle[i] = 0.6 * Math.sin(5 * Math.PI * x[i]) * Math.exp(-2 * x[i] * x[i])
                    + 0.15 * Math.sin(Math.PI * x[i]);
            late[i] = 0.97 * Math.sin(5 * Math.PI * x[i] + 0.05) + 0.02 * Math.sin(17 * x[i]);
        }
        LinkedHashMap<String, double[]> predictions = new LinkedHashMap<>();
        predictions.put("epoch 10", early);
        predictions.put("epoch 100", middle);
        predictions.put("epoch 1000", late);
        return FunctionOverlay.chart("Fitting sin(5πx): low frequencies first", "x", "f(x)", x, truth,
                predictions);
    }

    /** Two training runs projected on their first two principal components, epochs labelled. */
    static ScatterChart scatter() {
        int n = 21;
        double[] x1 = new double[n];
        double[] y1 = new double[n];
        double[] x2 = new double[n];
        double[] y2 = new double[n];
        String[] epochs = new String[n];
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            double r = 8 * Math.exp(-3 * t);
            x1[i] = r * Math.cos(4 * t) + 1;
            y1[i] = r * Math.sin(4 * t) * 0.6;
            x2[i] = -6 * Math.exp(-2.5 * t) + 1.2;
            y2[i] = 3 * Math.exp(-2 * t) - 0.4;
            epochs[i] = i % 5 == 0 ? "epoch " + (i * 5) : null;
        }
        return ScatterChart.builder("Weight trajectories in the first two principal components")
                .xLabel("PC 1 (62% of variance)").yLabel("PC 2 (21% of variance)")
                .addLabelled(Series.lineAndPoints("SGD, lr = 0.1", x1, y1), epochs)
                .addLabelled(Series.lineAndPoints("Adam, lr = 0.001", x2, y2), epochs)
                .build();
    }

    /** Loss above accuracy over the same epochs, train and test in the same colours in both panels. */
    static PanelChart panels() {
        int n = 100;
        double[] epochs = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] testAcc = new double[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            epochs[i] = i + 1;
            trainLoss[i] = 2.3 * Math.exp(-i / 12.0) + 0.01;
            testLoss[i] = 2.3 * Math.exp(-i / 15.0) + 0.25 + 0.002 * i + 0.02 * random.nextGaussian();
            trainAcc[i] = 1 - 0.9 * Math.exp(-i / 10.0);
            testAcc[i] = 0.92 - 0.82 * Math.exp(-i / 12.0) + 0.005 * random.nextGaussian();
        }
        LineChart loss = LineChart.builder("loss").yLabel("cross-entropy (nats)").logY(true)
                .add(Series.line("train", epochs, trainLoss))
                .add(Series.line("test", epochs, testLoss))
                .build();
        LineChart accuracy = LineChart.builder("accuracy").yLabel("accuracy")
                .add(Series.line("train", epochs, trainAcc))
                .add(Series.line("test", epochs, testAcc))
                .build();
        return PanelChart.of("CIFAR-10 subset, ResNet-8", "epoch", List.of(loss, accuracy));
    }

    /**
     * A loss surface around a minimum on a log colour scale: an elongated, tilted valley with a second basin,
     * and a spiralling trajectory that ends at the centre.
     */
    static ContourChart contour() {
        int n = 41;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = -1 + 2.0 * i / (n - 1);
        }
        double[][] z = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double u = 0.8 * g[i] + 0.6 * g[j];
                double v = -0.6 * g[i] + 0.8 * g[j];
                z[j][i] = 0.03 + 6 * u * u + 0.8 * v * v + 3 * u * u * v * v
                        - 0.4 * Math.exp(-20 * ((g[i] - 0.6) * (g[i] - 0.6) + (g[j] + 0.6) * (g[j] + 0.6)));
                z[j][i] = Math.max(z[j][i], 0.02);
            }
        }
        int m = 15;
        double[] px = new double[m];
        double[] py = new double[m];
        for (int k = 0; k < m; k++) {
            double t = 1 - k / (m - 1.0);
            px[k] = 0.8 * t * Math.cos(5 * t);
            py[k] = 0.8 * t * Math.sin(5 * t);
        }
        return ContourChart.builder("Training loss around the trained model")
                .xLabel("α (direction 1)").yLabel("β (direction 2)")
                .valueLabel("training loss (cross-entropy, nats)").logScale(true)
                .grid(g, g, z)
                .path(Series.lineAndPoints("trajectory (every epoch)", px, py))
                .centre(0, 0, "trained model")
                .build();
    }

    /** Loss on the left axis and a warm-up-then-cosine learning rate on a log right axis. */
    static LineChart secondaryAxis() {
        int n = 500;
        double[] steps = new double[n];
        double[] loss = new double[n];
        double[] lr = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            loss[i] = 2.0 * Math.exp(-i / 80.0) + 0.1 + 0.02 * Math.sin(i / 3.0);
            lr[i] = i < 50
                    ? 1e-3 * (i + 1) / 50
                    : 1e-3 * 0.5 * (1 + Math.cos(Math.PI * (i - 50) / (n - 50))) + 1e-6;
        }
        return LineChart.builder("Loss under a warm-up and cosine schedule")
                .xLabel("step").yLabel("training loss (nats)")
                .add(Series.line("loss", steps, loss))
                .secondaryYLabel("learning rate").logSecondaryY(true)
                .addSecondary(Series.dashed("learning rate", steps, lr))
                .build();
    }
}
