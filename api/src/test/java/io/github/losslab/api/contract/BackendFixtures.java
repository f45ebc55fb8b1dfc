package io.github.losslab.api.contract;

import io.github.losslab.api.Model;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.Sgd;

import java.util.SplittableRandom;

/** Models, batches and numerical checks shared by the contract suite and the cross-backend tests. */
public final class BackendFixtures {

    private BackendFixtures() {
    }

    /** A multi-layer perceptron 4-5-3-k with one activation: k = 3 logits for cross-entropy, 2 outputs for MSE. */
    public static ModelSpec mlp(Activation a, Loss loss) {
        return ModelSpec.mlp(4, new int[] {5, 3}, outputs(loss), a, loss);
    }

    /**
     * A small CNN on 6x6x2 images: conv 3x3 (SAME) -> max pool 2 -> conv 2x2 (VALID, stride 2) -> flatten -> dense.
     */
    public static ModelSpec cnn(Activation a, Loss loss) {
        return ModelSpec.builder(6, 6, 2).conv2d(3, 3, a).maxPool(2)
                .layer(new Conv2dLayer(2, 2, 1, Padding.VALID, a))
                .flatten().dense(outputs(loss), Activation.IDENTITY).loss(loss).build();
    }

    private static int outputs(Loss loss) {
        return loss == Loss.SOFTMAX_CROSS_ENTROPY ? 3 : 2;
    }

    /** {@code rows} samples with features in [-1.5, 1.5] and random labels or targets in [-1, 1]. */
    public static Batch batch(ModelSpec spec, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[rows * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1.5, 1.5);
        }
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(spec.outputSize());
            }
            return Batch.classification(x, rows, labels);
        }
        double[] y = new double[rows * spec.outputSize()];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble(-1, 1);
        }
        return Batch.regression(x, rows, y);
    }

    /** {@code n} samples drawn as {@link #batch} draws them, as a dataset (features and targets in float). */
    public static Dataset dataset(ModelSpec spec, int n, long seed) {
        Batch b = batch(spec, n, seed);
        float[] x = new float[b.features().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) b.features()[i];
        }
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            return Dataset.classification("random", spec.inputShape(), x, b.labels(), spec.outputSize());
        }
        float[] y = new float[b.targets().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) b.targets()[i];
        }
        return Dataset.regression("random", spec.inputShape(), x, y, spec.outputSize());
    }

    /**
     * Trains {@code model} by formula from its own mini-batch gradients: {@code epochs} passes over batches of
     * {@code batchSize} rows in stored order, the last one shorter when the size does not divide; SGD with momentum
     * as PyTorch's ({@code v = mu v + g, theta -= lr v}), Adam as Kingma and Ba's Algorithm 1 (epsilon added to the
     * bias-corrected root, as PyTorch does). The reference the backends' optimizers are checked against.
     */
    public static void trainByFormula(Model model, Dataset data, OptimizerSpec optimizer, int epochs,
                                      int batchSize) {
        double[] theta = model.parameters();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        int t = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < data.size(); from += batchSize) {
                model.setParameters(theta);
                double[] g = model.lossAndGradient(data.batch(from, Math.min(from + batchSize, data.size())))
                        .gradient();
                t++;
                for (int i = 0; i < theta.length; i++) {
                    if (optimizer instanceof Adam a) {
                        m[i] = a.beta1() * m[i] + (1 - a.beta1()) * g[i];
                        v[i] = a.beta2() * v[i] + (1 - a.beta2()) * g[i] * g[i];
                        double mHat = m[i] / (1 - Math.pow(a.beta1(), t));
                        double vHat = v[i] / (1 - Math.pow(a.beta2(), t));
                        theta[i] -= a.learningRate() * mHat / (Math.sqrt(vHat) + a.epsilon());
                    } else {
                        Sgd sgd = (Sgd) optimizer;
                        m[i] = sgd.momentum() * m[i] + g[i];
                        theta[i] -= sgd.learningRate() * m[i];
                    }
                }
            }
        }
        model.setParameters(theta);
    }

    /** Standard normal values. */
    public static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** {@code w · H v} and {@code v · H w}, which a symmetric Hessian {@code H} makes equal. */
    public record HessianForms(double wHv, double vHw) {
    }

    /**
     * {@code w · H v} and {@code v · H w} from the model's Hessian-vector products along standard normal {@code v}
     * and {@code w} drawn with the seeds given.
     */
    public static HessianForms hessianForms(Model model, Batch batch, long vSeed, long wSeed) {
        double[] v = gaussian(model.spec().parameterCount(), vSeed);
        double[] w = gaussian(model.spec().parameterCount(), wSeed);
        double[] hv = model.hessianVectorProduct(batch, v);
        double[] hw = model.hessianVectorProduct(batch, w);
        double wHv = 0;
        double vHw = 0;
        for (int i = 0; i < v.length; i++) {
            wHv += w[i] * hv[i];
            vHw += v[i] * hw[i];
        }
        return new HessianForms(wHv, vHw);
    }

    /** {@code |a - b| / |b|} in the Euclidean norm. */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            scale += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(scale), 1e-300);
    }

    /** {@code |a - b| / |b|} for numbers. */
    public static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    }

    /** The gradient of the mean batch loss by central differences of step {@code h}; parameters are restored. */
    public static double[] numericGradient(Model model, Batch batch, double h) {
        double[] theta = model.parameters();
        double[] numeric = new double[theta.length];
        try {
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                theta[i] = keep + h;
                model.setParameters(theta);
                double plus = model.loss(batch);
                theta[i] = keep - h;
                model.setParameters(theta);
                double minus = model.loss(batch);
                theta[i] = keep;
                numeric[i] = (plus - minus) / (2 * h);
            }
        } finally {
            model.setParameters(theta);
        }
        return numeric;
    }

    /** The gradient of the summed loss with respect to the features, by central differences of step {@code h}. */
    public static double[] numericInputGradient(Model model, Batch batch, double h) {
        double[] x = batch.features().clone();
        double[] numeric = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double plus = model.loss(batch.withFeatures(x.clone())) * batch.rows();
            x[i] = keep - h;
            double minus = model.loss(batch.withFeatures(x.clone())) * batch.rows();
            x[i] = keep;
            numeric[i] = (plus - minus) / (2 * h);
        }
        return numeric;
    }

    /**
     * {@code H v} by fourth-order central differences of the model's gradients along {@code v} (truncation error
     * O(h^4)); parameters are restored.
     */
    public static double[] gradientDifferenceHvp(Model model, Batch batch, double[] v, double h) {
        double[] theta = model.parameters();
        double[][] g = new double[4][];
        double[] steps = {2 * h, h, -h, -2 * h};
        try {
            for (int k = 0; k < 4; k++) {
                double[] p = theta.clone();
                for (int i = 0; i < p.length; i++) {
                    p[i] += steps[k] * v[i];
                }
                model.setParameters(p);
                g[k] = model.lossAndGradient(batch).gradient();
            }
        } finally {
            model.setParameters(theta);
        }
        double[] numeric = new double[theta.length];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = (-g[0][i] + 8 * g[1][i] - 8 * g[2][i] + g[3][i]) / (12 * h);
        }
        return numeric;
    }
}
