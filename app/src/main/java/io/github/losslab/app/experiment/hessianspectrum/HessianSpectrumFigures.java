package io.github.losslab.app.experiment.hessianspectrum;

import io.github.losslab.analysis.hessian.SpectralDensity;
import io.github.losslab.app.experiment.hessianspectrum.HessianSpectrumExperiment.Quadrature;
import io.github.losslab.app.experiment.hessianspectrum.HessianSpectrumExperiment.Spectra;
import io.github.losslab.app.experiment.training.Outputs;
import io.github.losslab.app.experiment.training.OverSeeds;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.PanelChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@link HessianSpectrumExperiment}: the eigenvalue densities of the whole Hessian and of each
 * layer's block on a log density axis, and the top eigenvalues against their index.
 */
final class HessianSpectrumFigures {

    static final String INITIAL = "initialization";
    static final String TRAINED = "trained";
    static final List<String> STAGES = List.of(INITIAL, TRAINED);

    /**
     * How far below a single eigenvalue's peak the log density axis reaches: the peak of an eigenvalue of mass
     * {@code 1/n} drawn with the kernel is {@code 1 / (n sigma sqrt(2 pi))} at most, and the axis starts a hundred
     * times lower, so that every outlier stands out while the kernel's far tails (down to 1e-300) are cut.
     */
    static final double FLOOR_BELOW_ONE_EIGENVALUE = 100;

    private HessianSpectrumFigures() {
    }

