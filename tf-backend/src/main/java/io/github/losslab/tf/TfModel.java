package io.github.losslab.tf;

import io.github.losslab.api.BackendException;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.CurvatureMethod;
import io.github.losslab.api.FiniteDifferenceHvp;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.DenseLayer;
import io.github.losslab.api.model.FlattenLayer;
import io.github.losslab.api.model.LayerSpec;
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
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A {@link Model} recorded in a TensorFlow graph. Parameters live in one graph variable per tensor of the
 * {@link ParameterLayout}; gradients come from TensorFlow's graph gradients. Training uploads the dataset once
 * into graph variables and feeds only the indices of each mini-batch.
 */
public final class TfModel implements Model {

    /** Rows per session call when evaluating or predicting a large dataset. */
    static final int CHUNK_ROWS = 4096;

    private final ModelSpec spec;
    private final Precision precision;
    private final Class<TNumber> dtype;
    private final Graph graph;
    private final Session session;
    private final Ops tf;

    private final List<Variable<TNumber>> variables = new ArrayList<>();
    private final List<Operand<TNumber>> reads = new ArrayList<>();
    private final Placeholder<TNumber> thetaIn;
    private final Op setParameters;
    private final Operand<TNumber> theta;

    private final Placeholder<TNumber> dataXIn;
    private final Op loadX;
    private final Placeholder<?> dataYIn;
    private final Op loadY;

    private final Operand<TNumber> x;
    private final Operand<?> y;
    /** The targets, for cross-entropy the labels one-hot encoded. */
    private final Operand<TNumber> target;
    private final Operand<TNumber> output;
    private final Operand<TNumber> loss;
    private final Operand<TNumber> lossSum;
    private final Operand<TNumber> squaredErrorSum;
    private final Operand<TNumber> correct;
    private final List<Operand<TNumber>> gradients = new ArrayList<>();
    private final Operand<TNumber> gradient;
    private final Operand<TNumber> inputGradient;

    private final TfTraining training;
    /** The training run in progress, whose listeners may set the parameters; null between runs. */
    private Run running;
    private List<Operand<TNumber>> jacobianRows;
    private List<Operand<TNumber>> softmaxJacobianRows;
    private Placeholder<TNumber> hvpDirection;
    private Operand<TNumber> hvp;
    /** Directions per block of {@link #hessianVectorProducts}. */
    static final int HVP_BLOCK = 8;
    private Placeholder<TNumber> hvpBlockDirections;
    private Operand<TNumber> hvpBlock;
    private Dataset residentData;
    /** The batch whose tensors {@link #fed} holds (see {@link #feeds}); null when none is kept. */
    private Batch fedBatch;
    private Feeds fed;
    /** True when the graph runs on a GPU, which wants whole batches: training batches are then not cut. */
    private final boolean onGpu;
    /** Operations the session runs at once. */
    private final int parallelism;
    /** Row ranges per batch, when a test fixes them; 0 chooses by size. */
    private int chunksOverride;
    /** Hidden-unit groups of training, when a test fixes them; 0 chooses by shape and size. */
    private int groupsOverride;
    private boolean closed;

