package io.github.losslab.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelInputs;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterInit;
import io.github.losslab.api.model.ParameterLayout;
import io.github.losslab.api.train.ChunkedEvaluation;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A {@link Model} computed eagerly by PyTorch through DJL. Parameters live in one array per tensor of the
 * {@link ParameterLayout}, in a manager owned by the model. Each computation works in a sub-manager that is closed
 * when it returns, so that no intermediate array outlives the call; gradients are taken with respect to fresh leaf
 * copies of the parameters, so nothing accumulates between calls. Training keeps the dataset in native arrays and
 * gathers each mini-batch by index.
 *
 * <p>Hessian-vector products are exact for every architecture: the loss's directional derivative along {@code v} is
 * carried forward through the layers with the values (forward mode), and one backward pass of it gives {@code H v}.
 * PyTorch's other route, a backward pass that records its own graph, ties each parameter to its gradient in a
 * reference cycle that DJL cannot break, and leaks the graph on every call.
 */
public final class PtModel implements Model {

    /** Rows per native call when evaluating or predicting a large dataset. */
    static final int CHUNK_ROWS = 4096;

    private final ModelSpec spec;
    private final Precision precision;
    private final DataType dtype;
    private final PtNetwork network;
    private final NDManager root;

    private NDArray[] parameters;
    private PtOptimizer optimizer;
    private Dataset residentData;
    private NDArray residentFeatures;
    private NDArray residentTargets;
    private boolean closed;

    private PtModel(ModelSpec spec, Precision precision, BackendOptions options) {
        this.spec = spec;
        this.precision = precision;
        this.dtype = PtArrays.dtype(precision);
        this.network = new PtNetwork(spec, dtype);
        this.root = PtNative.engine().newBaseManager(PtNative.device(options.device()));
        this.parameters = new NDArray[0];
    }

    /** Builds a model and sets its parameters to {@link ParameterInit#initial} of {@code seed}. */
    static PtModel create(ModelSpec spec, Precision precision, long seed, BackendOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(options, "options");
        PtModel model = new PtModel(spec, precision, options);
        try {
            model.setParameters(ParameterInit.initial(spec, seed));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public double[] parameters() {
        checkOpen();
        return flatten(parameters);
    }

    @Override
    public void setParameters(double[] values) {
        checkOpen();
        spec.layout().checkLength(values);
        List<ParameterLayout.Segment> segments = spec.layout().segments();
        NDArray[] fresh = new NDArray[segments.size()];
        for (int i = 0; i < fresh.length; i++) {
            ParameterLayout.Segment s = segments.get(i);
            fresh[i] = PtArrays.of(root, values, s.offset(), PtArrays.shape(s.shape()), dtype);
        }
        for (NDArray p : parameters) {
            p.close();
        }
        parameters = fresh;
        if (optimizer != null) {
            optimizer.reset();
        }
    }

    @Override
    public double[] predict(double[] features, int rows) {
        checkOpen();
        ModelInputs.checkFeatures(spec, features, rows);
        int in = spec.inputSize();
        int out = spec.outputSize();
        double[] result = new double[rows * out];
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - from);
            try (Scope s = new Scope(); PtAutograd paused = PtAutograd.pause()) {
                NDArray x = PtArrays.of(s.manager, features, from * in, PtArrays.shape(n, in), dtype);
                double[] o = PtArrays.toDoubles(network.forward(x, parameters));
                System.arraycopy(o, 0, result, from * out, o.length);
            }
        }
        return result;
    }

    @Override
    public double loss(Batch batch) {
        checkOpen();
        ModelInputs.checkBatch(spec, batch);
        try (Scope s = new Scope(); PtAutograd paused = PtAutograd.pause()) {
            Inputs in = inputs(s, batch);
            return PtArrays.scalar(network.loss(network.forward(in.x, parameters), in.target));
        }
    }

    @Override
    public LossAndGradient lossAndGradient(Batch batch) {
        checkOpen();
        ModelInputs.checkBatch(spec, batch);
        try (Scope s = new Scope(); PtAutograd recording = PtAutograd.record()) {
            Inputs in = inputs(s, batch);
            NDArray[] theta = leaves();
            NDArray loss = network.loss(network.forward(in.x, theta), in.target);
            PtAutograd.backward(loss);
            return new LossAndGradient(PtArrays.scalar(loss), flatten(gradients(theta)));
        }
    }

    @Override
    public double[] inputGradient(Batch batch) {
        checkOpen();
        ModelInputs.checkBatch(spec, batch);
        try (Scope s = new Scope(); PtAutograd recording = PtAutograd.record()) {
            Inputs in = inputs(s, batch);
            in.x.setRequiresGradient(true);
            NDArray lossSum = network.perSampleLoss(network.forward(in.x, parameters), in.target).sum();
            PtAutograd.backward(lossSum);
            return PtArrays.toDoubles(in.x.getGradient());
        }
    }