    /**
     * Writes {@code density.png}/{@code .svg}: one panel per block (the whole Hessian first, then each layer), each
     * with the density at initialization and after training (mean over the seeds, band ± one standard deviation),
     * all drawn on one grid with one kernel per block; the whole panel marks each seed's outliers after training
     * (the top eigenvalues above the widest gap) on the trained curve. Returns the data as a table.
     */
    static CsvTable densities(OutputWriter out, List<Spectra> seeds, int classes, String subtitle, int probes,
                              int steps) throws IOException {
        CsvTable table = CsvTable.of("block", "parameters", "stage", "eigenvalue", "density_mean", "density_sd",
                "seeds");
        List<String> blocks = seeds.get(0).initial().densities().stream().map(Quadrature::block).toList();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Spectra s : seeds) {
            for (String stage : STAGES) {
                for (Quadrature q : HessianSpectrumExperiment.stage(s, stage).densities()) {
                    SpectralDensity d = q.density();
                    lo = Math.min(lo, d.minNode());
                    hi = Math.max(hi, d.maxNode());
                }
            }
        }
        // one kernel for every curve: PyHessian's width for the widest range
        double sigma = Math.sqrt(SpectralDensity.DEFAULT_RELATIVE_SIGMA_SQUARED * Math.max(1, hi - lo));
        double pad = 5 * sigma + 0.01 * (hi - lo);
        double[] grid = new double[HessianSpectrumExperiment.DENSITY_POINTS];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = lo - pad + (hi - lo + 2 * pad) * i / (grid.length - 1);
        }
        double bin = grid[1] - grid[0];
        List<LineChart> panels = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            String block = blocks.get(b);
            int parameters = seeds.get(0).initial().densities().get(b).parameters();
            double floor = 1.0 / (parameters * Math.max(sigma * Math.sqrt(2 * Math.PI), bin))
                    / FLOOR_BELOW_ONE_EIGENVALUE;
            String label = block.equals("all") ? "whole Hessian" : block.replace("layer", "layer ");
            LineChart.Builder panel = LineChart.builder(label).logY(true)
                    .yLabel(String.format(Locale.ROOT, "%s (%,d)", label, parameters));
            double[] trainedMean = null;
            for (String stage : STAGES) {
                List<double[]> perSeed = new ArrayList<>();
                for (Spectra s : seeds) {
                    perSeed.add(HessianSpectrumExperiment.stage(s, stage).densities().get(b).density()
                            .density(grid, sigma).density());
                }
                OverSeeds o = OverSeeds.of(perSeed);
                for (int i = 0; i < grid.length; i++) {
                    table.add(block, parameters, stage, grid[i], o.mean()[i], o.sd()[i], perSeed.size());
                }
                panel.add(aboveFloor(stage.equals(INITIAL) ? "at initialization" : "after training", grid, o,
                        floor));
                if (stage.equals(TRAINED)) {
                    trainedMean = o.mean();
                }
            }
            if (block.equals("all")) {
                panel.add(outliers(seeds, classes, grid, trainedMean, floor));
            }
            panels.add(panel.build());
        }
        String title = String.format(Locale.ROOT, "Hessian eigenvalue density, whole model and each layer's block "
                + "(parameters)\nSLQ: %d probes × %d steps, kernel σ = %.2g; mean ± sd over %d seed%s\n%s", probes,
                steps, sigma, seeds.size(), seeds.size() == 1 ? "" : "s", subtitle);
        Outputs.saveFigure(out, PanelChart.of(title, "eigenvalue λ", panels), "density");
        return table;
    }

    /**
     * The mean with its ± sd band for the log axis, every value raised to at least {@code floor}: where the density
     * is below it (between outliers, past the ends) the curve runs along the floor.
     */
    private static Series aboveFloor(String name, double[] grid, OverSeeds o, double floor) {
        int n = grid.length;
        double[] mean = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        for (int i = 0; i < n; i++) {
            double m = o.mean()[i];
            mean[i] = Math.max(floor, m);
            low[i] = Math.max(floor, m - o.sd()[i]);
            high[i] = Math.max(floor, m + o.sd()[i]);
        }
        return Series.line(name, grid, mean).withBand(low, high);
    }

    /**
     * Each seed's outliers after training (its top eigenvalues above the widest gap) as markers on the trained
     * curve: at the highest point of the curve within two grid points, where the eigenvalue's peak is.
     */
    private static Series outliers(List<Spectra> seeds, int classes, double[] grid, double[] curve, double floor) {
        List<double[]> points = new ArrayList<>();
        for (Spectra s : seeds) {
            double[] top = s.trained().top();
            int k = HessianSpectrumExperiment.gap(top, classes).outliers();
            for (int i = 0; i < k; i++) {
                int at = nearest(grid, top[i]);
                double y = Double.NaN;
                for (int j = Math.max(0, at - 2); j <= Math.min(grid.length - 1, at + 2); j++) {
                    y = Double.isNaN(y) ? curve[j] : Math.max(y, curve[j]);
                }
                points.add(new double[] {top[i], Math.max(y, floor)});
            }
        }
        return Series.points("outliers after training (Lanczos, above the widest gap; every seed)",
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static int nearest(double[] grid, double x) {
        int at = (int) Math.round((x - grid[0]) / (grid[1] - grid[0]));
        return Math.max(0, Math.min(grid.length - 1, at));
    }

    /**
     * Writes {@code top-eigenvalues.png}/{@code .svg}: the top eigenvalues against their index (log scale) at
     * initialization and after training, mean ± sd over the seeds, with a line at the class count {@code C}.
     */
    static void topEigenvalues(OutputWriter out, List<Spectra> seeds, int classes, String subtitle)
            throws IOException {
        LineChart.Builder chart = LineChart.builder("Top Hessian eigenvalues (Lanczos), mean ± sd over "
                + seeds.size() + " seed" + (seeds.size() == 1 ? "" : "s") + "\n" + subtitle)
                .xLabel("index k (1: largest)").yLabel("eigenvalue λ_k").logY(true);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (String stage : STAGES) {
            List<double[]> perSeed = new ArrayList<>();
            for (Spectra s : seeds) {
                double[] top = HessianSpectrumExperiment.stage(s, stage).top();
                perSeed.add(top);
                for (double v : top) {
                    if (v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            OverSeeds o = OverSeeds.of(perSeed);
            chart.add(o.logLine(stage.equals(INITIAL) ? "at initialization" : "after training",
                    Outputs.oneTo(o.size())));
        }
        chart.add(Series.dashed(String.format(Locale.ROOT, "k = C = %d classes", classes),
                new double[] {classes, classes}, new double[] {min, max}));
        Outputs.saveFigure(out, chart.build(), "top-eigenvalues");
    }
}