    @SuppressWarnings("unchecked")
    private TfModel(ModelSpec spec, Precision precision, BackendOptions options) {
        this.spec = spec;
        this.precision = precision;
        this.dtype = (Class<TNumber>) TfTensors.dtype(precision);
        this.graph = new Graph();
        try {
            this.tf = Ops.create(graph);
            int inputs = spec.inputSize();
            ParameterLayout layout = spec.layout();

            // parameters: one variable per tensor, read through Identity so gradients see plain tensors
            List<Op> assigns = new ArrayList<>();
            List<Operand<TNumber>> flat = new ArrayList<>();
            thetaIn = tf.withName("theta_in").placeholder(dtype, Placeholder.shape(Shape.of(layout.size())));
            for (ParameterLayout.Segment s : layout.segments()) {
                long[] shape = toLongs(s.shape());
                Variable<TNumber> v = tf.withName(s.name().replace('/', '_')).variable(Shape.of(shape), dtype);
                variables.add(v);
                reads.add(tf.identity(v));
                Operand<TNumber> part = tf.reshape(
                        tf.slice(thetaIn, tf.constant(new int[] {s.offset()}), tf.constant(new int[] {s.size()})),
                        tf.constant(s.shape()));
                assigns.add(tf.assign(v, part));
                flat.add(tf.reshape(reads.get(reads.size() - 1), tf.constant(new int[] {-1})));
            }
            setParameters = tf.withControlDependencies(assigns).noOp();
            theta = tf.concat(flat, tf.constant(0));

            // the training data, resident in the graph for TfTraining, which gathers its batches by index; the
            // analysis ops below are fed their batches
            Variable<TNumber> dataX = tf.variable(Shape.unknown(), dtype);
            Variable<TNumber> dataY = tf.variable(Shape.unknown(), dtype);
            dataXIn = tf.placeholder(dtype, Placeholder.shape(Shape.of(-1, inputs)));
            Variable<TNumber> dataXOnes = null;
            if (inputs == 1) {
                // one input feature: training also reads [x, 1], whose product with a layer's gradient gives the
                // first layer's kernel and bias gradients at once
                dataXOnes = tf.variable(Shape.unknown(), dtype);
                Op loadXOnes = tf.assign(dataXOnes, tf.concat(List.of(dataXIn, tf.onesLike(dataXIn)),
                        tf.constant(1)), Assign.validateShape(false));
                loadX = tf.withControlDependencies(List.of(loadXOnes)).assign(dataX, dataXIn,
                        Assign.validateShape(false));
            } else {
                loadX = tf.assign(dataX, dataXIn, Assign.validateShape(false));
            }
            x = tf.placeholder(dtype, Placeholder.shape(Shape.of(-1, inputs)));

            int outputs = spec.outputSize();
            if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
                // training reads the labels one-hot encoded, encoded once here
                Placeholder<TInt32> labelsIn = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
                dataYIn = labelsIn;
                loadY = tf.assign(dataY, tf.oneHot(labelsIn, tf.constant(outputs), scalar(1), scalar(0)),
                        Assign.validateShape(false));
                Operand<TInt32> labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
                y = labels;
                target = tf.oneHot(labels, tf.constant(outputs), scalar(1), scalar(0));
            } else {
                Placeholder<TNumber> targetsIn = tf.placeholder(dtype, Placeholder.shape(Shape.of(-1, outputs)));
                dataYIn = targetsIn;
                loadY = tf.assign(dataY, targetsIn, Assign.validateShape(false));
                target = tf.placeholder(dtype, Placeholder.shape(Shape.of(-1, outputs)));
                y = target;
            }

            // a plain Add, not BiasAdd, for biases: BiasAddGrad has no second-order gradient in TensorFlow Java
            output = TfForward.build(tf, spec, x, reads, false);
            training = new TfTraining(graph, tf, spec, precision, dtype, variables, dataX, dataXOnes, dataY);
            Operand<TNumber> perSample;
            Operand<TNumber> prediction;
            if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
                // written with LogSoftmax: the fused op's gradient fails in float64 in this TensorFlow version
                perSample = tf.math.neg(tf.reduceSum(tf.math.mul(target, tf.nn.logSoftmax(output)),
                        tf.constant(1)));
                prediction = tf.nn.softmax(output);
                Operand<TInt32> predicted = tf.math.argMax(output, tf.constant(1), TInt32.class);
                @SuppressWarnings("unchecked")
                Operand<TInt32> labels = (Operand<TInt32>) y;
                correct = tf.reduceSum(tf.dtypes.cast(tf.math.equal(predicted, labels), dtype), tf.constant(0));
            } else {
                perSample = tf.math.mean(tf.math.squaredDifference(output, target), tf.constant(1));
                prediction = output;
                correct = null;
            }
            loss = tf.withName("loss").math.mean(perSample, tf.constant(0));
            lossSum = tf.reduceSum(perSample, tf.constant(0));
            squaredErrorSum = tf.reduceSum(tf.reshape(tf.math.squaredDifference(prediction, target),
                    tf.constant(new int[] {-1})), tf.constant(0));

            Output<?>[] grads = graph.addGradients("gradients", new Output<?>[] {loss.asOutput()},
                    reads.stream().map(Operand::asOutput).toArray(Output<?>[]::new),
                    new Output<?>[] {scalar(1).asOutput()});
            List<Operand<TNumber>> flatGrads = new ArrayList<>();
            for (Output<?> g : grads) {
                @SuppressWarnings("unchecked")
                Operand<TNumber> gt = (Operand<TNumber>) g;
                gradients.add(gt);
                flatGrads.add(tf.reshape(gt, tf.constant(new int[] {-1})));
            }
            gradient = tf.concat(flatGrads, tf.constant(0));
            Output<?>[] xg = graph.addGradients("input_gradients", new Output<?>[] {lossSum.asOutput()},
                    new Output<?>[] {x.asOutput()}, new Output<?>[] {scalar(1).asOutput()});
            inputGradient = (Operand<TNumber>) xg[0];

