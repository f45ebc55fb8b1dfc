package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The Hessian {@code H = d^2 L / d theta^2} of a model's mean loss {@code L} over a batch or a whole dataset, at
 * the model's current parameters, as a symmetric operator {@code v -> H v}. A dataset is evaluated in chunks: the
 * mean loss over {@code n} samples is the size-weighted mean of the chunk losses, so its Hessian is
 * {@code sum_c (n_c / n) H_c}. Each {@link #apply} is one Hessian-vector product per chunk, computed as the model
 * computes them ({@link Model#curvatureMethod()}); {@link #products()} counts applications.
 *
 * <p>The chunks are copied once into double-precision batches ({@code 8 * samples * features} bytes: 63 MB for
 * 10,000 MNIST digits), so that repeated products do not convert the data again.
 *
 * <p>The operator reads the model's parameters when it is applied, so it follows the model when they change (as a
 * {@link io.github.losslab.analysis.critical.CriticalPointSearch} changes them). Like the model, it is not safe
 * for concurrent use.
 */
public final class HessianOperator implements SymmetricOperator {

    /** Samples per chunk when a dataset is evaluated whole. */
    public static final int DEFAULT_CHUNK_ROWS = 4096;

    private final Model model;
    private final List<Batch> chunks;
    private final double[] weights;
    private final int samples;
    private long products;
    private long gradients;

    private HessianOperator(Model model, List<Batch> chunks) {
        this.model = Objects.requireNonNull(model, "model");
        this.chunks = Collections.unmodifiableList(new ArrayList<>(chunks));
        int total = 0;
        for (Batch b : chunks) {
            total += b.rows();
        }
        this.samples = total;
        this.weights = new double[chunks.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (double) chunks.get(i).rows() / total;
        }
    }

    /** The Hessian of the mean loss over one batch. */
    public static HessianOperator of(Model model, Batch batch) {
        return new HessianOperator(model, List.of(Objects.requireNonNull(batch, "batch")));
    }

    /** The Hessian of the mean loss over a whole dataset, in chunks of {@link #DEFAULT_CHUNK_ROWS} samples. */
    public static HessianOperator of(Model model, Dataset data) {
        return of(model, data, DEFAULT_CHUNK_ROWS);
    }

    /** The Hessian of the mean loss over a whole dataset, in chunks of at most {@code chunkRows} samples. */
    public static HessianOperator of(Model model, Dataset data, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 sample, was " + chunkRows);
        }
        List<Batch> chunks = new ArrayList<>();
        for (int from = 0; from < data.size(); from += chunkRows) {
            chunks.add(data.batch(from, Math.min(data.size(), from + chunkRows)));
        }
        return new HessianOperator(model, chunks);
    }

    public Model model() {
        return model;
    }

    /** Samples the loss is averaged over. */
    public int samples() {
        return samples;
    }

    /** Chunks each product is split into. */
    public int chunks() {
        return chunks.size();
    }

    @Override
    public int dimension() {
        return model.parameterCount();
    }

    @Override
    public double[] apply(double[] v) {
        return applyAll(new double[][] {v})[0];
    }

    @Override
    public double[][] applyAll(double[][] vs) {
        for (double[] v : vs) {
            Vectors.checkLength(v, dimension());
        }
        double[][] hv = model.hessianVectorProducts(chunks.get(0), vs);
        if (chunks.size() > 1) {
            for (double[] h : hv) {
                Vectors.scale(weights[0], h);
            }
            for (int c = 1; c < chunks.size(); c++) {
                double[][] more = model.hessianVectorProducts(chunks.get(c), vs);
                for (int i = 0; i < vs.length; i++) {
                    Vectors.axpy(weights[c], more[i], hv[i]);
                }
            }
        }
        products += vs.length;
        return hv;
    }

    /** The mean loss and its gradient over the same samples, at the model's current parameters. */
    public LossAndGradient lossAndGradient() {
        gradients++;
        if (chunks.size() == 1) {
            return model.lossAndGradient(chunks.get(0));
        }
        double loss = 0;
        double[] g = new double[dimension()];
        for (int c = 0; c < chunks.size(); c++) {
            LossAndGradient lg = model.lossAndGradient(chunks.get(c));
            loss += weights[c] * lg.loss();
            Vectors.axpy(weights[c], lg.gradient(), g);
        }
        return new LossAndGradient(loss, g);
    }

    /** Hessian-vector products computed through this operator so far. */
    public long products() {
        return products;
    }

    /** Loss-and-gradient evaluations through this operator so far. */
    public long gradientEvaluations() {
        return gradients;
    }

    @Override
    public CurvatureMethod curvatureMethod() {
        return model.curvatureMethod();
    }

    @Override
    public Precision precision() {
        return model.precision();
    }

    @Override
    public String toString() {
        return "HessianOperator[" + model.spec().describe() + ", " + dimension() + " parameters, " + samples
                + " samples in " + chunks.size() + " chunks, " + curvatureMethod().configName() + "]";
    }
}
