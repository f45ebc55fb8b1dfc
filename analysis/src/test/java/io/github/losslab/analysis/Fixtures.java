package io.github.losslab.analysis;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;

import java.util.SplittableRandom;

/** Shared test inputs: the TensorFlow backend (single-threaded, so that seeds reproduce), data and error norms. */
public final class Fixtures {

    private static Backend backend;

    private Fixtures() {
    }

    /** A 3-6-5-2 tanh net with squared error: small enough for its full Hessian. */
    public static final ModelSpec TANH_NET = ModelSpec.mlp(3, new int[] {6, 5}, 2, Activation.TANH,
            Loss.MEAN_SQUARED_ERROR);

    /** The TensorFlow backend in deterministic mode, created once per test JVM. */
    public static synchronized Backend backend() {
        if (backend == null) {
            backend = Backends.create("tensorflow", BackendOptions.DEFAULT.withDeterministic(true));
        }
        return backend;
    }

    /** {@code n} evenly spaced points of {@code sin} on {@code [-pi, pi]}. */
    public static Dataset sine(int n) {
        return FunctionSampler.grid("sin", Math::sin, -Math.PI, Math.PI, n);
    }

    /** A regression dataset of {@code n} samples with uniform features in [-1, 1] and targets in [-1, 1]. */
    public static Dataset randomRegression(int n, int inputs, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * inputs];
        float[] y = new float[n * outputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextDouble(-1, 1);
        }
        return Dataset.regression("random", new int[] {inputs}, x, y, outputs);
    }

    /** A classification dataset of {@code n} samples with Gaussian features and uniform labels. */
    public static Dataset randomClassification(int n, int inputs, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * inputs];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return Dataset.classification("random", new int[] {inputs}, x, y, classes);
    }

    /**
     * A vector of standard normal values. The same as {@code BackendFixtures.gaussian} of the api test-jar, which the
     * analysis tests do not depend on (see {@code analysis/pom.xml}), so it is kept here.
     */
    public static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** {@code ||a - b|| / ||b||}; unlike {@code BackendFixtures.relativeError}, with no floor on {@code ||b||}. */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            scale += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.sqrt(scale);
    }
}