            session = new Session(graph, sessionConfig(options));
            parallelism = options.deterministic() ? 1 : options.interOpThreads() > 0 ? options.interOpThreads()
                    : Runtime.getRuntime().availableProcessors();
            onGpu = "gpu".equals(options.device());
        } catch (RuntimeException e) {
            graph.close();
            throw new BackendException("could not build the TensorFlow graph of " + spec + ": " + e.getMessage(), e);
        }
    }

    /** Builds a model and sets its parameters to {@link ParameterInit#initial} of {@code seed}. */
    static TfModel create(ModelSpec spec, Precision precision, long seed, BackendOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(precision, "precision");
        TfModel model = new TfModel(spec, precision, options);
        try {
            model.setParameters(ParameterInit.initial(spec, seed));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private Operand<TNumber> scalar(double value) {
        return tf.dtypes.cast(tf.constant(value), dtype);
    }

    private static long[] toLongs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
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
        try (Result r = session.runner().fetch(theta).run()) {
            return TfTensors.toDoubles(r.get(0));
        }
    }

    @Override
    public void setParameters(double[] values) {
        checkOpen();
        spec.layout().checkLength(values);
        try (Tensor t = TfTensors.of(precision, values, values.length)) {
            session.runner().feed(thetaIn, t).addTarget(setParameters).run().close();
        }
        if (running != null && running.copyIn() != null) {
            // set by a listener during a run in unit groups: the groups' copies of the first kernel follow
            session.runner().addTarget(running.copyIn()).run().close();
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
            double[] chunk = java.util.Arrays.copyOfRange(features, from * in, (from + n) * in);
            try (Tensor xt = TfTensors.of(precision, chunk, n, in);
                 Result r = session.runner().feed(x, xt).fetch(output).run()) {
                double[] o = TfTensors.toDoubles(r.get(0));
                System.arraycopy(o, 0, result, from * out, o.length);
            }
        }
        return result;
    }

    @Override
    public double loss(Batch batch) {
        checkOpen();
        try (Result r = feeds(batch).runner().fetch(loss).run()) {
            return TfTensors.toDouble(r.get(0));
        }
    }

    @Override
    public LossAndGradient lossAndGradient(Batch batch) {
        checkOpen();
        try (Result r = feeds(batch).runner().fetch(loss).fetch(gradient).run()) {
            return new LossAndGradient(TfTensors.toDouble(r.get(0)), TfTensors.toDoubles(r.get(1)));
        }
    }

    @Override
    public double[] inputGradient(Batch batch) {
        checkOpen();
        try (Result r = feeds(batch).runner().fetch(inputGradient).run()) {
            return TfTensors.toDoubles(r.get(0));
        }
    }

    /**
     * Exact Jacobian: the gradient of {@code sum_i f_k(x_i)} with respect to the inputs is, row by row, the gradient
     * of each sample's own output {@code k}, because samples do not interact. One gradient per output.
     */
    @Override
    public double[] outputJacobian(double[] features, int rows, boolean softmax) {
        checkOpen();
        ModelInputs.checkFeatures(spec, features, rows);
        buildJacobian();
        List<Operand<TNumber>> ops = softmax ? softmaxJacobianRows : jacobianRows;
        int in = spec.inputSize();
        int out = spec.outputSize();
        double[] jac = new double[rows * out * in];
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - from);
            double[] chunk = java.util.Arrays.copyOfRange(features, from * in, (from + n) * in);
            try (Tensor xt = TfTensors.of(precision, chunk, n, in)) {
                Session.Runner runner = session.runner().feed(x, xt);
                ops.forEach(runner::fetch);
                try (Result r = runner.run()) {
                    for (int k = 0; k < out; k++) {
                        double[] g = TfTensors.toDoubles(r.get(k));
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(g, i * in, jac, ((from + i) * out + k) * in, in);
                        }
                    }
                }
            }
        }
        return jac;
    }

    private void buildJacobian() {
        if (jacobianRows != null) {
            return;
        }
        Ops o = tf.withSubScope("jacobian");
        Operand<TNumber> probabilities = o.nn.softmax(output);
        List<Operand<TNumber>> raw = new ArrayList<>();
        List<Operand<TNumber>> soft = new ArrayList<>();
        for (int k = 0; k < spec.outputSize(); k++) {
            for (boolean useSoftmax : new boolean[] {false, true}) {
                Operand<TNumber> column = o.reduceSum(o.slice(useSoftmax ? probabilities : output,
                        o.constant(new int[] {0, k}), o.constant(new int[] {-1, 1})), o.constant(new int[] {0, 1}));
                Output<?>[] g = graph.addGradients((useSoftmax ? "softmax_jacobian_" : "jacobian_") + k,
                        new Output<?>[] {column.asOutput()}, new Output<?>[] {x.asOutput()},
                        new Output<?>[] {scalar(1).asOutput()});
                @SuppressWarnings("unchecked")
                Operand<TNumber> gk = (Operand<TNumber>) g[0];
                (useSoftmax ? soft : raw).add(gk);
            }
        }
        jacobianRows = raw;
        softmaxJacobianRows = soft;
    }

    /**
     * Exact {@code H v} by Pearlmutter's R-operator, written out for dense networks ({@link TfHessianProducts}). The
     * ops are added to the graph on first use.
     */
    @Override
    public double[] hessianVectorProduct(Batch batch, double[] v) {
        checkOpen();
        spec.layout().checkLength(v);
        if (curvatureMethod() == CurvatureMethod.FINITE_DIFFERENCES) {
            return FiniteDifferenceHvp.apply(this, batch, v);
        }
        buildHessianVectorProduct();
        try (Tensor vt = TfTensors.of(precision, v, v.length);
             Result r = feeds(batch).runner().feed(hvpDirection, vt).fetch(hvp).run()) {
            return TfTensors.toDoubles(r.get(0));
        }
    }

    /**
     * Exact for networks of dense layers ({@link TfHessianProducts}). Convolution and pooling layers use central
     * differences of gradients.
     */
    @Override
    public CurvatureMethod curvatureMethod() {
        return TfHessianProducts.supports(spec) ? CurvatureMethod.EXACT : CurvatureMethod.FINITE_DIFFERENCES;
    }

    private void buildHessianVectorProduct() {
        if (hvp != null) {
            return;
        }
        Ops o = tf.withSubScope("hvp");
        int p = spec.parameterCount();
        hvpDirection = o.placeholder(dtype, Placeholder.shape(Shape.of(p)));
        hvp = o.reshape(TfHessianProducts.build(o, spec, dtype, x, target, reads,
                o.reshape(hvpDirection, o.constant(new int[] {1, p})), 1), o.constant(new int[] {p}));
    }

    /**
     * Exact products in blocks of {@link #HVP_BLOCK}: one session call computes a block, whose products share the
     * forward and backward passes and make each product with a direction one wide matrix product (1,000 digits,
     * 784-32-32-32-10 MLP, 2 cores: 18 ms a block against 28 ms for 8 single products). A remainder is computed one
     * by one.
     */
    @Override
    public double[][] hessianVectorProducts(Batch batch, double[][] vs) {
        checkOpen();
        if (curvatureMethod() == CurvatureMethod.FINITE_DIFFERENCES || vs.length < HVP_BLOCK) {
            return Model.super.hessianVectorProducts(batch, vs);
        }
        for (double[] v : vs) {
            spec.layout().checkLength(v);
        }
        buildHessianVectorProductBlock();
        int p = spec.parameterCount();
        double[][] out = new double[vs.length][];
        int full = vs.length / HVP_BLOCK * HVP_BLOCK;
        for (int from = 0; from < full; from += HVP_BLOCK) {
            double[] block = new double[HVP_BLOCK * p];
            for (int k = 0; k < HVP_BLOCK; k++) {
                System.arraycopy(vs[from + k], 0, block, k * p, p);
            }
            try (Tensor vt = TfTensors.of(precision, block, HVP_BLOCK, p);
                 Result r = feeds(batch).runner().feed(hvpBlockDirections, vt).fetch(hvpBlock).run()) {
                double[] products = TfTensors.toDoubles(r.get(0));
                for (int k = 0; k < HVP_BLOCK; k++) {
                    out[from + k] = java.util.Arrays.copyOfRange(products, k * p, (k + 1) * p);
                }
            }
        }
        for (int i = full; i < vs.length; i++) {
            out[i] = hessianVectorProduct(batch, vs[i]);
        }
        return out;
    }

    private void buildHessianVectorProductBlock() {
        if (hvpBlock != null) {
            return;
        }
        Ops o = tf.withSubScope("hvp_block");
        hvpBlockDirections = o.placeholder(dtype, Placeholder.shape(Shape.of(HVP_BLOCK, spec.parameterCount())));
        hvpBlock = TfHessianProducts.build(o, spec, dtype, x, target, reads, hvpBlockDirections, HVP_BLOCK);
    }

    @Override
    public Map<Metric, Double> evaluate(Dataset data, Set<Metric> metrics) {
        checkOpen();
        ModelInputs.checkDataset(spec, data);
        return ChunkedEvaluation.evaluate(spec, data, metrics, CHUNK_ROWS, (batch, withGradient) -> {
            // each chunk is read once: its tensors are not kept
            ModelInputs.checkBatch(spec, batch);
            try (Feeds f = new Feeds(batch)) {
                Session.Runner runner = f.runner().fetch(lossSum).fetch(squaredErrorSum);
                if (correct != null) {
                    runner.fetch(correct);
                }
                if (withGradient) {
                    runner.fetch(gradient);
                }
                try (Result r = runner.run()) {
                    int next = 2;
                    double right = correct == null ? 0 : TfTensors.toDouble(r.get(next++));
                    return new ChunkedEvaluation.Sums(TfTensors.toDouble(r.get(0)), TfTensors.toDouble(r.get(1)),
                            right, withGradient ? TfTensors.toDoubles(r.get(next)) : null);
                }
            }
        });
    }

    /** An epoch of {@code samples} samples in batches of {@code size} rows (the last one may be smaller). */
    private record Batches(int samples, int size) {

        int steps() {
            return (samples + size - 1) / size;
        }

        int full() {
            return samples / size;
        }

        int lastRows() {
            return samples % size;
        }

        /** Full-batch training, which reads the data in its stored order: a batch's order changes only rounding. */
        boolean whole() {
            return size == samples;
        }
    }

    /**
     * The step graphs of one training run (one step, several steps, the last partial batch) and the op that copies
     * unit groups' kernel columns back into the model (null without unit groups).
     */
    private record Run(Batches batches, TfTraining.Step single, TfTraining.Step unrolled, TfTraining.Step remainder,
                       Op copyBack, Op copyIn, int readEvery) {

        /** Whether no listener reads the model within {@code steps} steps after step {@code done} but after the last. */
        boolean fits(long done, int steps) {
            return readEvery == 0 || readEvery - done % readEvery >= steps;
        }

        /** Whether a listener reads the model after {@code step}. */
        boolean readsAfter(long step) {
            return readEvery > 0 && step % readEvery == 0;
        }
    }

    /**
     * The session settings of every model of a backend with these options. The first session of a process sizes
     * TensorFlow's global thread pools, which later sessions share, so the backend's own first session
     * ({@link TfNativeLog}) uses them too.
     */
    static ConfigProto sessionConfig(BackendOptions options) {
        ConfigProto.Builder config = ConfigProto.newBuilder();
        if (options.deterministic()) {
            config.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1);
        } else {
            config.setIntraOpParallelismThreads(options.intraOpThreads())
                    .setInterOpParallelismThreads(options.interOpThreads());
        }
        if ("cpu".equals(options.device())) {
            config.putDeviceCount("GPU", 0);
        }
        return config.build();
    }

    @Override
    public TrainingHistory train(Dataset data, OptimizerSpec optimizer, TrainingConfig config,
                                 List<TrainingListener> listeners) {
        checkOpen();
        ModelInputs.checkTraining(spec, precision, data, optimizer, config);
        long start = System.nanoTime();
        upload(data);
        Batches batches = new Batches(data.size(), Math.min(config.batchSize(), data.size()));
        int batchSize = batches.size();
        int readEvery = readEvery(listeners);
        // one way of cutting for the whole run: unit groups keep their own copy of the first kernel's columns
        int groups = groupsFor(batchSize);
        TfTraining.Step single = training.step(optimizer, chunksFor(batchSize, groups), groups, 1, batchSize,
                batchSize, batches.whole());
        TfTraining.Step unrolled = (readEvery > 0 && readEvery < TfTraining.UNROLL)
                || batches.steps() < 2 * TfTraining.UNROLL ? single
                : training.step(optimizer, chunksFor(batchSize, groups), groups, TfTraining.UNROLL, batchSize,
                batchSize, false);
        int lastRows = batches.lastRows();
        TfTraining.Step remainder = lastRows == 0 ? null
                : training.step(optimizer, chunksFor(lastRows, groups), groups, 1, lastRows, batchSize, false);
        Run run = new Run(batches, single, unrolled, remainder, training.copyBack(groups), training.copyIn(groups),
                readEvery);
        session.runner().addTarget(training.reset(optimizer, groups)).run().close();

        TrainingHistory history = new TrainingHistory();
        running = run;
        try {
            runEpochs(data, optimizer, config, listeners, history, run);
        } catch (RuntimeException | Error e) {
            // the model holds the parameters of the last step run, as without unit groups
            try {
                copyBack(run);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            running = null;
        }
        history.setWallSeconds((System.nanoTime() - start) / 1e9);
        return history;
    }

    /** The epochs of {@link #train}, copying unit groups back whenever listeners may read the model. */
    private void runEpochs(Dataset data, OptimizerSpec optimizer, TrainingConfig config,
                           List<TrainingListener> listeners, TrainingHistory history, Run run) {
        int n = data.size();
        Batches batches = run.batches();
        int batchSize = batches.size();
        int stepsPerEpoch = batches.steps();
        int fullBatches = batches.full();
        SplittableRandom random = new SplittableRandom(config.seed());
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        long step = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            if (config.shuffle() && !batches.whole()) {
                order = Dataset.permutation(n, random.nextLong());
            }
            double lossSumEpoch = 0;
            for (int s = 0; s < stepsPerEpoch; ) {
                TfTraining.Step graphStep = s + run.unrolled().unroll() <= fullBatches
                        && run.fits(step, run.unrolled().unroll()) ? run.unrolled()
                        : s < fullBatches ? run.single() : run.remainder();
                int k = graphStep.unroll();
                int rows = s < fullBatches ? batchSize : batches.lastRows();
                double[][] sums = runSteps(graphStep, order, s * batchSize, k * rows);
                if (run.readsAfter(step + k)) {
                    copyBack(run);
                }
                for (int j = 0; j < k; j++) {
                    step++;
                    double stepLoss = graphStep.loss(sums[0][j]);
                    double stepNorm = graphStep.norm(sums[1][j]);
                    if (!Double.isFinite(stepLoss)) {
                        throw new TrainingDivergedException(epoch, step, stepLoss, optimizer.describe());
                    }
                    history.recordStep(stepLoss, stepNorm);
                    lossSumEpoch += stepLoss;
                    for (TrainingListener l : listeners) {
                        l.onStep(this, epoch, step, stepLoss, stepNorm);
                    }
                }
                s += k;
            }
            copyBack(run);
            double meanLoss = lossSumEpoch / stepsPerEpoch;
            history.recordEpoch(meanLoss);
            for (TrainingListener l : listeners) {
                l.onEpoch(this, epoch, meanLoss, history);
            }
        }
    }

    /**
     * Steps between the listeners' reads of the model: the greatest common divisor of their periods (a call of
     * several steps then ends at every step any of them reads the model after), 0 when none reads it.
     */
    private static int readEvery(List<TrainingListener> listeners) {
        int every = 0;
        for (TrainingListener l : listeners) {
            int k = l.readsModelEvery();
            if (k < 0) {
                throw new IllegalArgumentException("a listener's steps between model reads must be at least 0 "
                        + "(0: never), was " + k + " for " + l);
            }
            every = gcd(every, k);
        }
        return every;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Copies unit groups' kernel columns back into the model's kernel; nothing without unit groups. */
    private void copyBack(Run run) {
        if (run.copyBack() != null) {
            session.runner().addTarget(run.copyBack()).run().close();
        }
    }

    /**
     * Runs the steps of {@code step} on the rows {@code order[from, from + count)} (in the dataset's order when the
     * step is ordered); returns their loss sums and their halved squared gradient norms, unscaled.
     */
    private double[][] runSteps(TfTraining.Step step, int[] order, int from, int count) {
        Session.Runner runner = session.runner().fetch(step.losses()).fetch(step.halfSquares())
                .addTarget(step.target());
        TInt32 fed = null;
        try {
            if (step.indices() != null) {
                fed = TfTensors.ints(java.util.Arrays.copyOfRange(order, from, from + count), step.unroll(),
                        count / step.unroll());
                runner.feed(step.indices(), fed);
            }
            try (Result r = runner.run()) {
                return new double[][] {TfTensors.toDoubles(r.get(0)), TfTensors.toDoubles(r.get(1))};
            }
        } finally {
            if (fed != null) {
                fed.close();
            }
        }
    }

    /** Row ranges a training batch of {@code rows} rows is cut into: 1 when it is cut into unit groups. */
    private int chunksFor(int rows, int groups) {
        return groups > 1 ? 1 : chunksOverride > 0 ? Math.min(chunksOverride, rows) : onGpu ? 1
                : TfTraining.chunks(spec, rows, parallelism);
    }

    /** Groups of hidden units training batches of {@code rows} rows are split into; 1 for row ranges. */
    private int groupsFor(int rows) {
        return groupsOverride > 0 ? groupsOverride : chunksOverride > 0 || onGpu ? 1
                : TfTraining.unitGroups(spec, rows, parallelism);
    }

    /** Fixes the number of row ranges each training batch is cut into (0: chosen by size); for tests. */
    void overrideChunks(int chunks) {
        chunksOverride = chunks;
    }

    /**
     * Fixes the number of hidden-unit groups of training (0: chosen by shape and size); for tests. Only a net of
     * one dense hidden layer can be split.
     */
    void overrideGroups(int groups) {
        groupsOverride = groups;
    }

    /** Copies a dataset into the graph's data variables unless it is already there. */
    private void upload(Dataset data) {
        if (residentData == data) {
            return;
        }
        int n = data.size();
        ModelInputs.checkResidentSize(spec, precision, data, "the graph");
        try (Tensor xt = TfTensors.of(precision, data.features(), n, spec.inputSize());
             Tensor yt = data.isClassification()
                     ? TfTensors.ints(data.labels(), n)
                     : TfTensors.of(precision, data.targets(), n, spec.outputSize())) {
            session.runner().feed(dataXIn, xt).feed(dataYIn, yt).addTarget(loadX).addTarget(loadY).run().close();
        }
        residentData = data;
    }

    /** Fed tensors of one batch; closing them closes the tensors. */
    private final class Feeds implements AutoCloseable {
        private final Tensor xt;
        private final Tensor yt;

        Feeds(Batch b) {
            xt = TfTensors.of(precision, b.features(), b.rows(), spec.inputSize());
            Tensor t = null;
            try {
                t = b.isClassification() ? TfTensors.ints(b.labels(), b.rows())
                        : TfTensors.of(precision, b.targets(), b.rows(), spec.outputSize());
            } finally {
                if (t == null) {
                    xt.close();
                }
            }
            yt = t;
        }

        Session.Runner runner() {
            return session.runner().feed(x, xt).feed(y, yt);
        }

        @Override
        public void close() {
            xt.close();
            yt.close();
        }
    }

    /**
     * The fed tensors of {@code batch}, kept until a call with another batch (or {@link #close}): analyses evaluate
     * one fixed batch many times (the chunks of a Hessian operator, the sample of a curvature tracker), and
     * converting its features to the model's precision and copying them into a tensor took about 1 ms for 1,000
     * digits on 2 cores: a quarter of a Hessian-vector product of the 784-32-32-32-10 MLP (4.5 ms) and a third of a
     * gradient (2.6 ms). A batch is not changed once given to a model ({@link Batch}), so the same batch object
     * holds the same values.
     */
    private Feeds feeds(Batch batch) {
        if (batch != fedBatch) {
            ModelInputs.checkBatch(spec, batch);
            Feeds next = new Feeds(batch);
            releaseFeeds();
            fed = next;
            fedBatch = batch;
        }
        return fed;
    }

    private void releaseFeeds() {
        if (fed != null) {
            fed.close();
            fed = null;
            fedBatch = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this model has been closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        residentData = null;
        releaseFeeds();
        session.close();
        graph.close();
    }

    @Override
    public String toString() {
        return "TfModel[" + spec.describe() + ", " + precision.configName() + "]";
    }
}
