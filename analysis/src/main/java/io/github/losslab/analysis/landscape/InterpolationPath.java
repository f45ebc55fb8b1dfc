package io.github.losslab.analysis.landscape;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.Metric;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Metrics along the line {@code theta(alpha) = (1 - alpha) theta1 + alpha theta2} between two models of one spec
 * (Goodfellow, Vinyals and Saxe 2015, "Qualitatively characterizing neural network optimization problems").
 * {@code alpha = 0} is the first model, {@code alpha = 1} the second; values outside [0, 1] extrapolate.
 */
public final class InterpolationPath {

    private final double[] alphas;
    private final Map<String, Map<Metric, double[]>> values;

    private InterpolationPath(double[] alphas, Map<String, Map<Metric, double[]>> values) {
        this.alphas = alphas;
        this.values = values;
    }

    /**
     * Evaluates {@code metrics} on every dataset at every {@code alpha}, using {@code evaluator} (a model of the
     * same spec) to hold the interpolated parameters; its own parameters are restored afterwards.
     */
    public static InterpolationPath compute(Model evaluator, double[] theta1, double[] theta2, double[] alphas,
                                            Map<String, Dataset> datasets, Set<Metric> metrics) {
        evaluator.layout().checkLength(theta1);
        evaluator.layout().checkLength(theta2);
        if (alphas.length < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 values of alpha, had " + alphas.length);
        }
        if (datasets.isEmpty() || metrics.isEmpty()) {
            throw new IllegalArgumentException("an interpolation needs at least one dataset and one metric");
        }
        Map<String, Map<Metric, double[]>> values = new LinkedHashMap<>();
        for (String name : datasets.keySet()) {
            Map<Metric, double[]> m = new EnumMap<>(Metric.class);
            for (Metric metric : metrics) {
                m.put(metric, new double[alphas.length]);
            }
            values.put(name, m);
        }
        double[] original = evaluator.parameters();
        double[] theta = new double[theta1.length];
        try {
            for (int a = 0; a < alphas.length; a++) {
                double alpha = alphas[a];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = (1 - alpha) * theta1[i] + alpha * theta2[i];
                }
                if (alpha == 0) {
                    System.arraycopy(theta1, 0, theta, 0, theta.length);
                } else if (alpha == 1) {
                    System.arraycopy(theta2, 0, theta, 0, theta.length);
                }
                evaluator.setParameters(theta);
                for (Map.Entry<String, Dataset> d : datasets.entrySet()) {
                    Map<Metric, Double> r = evaluator.evaluate(d.getValue(), metrics);
                    for (Metric metric : metrics) {
                        values.get(d.getKey()).get(metric)[a] = r.get(metric);
                    }
                }
            }
        } finally {
            evaluator.setParameters(original);
        }
        return new InterpolationPath(alphas.clone(), values);
    }

    /** {@code n} evenly spaced values from {@code from} to {@code to}, both included. */
    public static double[] linspace(double from, double to, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 points, was " + n);
        }
        if (!(from < to)) {
            throw new IllegalArgumentException("alpha range [" + from + ", " + to + "] must have from < to");
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + (to - from) * i / (n - 1);
        }
        r[n - 1] = to;
        return r;
    }

    public double[] alphas() {
        return alphas.clone();
    }

    /** Names of the datasets evaluated, in the order given. */
    public Set<String> datasets() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The values of one metric on one dataset, one per alpha. */
    public double[] values(String dataset, Metric metric) {
        Map<Metric, double[]> m = values.get(dataset);
        if (m == null || !m.containsKey(metric)) {
            throw new IllegalArgumentException("no " + metric.configName() + " on '" + dataset + "' in this path");
        }
        return m.get(metric).clone();
    }
}