    /**
     * Exact Jacobian: samples do not interact, so the gradient of {@code sum_i f_k(x_i)} with respect to the inputs is,
     * row by row, the gradient of each sample's own output {@code k}. One backward pass per output over one forward.
     */
    @Override
    public double[] outputJacobian(double[] features, int rows, boolean softmax) {
        checkOpen();
        ModelInputs.checkFeatures(spec, features, rows);
        int in = spec.inputSize();
        int out = spec.outputSize();
        double[] jacobian = new double[rows * out * in];
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - from);
            try (Scope s = new Scope(); PtAutograd recording = PtAutograd.record()) {
                NDArray x = PtArrays.of(s.manager, features, from * in, PtArrays.shape(n, in), dtype);
                x.setRequiresGradient(true);
                NDArray y = network.forward(x, parameters);
                if (softmax) {
                    y = y.softmax(1);
                }
                for (int k = 0; k < out; k++) {
                    PtAutograd.backward(y.get(":, {}", k).sum(), k < out - 1);
                    double[] g = PtArrays.toDoubles(x.getGradient());
                    PtAutograd.clearGradient(x);
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(g, i * in, jacobian, ((from + i) * out + k) * in, in);
                    }
                }
            }
        }
        return jacobian;
    }

    /**
     * Exact {@code H v}: the gradient of the directional derivative {@code grad L . v}, which is carried forward
     * through the layers beside the values (Pearlmutter 1994).
     */
    @Override
    public double[] hessianVectorProduct(Batch batch, double[] v) {
        checkOpen();
        spec.layout().checkLength(v);
        ModelInputs.checkBatch(spec, batch);
        try (Scope s = new Scope(); PtAutograd recording = PtAutograd.record()) {
            Inputs in = inputs(s, batch);
            List<ParameterLayout.Segment> segments = spec.layout().segments();
            NDArray[] direction = new NDArray[segments.size()];
            for (int i = 0; i < direction.length; i++) {
                ParameterLayout.Segment seg = segments.get(i);
                direction[i] = PtArrays.of(s.manager, v, seg.offset(), PtArrays.shape(seg.shape()), dtype);
            }
            NDArray[] theta = leaves();
            NDArray[] out = network.forwardWithTangent(in.x, theta, direction);
            PtAutograd.backward(network.lossTangent(out[0], out[1], in.target));
            return flatten(gradients(theta));
        }
    }

    /** Exact for every model: see {@link #hessianVectorProduct}. */
    @Override
    public CurvatureMethod curvatureMethod() {
        return CurvatureMethod.EXACT;
    }

    @Override
    public Map<Metric, Double> evaluate(Dataset data, Set<Metric> metrics) {
        checkOpen();
        ModelInputs.checkDataset(spec, data);
        return ChunkedEvaluation.evaluate(spec, data, metrics, CHUNK_ROWS, (b, gradient) -> {
            try (Scope s = new Scope(); PtAutograd mode = gradient ? PtAutograd.record() : PtAutograd.pause()) {
                Inputs in = inputs(s, b);
                NDArray[] theta = gradient ? leaves() : parameters;
                NDArray output = network.forward(in.x, theta);
                NDArray perSample = network.perSampleLoss(output, in.target);
                double loss = PtArrays.scalar(perSample.sum());
                double squared = PtArrays.scalar(network.prediction(output).sub(in.target).square().sum());
                double correct = 0;
                if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
                    NDArray labels = PtArrays.labels(s.manager, b.labels());
                    correct = PtArrays.scalar(output.argMax(1).eq(labels).toType(dtype, false).sum());
                }
                double[] g = null;
                if (gradient) {
                    PtAutograd.backward(perSample.mean());
                    g = flatten(gradients(theta));
                }
                return new ChunkedEvaluation.Sums(loss, squared, correct, g);
            }
        });
    }

    @Override
    public TrainingHistory train(Dataset data, OptimizerSpec optimizerSpec, TrainingConfig config,
                                 List<TrainingListener> listeners) {
        checkOpen();
        ModelInputs.checkTraining(spec, precision, data, optimizerSpec, config);
        long start = System.nanoTime();
        upload(data);
        try (PtOptimizer fresh = new PtOptimizer(optimizerSpec, root, parameters, dtype)) {
            optimizer = fresh;
            return train(data, optimizerSpec, config, listeners, start);
        } finally {
            optimizer = null;
        }
    }

    private TrainingHistory train(Dataset data, OptimizerSpec optimizerSpec, TrainingConfig config,
                                  List<TrainingListener> listeners, long start) {
        TrainingHistory history = new TrainingHistory();
        SplittableRandom random = new SplittableRandom(config.seed());
        int n = data.size();
        long[] order = java.util.stream.LongStream.range(0, n).toArray();
        long step = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            if (config.shuffle()) {
                order = Arrays.stream(Dataset.permutation(n, random.nextLong())).asLongStream().toArray();
            }
            double lossSumEpoch = 0;
            int steps = 0;
            for (int from = 0; from < n; from += config.batchSize()) {
                int to = Math.min(n, from + config.batchSize());
                double stepLoss;
                double stepNorm;
                try (Scope s = new Scope(); PtAutograd recording = PtAutograd.record()) {
                    NDArray index = s.manager.create(Arrays.copyOfRange(order, from, to));
                    NDArray x = residentFeatures.get(index);
                    NDArray target = network.target(residentTargets.get(index));
                    NDArray[] theta = leaves();
                    NDArray loss = network.loss(network.forward(x, theta), target);
                    PtAutograd.backward(loss);
                    NDArray[] grads = gradients(theta);
                    stepLoss = PtArrays.scalar(loss);
                    stepNorm = PtArrays.scalar(squaredNorm(grads).sqrt());
                    try (PtAutograd paused = PtAutograd.pause()) {
                        optimizer.step(parameters, grads);
                    }
                }
                step++;
                if (!Double.isFinite(stepLoss)) {
                    throw new TrainingDivergedException(epoch, step, stepLoss, optimizerSpec.describe());
                }
                history.recordStep(stepLoss, stepNorm);
                lossSumEpoch += stepLoss;
                steps++;
                for (TrainingListener l : listeners) {
                    l.onStep(this, epoch, step, stepLoss, stepNorm);
                }
            }
            double meanLoss = lossSumEpoch / steps;
            history.recordEpoch(meanLoss);
            for (TrainingListener l : listeners) {
                l.onEpoch(this, epoch, meanLoss, history);
            }
        }
        history.setWallSeconds((System.nanoTime() - start) / 1e9);
        return history;
    }

    /** Copies a dataset into native arrays unless it is already there. */
    private void upload(Dataset data) {
        if (residentData == data) {
            return;
        }
        closeResidentData();
        int n = data.size();
        ModelInputs.checkResidentSize(spec, precision, data, "native memory");
        residentFeatures = PtArrays.of(root, data.features(), PtArrays.shape(n, spec.inputSize()), dtype);
        residentTargets = data.isClassification() ? PtArrays.labels(root, data.labels())
                : PtArrays.of(root, data.targets(), PtArrays.shape(n, spec.outputSize()), dtype);
        residentData = data;
    }

    private void closeResidentData() {
        if (residentFeatures != null) {
            residentFeatures.close();
            residentTargets.close();
        }
        residentFeatures = null;
        residentTargets = null;
        residentData = null;
    }

    /** Fresh copies of the parameters that record their gradients. */
    private NDArray[] leaves() {
        NDArray[] theta = new NDArray[parameters.length];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = parameters[i].duplicate();
            theta[i].setRequiresGradient(true);
        }
        return theta;
    }

    private static NDArray[] gradients(NDArray[] leaves) {
        NDArray[] g = new NDArray[leaves.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = leaves[i].getGradient();
        }
        return g;
    }

    private NDArray squaredNorm(NDArray[] arrays) {
        NDArray sum = arrays[0].square().sum();
        for (int i = 1; i < arrays.length; i++) {
            sum = sum.add(arrays[i].square().sum());
        }
        return sum;
    }

    /** Parameter-shaped arrays as one flat vector in layout order. */
    private double[] flatten(NDArray[] arrays) {
        double[] flat = new double[spec.layout().size()];
        List<ParameterLayout.Segment> segments = spec.layout().segments();
        for (int i = 0; i < arrays.length; i++) {
            double[] part = PtArrays.toDoubles(arrays[i]);
            System.arraycopy(part, 0, flat, segments.get(i).offset(), part.length);
        }
        return flat;
    }

    /** The features and what the outputs are compared with, for one batch. */
    private record Inputs(NDArray x, NDArray target) {
    }

    private Inputs inputs(Scope s, Batch batch) {
        NDArray x = PtArrays.of(s.manager, batch.features(), PtArrays.shape(batch.rows(), spec.inputSize()), dtype);
        NDArray target = batch.isClassification()
                ? network.target(PtArrays.labels(s.manager, batch.labels()))
                : PtArrays.of(s.manager, batch.targets(), PtArrays.shape(batch.rows(), spec.outputSize()), dtype);
        return new Inputs(x, target);
    }

    /**
     * A sub-manager that owns every array made during one computation. The model's own arrays are lent to it, so
     * that what is computed from them belongs to it too, and return to the model when it closes.
     */
    private final class Scope implements AutoCloseable {
        final NDManager manager;

        Scope() {
            manager = root.newSubManager();
            for (NDArray p : parameters) {
                p.tempAttach(manager);
            }
            if (residentFeatures != null) {
                residentFeatures.tempAttach(manager);
                residentTargets.tempAttach(manager);
            }
            if (optimizer != null) {
                optimizer.lendTo(manager);
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this model has been closed");
        }
    }

    /** Arrays the model holds between calls: its parameters and, after a training, the resident dataset. */
    int nativeArrays() {
        checkOpen();
        return root.getManagedArrays().size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        residentData = null;
        residentFeatures = null;
        residentTargets = null;
        parameters = new NDArray[0];
        root.close();
    }

    @Override
    public String toString() {
        return "PtModel[" + spec.describe() + ", " + precision.configName() + "]";
    }
}
