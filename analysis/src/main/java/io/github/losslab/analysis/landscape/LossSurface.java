package io.github.losslab.analysis.landscape;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.Metric;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The loss on the plane {@code theta + a d1 + b d2} over a grid of {@code (a, b)} (Li et al. 2018), with an optional
 * path of points in plane coordinates drawn over it (a training trajectory projected on the plane).
 */
public final class LossSurface {

    private final double[] xs;
    private final double[] ys;
    private final double[][] loss;
    private final double centerLoss;
    private final List<double[]> path;

    private LossSurface(double[] xs, double[] ys, double[][] loss, double centerLoss, List<double[]> path) {
        this.xs = xs;
        this.ys = ys;
        this.loss = loss;
        this.centerLoss = centerLoss;
        this.path = path;
    }

    /**
     * Evaluates the loss of {@code model} on {@code data} at {@code theta + x d1 + y d2} for every grid point;
     * the model's parameters are restored afterwards. {@code loss()[j][i]} belongs to {@code (xs[i], ys[j])}.
     */
    public static LossSurface compute(Model model, double[] theta, double[] d1, double[] d2, double[] xs, double[] ys,
                                      Dataset data) {
        model.layout().checkLength(theta);
        model.layout().checkLength(d1);
        model.layout().checkLength(d2);
        if (xs.length < 2 || ys.length < 2) {
            throw new IllegalArgumentException("a loss surface needs at least a 2x2 grid, was " + xs.length + "x"
                    + ys.length);
        }
        double[] original = model.parameters();
        double[][] values = new double[ys.length][xs.length];
        double[] p = new double[theta.length];
        double center;
        try {
            model.setParameters(theta);
            center = model.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
            for (int j = 0; j < ys.length; j++) {
                for (int i = 0; i < xs.length; i++) {
                    for (int k = 0; k < p.length; k++) {
                        p[k] = theta[k] + xs[i] * d1[k] + ys[j] * d2[k];
                    }
                    model.setParameters(p);
                    values[j][i] = model.evaluate(data, EnumSet.of(Metric.LOSS)).get(Metric.LOSS);
                }
            }
        } finally {
            model.setParameters(original);
        }
        return new LossSurface(xs.clone(), ys.clone(), values, center, List.of());
    }

    /**
     * Coordinates of parameter vectors in the plane through {@code theta} spanned by {@code d1}, {@code d2}: the
     * least-squares solution of {@code p - theta = a d1 + b d2} (exact when the directions are orthogonal).
     */
    public static List<double[]> project(List<double[]> points, double[] theta, double[] d1, double[] d2) {
        double g11 = dot(d1, d1);
        double g12 = dot(d1, d2);
        double g22 = dot(d2, d2);
        double det = g11 * g22 - g12 * g12;
        if (det <= 0) {
            throw new IllegalArgumentException("the two directions must be linearly independent");
        }
        List<double[]> out = new ArrayList<>();
        double[] diff = new double[theta.length];
        for (double[] point : points) {
            for (int k = 0; k < diff.length; k++) {
                diff[k] = point[k] - theta[k];
            }
            double r1 = dot(diff, d1);
            double r2 = dot(diff, d2);
            out.add(new double[] {(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det});
        }
        return out;
    }

    /** The same surface with a path (plane coordinates, one {@code [x, y]} per point) to draw over it. */
    public LossSurface withPath(List<double[]> points) {
        List<double[]> copy = new ArrayList<>();
        for (double[] pt : points) {
            copy.add(pt.clone());
        }
        return new LossSurface(xs, ys, loss, centerLoss, List.copyOf(copy));
    }

    public double[] xs() {
        return xs.clone();
    }

    public double[] ys() {
        return ys.clone();
    }

    /** Loss values, {@code [y index][x index]} (a copy). */
    public double[][] loss() {
        double[][] c = new double[loss.length][];
        for (int j = 0; j < loss.length; j++) {
            c[j] = loss[j].clone();
        }
        return c;
    }

    /** The loss at the centre {@code theta}. */
    public double centerLoss() {
        return centerLoss;
    }

    public List<double[]> path() {
        return path;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
