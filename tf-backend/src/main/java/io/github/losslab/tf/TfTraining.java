package io.github.losslab.tf;

import io.github.losslab.api.Precision;
import io.github.losslab.api.model.DenseLayer;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.Sgd;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.SoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training steps of one model's graph, built on first use and kept. A step graph takes the indices of
 * {@code unroll} mini-batches (one row each) into the resident dataset and runs that many optimizer steps in one
 * session call, each step's parameter reads waiting for the previous step's updates. Within a step the batch is
 * split into {@code chunks} row ranges whose forward and backward passes are independent operations: they run in
 * parallel on the inter-op threads, and their activations are small enough to stay in the processor's cache. The
 * loss is the batch mean written as the sum of the chunks' per-sample losses over the batch size, so its gradient
 * is the batch gradient. Networks of dense layers get their backpropagation written out (fewer operations, and
 * matrix product, bias and ReLU fused into one kernel); others use graph gradients. Biases use {@code BiasAdd} and
 * float32 cross-entropy the fused softmax-cross-entropy kernel: these graphs are differentiated once only.
 *
 * <p>Measured on 2 CPU cores (medians, {@code losslab bench}): a 784-128-10 epoch of 60,000 samples went from
 * 0.94 s to 0.49 s at batch 64 and from 0.60 s to 0.28 s at batch 1024; 300 full-batch Adam epochs of the 1-128-1
 * net on 40,000 points from 12.7 s to 1.7 s.
 */
final class TfTraining {

    /**
     * Values of the widest activation one chunk may hold: 2^18 float32 values (1 MiB), measured best for the
     * 1-128-1 net on 40,000 points among chunks of 1,000 to 40,000 rows.
     */
    static final long CHUNK_VALUES = 1 << 18;
    /** Fewest rows a chunk is cut to. */
    static final int MIN_CHUNK_ROWS = 16;
    /** Optimizer steps per session call when the listeners allow it. */
    static final int UNROLL = 8;

    /** One step graph: feed {@code indices} ({@code unroll} rows of batch indices), fetch the per-step values. */
    record Step(Placeholder<TInt32> indices, Operand<TNumber> losses, Operand<TNumber> norms, Op target,
                int unroll) {
    }

    private record Key(OptimizerSpec optimizer, int chunks, int unroll) {
    }

    private final Graph graph;
    private final Ops tf;
    private final ModelSpec spec;
    private final Precision precision;
    private final Class<TNumber> dtype;
    private final List<Variable<TNumber>> variables;
    private final Operand<TNumber> dataX;
    private final Operand<?> dataY;
    private final Map<OptimizerSpec, Slots> slots = new HashMap<>();
    private final Map<Key, Step> steps = new HashMap<>();

    TfTraining(Graph graph, Ops tf, ModelSpec spec, Precision precision, Class<TNumber> dtype,
               List<Variable<TNumber>> variables, Operand<TNumber> dataX, Operand<?> dataY) {
        this.graph = graph;
        this.tf = tf;
        this.spec = spec;
        this.precision = precision;
        this.dtype = dtype;
        this.variables = variables;
        this.dataX = dataX;
        this.dataY = dataY;
    }

    /**
     * Row ranges a batch of {@code batchSize} rows is cut into: enough that each range's widest hidden activation
     * holds at most {@link #CHUNK_VALUES} values, and at least one per thread that can run them at once, but no
     * range under {@link #MIN_CHUNK_ROWS} rows. The input is left out of the size: it is only gathered and read.
     */
    static int chunks(ModelSpec spec, int batchSize, int threads) {
        long values = (long) batchSize * TfForward.widestHiddenActivation(spec);
        long byCache = (values + CHUNK_VALUES - 1) / CHUNK_VALUES;
        long byRows = Math.max(1, batchSize / MIN_CHUNK_ROWS);
        return (int) Math.max(1, Math.min(Math.max(byCache, threads), byRows));
    }

    /** The op that zeroes the optimizer's state (moments, step counts) before a training run. */
    Op reset(OptimizerSpec optimizer) {
        return slotsOf(optimizer).reset;
    }

    Step step(OptimizerSpec optimizer, int chunks, int unroll) {
        return steps.computeIfAbsent(new Key(optimizer, chunks, unroll), this::build);
    }

    private Slots slotsOf(OptimizerSpec optimizer) {
        return slots.computeIfAbsent(optimizer, o -> new Slots(tf.withSubScope("optimizer" + slots.size()), o));
    }

    private Step build(Key key) {
        Slots optimizer = slotsOf(key.optimizer());
        String name = "train" + steps.size();
        Ops o = tf.withSubScope(name);
        Placeholder<TInt32> indices = o.placeholder(TInt32.class, Placeholder.shape(Shape.of(key.unroll(), -1)));
        Operand<TInt32> batchSize = o.reshape(o.slice(o.shape(indices), o.constant(new int[] {1}),
                o.constant(new int[] {1})), o.constant(new int[0]));
        Operand<TNumber> rows = o.dtypes.cast(batchSize, dtype);
        boolean dense = spec.layers().stream().allMatch(l -> l instanceof DenseLayer);
        Operand<TNumber> inverseRows = o.math.reciprocal(rows);
        // the row ranges' starts and lengths, shared by the unrolled steps (their batches have one size)
        List<Operand<TInt32>> starts = new ArrayList<>();
        List<Operand<TInt32>> lengths = new ArrayList<>();
        for (int c = 0; c < key.chunks() && key.chunks() > 1; c++) {
            Operand<TInt32> from = o.math.floorDiv(o.math.mul(batchSize, o.constant(c)), o.constant(key.chunks()));
            Operand<TInt32> to = o.math.floorDiv(o.math.mul(batchSize, o.constant(c + 1)),
                    o.constant(key.chunks()));
            starts.add(o.reshape(from, o.constant(new int[] {1})));
            lengths.add(o.reshape(o.math.sub(to, from), o.constant(new int[] {1})));
        }
        List<Operand<TNumber>> losses = new ArrayList<>();
        List<Operand<TNumber>> norms = new ArrayList<>();
        List<Op> previous = List.of();
        for (int k = 0; k < key.unroll(); k++) {
            Ops s = previous.isEmpty() ? o : o.withControlDependencies(previous);
            List<Operand<TNumber>> params = new ArrayList<>();
            for (Variable<TNumber> v : variables) {
                params.add(s.identity(v));
            }
            Operand<TInt32> batch = o.reshape(o.slice(indices, o.constant(new int[] {k, 0}),
                    o.constant(new int[] {1, -1})), o.constant(new int[] {-1}));
            List<Operand<TNumber>> sums = new ArrayList<>();
            List<List<Operand<TNumber>>> parts = new ArrayList<>();
            for (int c = 0; c < key.chunks(); c++) {
                Operand<TInt32> part = key.chunks() == 1 ? batch : o.slice(batch, starts.get(c), lengths.get(c));
                Operand<TNumber> x = o.gather(dataX, part, o.constant(0));
                if (dense) {
                    List<Operand<TNumber>> lossAndGradients = denseLossAndGradients(o, x, part, params, inverseRows);
                    sums.add(lossAndGradients.get(0));
                    parts.add(lossAndGradients.subList(1, lossAndGradients.size()));
                } else {
                    sums.add(lossSum(o, TfForward.build(o, spec, x, params, true), part));
                }
            }
            Operand<TNumber> loss = o.math.mul(sums.size() == 1 ? sums.get(0) : o.math.addN(sums), inverseRows);
            List<Operand<TNumber>> gradients = new ArrayList<>();
            if (dense) {
                for (int i = 0; i < params.size(); i++) {
                    List<Operand<TNumber>> terms = new ArrayList<>();
                    for (List<Operand<TNumber>> p : parts) {
                        terms.add(p.get(i));
                    }
                    gradients.add(terms.size() == 1 ? terms.get(0) : o.math.addN(terms));
                }
            } else {
                Output<?>[] grads = graph.addGradients(name + "_step" + k + "_gradients",
                        new Output<?>[] {loss.asOutput()},
                        params.stream().map(Operand::asOutput).toArray(Output<?>[]::new),
                        new Output<?>[] {o.dtypes.cast(o.constant(1.0), dtype).asOutput()});
                for (Output<?> g : grads) {
                    @SuppressWarnings("unchecked")
                    Operand<TNumber> gt = (Operand<TNumber>) g;
                    gradients.add(gt);
                }
            }
            List<Operand<TNumber>> halfSquares = new ArrayList<>();
            for (Operand<TNumber> g : gradients) {
                halfSquares.add(o.nn.l2Loss(g));
            }
            losses.add(loss);
            norms.add(o.math.sqrt(o.math.mul(o.dtypes.cast(o.constant(2.0), dtype), o.math.addN(halfSquares))));
            // reference variables are updated in place while the backward pass may still read them: every update
            // waits for every gradient of its step
            previous = optimizer.apply(o.withControlDependencies(new ArrayList<Op>(gradients)), gradients);
        }
        return new Step(indices, o.stack(losses), o.stack(norms), o.withControlDependencies(previous).noOp(),
                key.unroll());
    }

    /** The sum over the rows {@code part} of the per-sample loss of the network's {@code output}. */
    @SuppressWarnings("unchecked")
    private Operand<TNumber> lossSum(Ops o, Operand<TNumber> output, Operand<TInt32> part) {
        Operand<TNumber> perSample;
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            Operand<TNumber> oneHot = oneHot(o, part);
            // the fused kernel's gradient fails in float64 in this TensorFlow version
            perSample = precision == Precision.FLOAT32
                    ? o.nn.softmaxCrossEntropyWithLogits(output, oneHot).loss()
                    : o.math.neg(o.reduceSum(o.math.mul(oneHot, o.nn.logSoftmax(output)), o.constant(1)));
        } else {
            Operand<TNumber> target = o.gather((Operand<TNumber>) dataY, part, o.constant(0));
            perSample = o.math.mean(o.math.squaredDifference(output, target), o.constant(1));
        }
        return o.reduceSum(perSample, o.constant(0));
    }

    @SuppressWarnings("unchecked")
    private Operand<TNumber> oneHot(Ops o, Operand<TInt32> part) {
        Operand<TInt32> labels = o.gather((Operand<TInt32>) dataY, part, o.constant(0));
        return o.oneHot(labels, o.constant(spec.outputSize()), scalar(o, 1), scalar(o, 0));
    }

    /**
     * For a network of dense layers only, backpropagation written out: the loss summed over the rows {@code part},
     * then this range's share of every parameter's batch gradient (its rows' gradient sum times
     * {@code inverseRows}, one over the batch size), in layout order. Fewer operations than graph gradients (no
     * shape bookkeeping), and each activation's gradient reads the activation's output, so that the graph optimizer
     * can fuse matrix product, bias and ReLU into one kernel. With a single input feature, the first layer's kernel
     * and bias gradients come from one product with the input and a column of ones: one pass over the layer's
     * gradient instead of two.
     */
    @SuppressWarnings("unchecked")
    private List<Operand<TNumber>> denseLossAndGradients(Ops o, Operand<TNumber> x, Operand<TInt32> part,
                                                        List<Operand<TNumber>> params, Operand<TNumber> inverseRows) {
        List<DenseLayer> layers = spec.layers().stream().map(DenseLayer.class::cast).toList();
        List<Operand<TNumber>> inputs = new ArrayList<>();
        List<Operand<TNumber>> outputs = new ArrayList<>();
        Operand<TNumber> h = spec.inputShape().length > 1 ? o.reshape(x, o.constant(new int[] {-1, spec.inputSize()}))
                : x;
        for (int l = 0; l < layers.size(); l++) {
            inputs.add(h);
            Operand<TNumber> z = o.nn.biasAdd(o.linalg.matMul(h, params.get(2 * l)), params.get(2 * l + 1));
            h = switch (layers.get(l).activation()) {
                case RELU -> o.nn.relu(z);
                case TANH -> o.math.tanh(z);
                case SIGMOID -> o.math.sigmoid(z);
                case IDENTITY -> z;
            };
            outputs.add(h);
        }
        Operand<TNumber> lossSum;
        Operand<TNumber> delta; // gradient of the summed loss with respect to the network's output
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            Operand<TNumber> oneHot = oneHot(o, part);
            if (precision == Precision.FLOAT32) {
                SoftmaxCrossEntropyWithLogits<TNumber> ce = o.nn.softmaxCrossEntropyWithLogits(h, oneHot);
                lossSum = o.reduceSum(ce.loss(), o.constant(0));
                delta = o.math.mul(ce.backprop(), inverseRows);
            } else {
                Operand<TNumber> logProbabilities = o.nn.logSoftmax(h);
                lossSum = o.math.neg(o.reduceSum(o.math.mul(oneHot, logProbabilities), o.constant(new int[] {0, 1})));
                delta = o.math.mul(o.math.sub(o.math.exp(logProbabilities), oneHot), inverseRows);
            }
        } else {
            Operand<TNumber> difference = o.math.sub(h, o.gather((Operand<TNumber>) dataY, part, o.constant(0)));
            Operand<TNumber> perOutput = scalar(o, 1.0 / spec.outputSize());
            lossSum = o.math.mul(o.reduceSum(o.math.square(difference), o.constant(new int[] {0, 1})), perOutput);
            delta = o.math.mul(difference, o.math.mul(inverseRows, scalar(o, 2.0 / spec.outputSize())));
        }
        Operand<TNumber>[] gradients = new Operand[params.size()];
        for (int l = layers.size() - 1; l >= 0; l--) {
            Operand<TNumber> out = outputs.get(l);
            Operand<TNumber> dz = switch (layers.get(l).activation()) {
                case RELU -> o.nn.reluGrad(delta, out);
                case TANH -> o.math.tanhGrad(out, delta);
                case SIGMOID -> o.math.sigmoidGrad(out, delta);
                case IDENTITY -> delta;
            };
            Operand<TNumber> in = inputs.get(l);
            if (l == 0 && spec.inputSize() == 1) {
                Operand<TNumber> both = o.linalg.matMul(o.concat(List.of(in, o.onesLike(in)), o.constant(1)), dz,
                        MatMul.transposeA(true));
                gradients[0] = o.slice(both, o.constant(new int[] {0, 0}), o.constant(new int[] {1, -1}));
                gradients[1] = o.reshape(o.slice(both, o.constant(new int[] {1, 0}), o.constant(new int[] {1, -1})),
                        o.constant(new int[] {-1}));
            } else {
                gradients[2 * l] = o.linalg.matMul(in, dz, MatMul.transposeA(true));
                gradients[2 * l + 1] = o.nn.biasAddGrad(dz);
            }
            if (l > 0) {
                delta = o.linalg.matMul(dz, params.get(2 * l), MatMul.transposeB(true));
            }
        }
        List<Operand<TNumber>> result = new ArrayList<>();
        result.add(lossSum);
        result.addAll(List.of(gradients));
        return result;
    }

    private Operand<TNumber> scalar(Ops o, double value) {
        return o.dtypes.cast(o.constant(value), dtype);
    }

    /** An optimizer's state variables, shared by every step graph that uses it. */
    private final class Slots {
        private final OptimizerSpec spec;
        private final List<Variable<TNumber>> first = new ArrayList<>();
        private final List<Variable<TNumber>> second = new ArrayList<>();
        private Variable<TNumber> beta1Power;
        private Variable<TNumber> beta2Power;
        private final Op reset;

        Slots(Ops o, OptimizerSpec spec) {
            this.spec = spec;
            List<Op> resets = new ArrayList<>();
            boolean momentum = spec instanceof Sgd sgd && sgd.momentum() != 0;
            if (spec instanceof Adam adam) {
                beta1Power = o.variable(Shape.scalar(), dtype);
                beta2Power = o.variable(Shape.scalar(), dtype);
                resets.add(o.assign(beta1Power, scalar(o, adam.beta1())));
                resets.add(o.assign(beta2Power, scalar(o, adam.beta2())));
            } else if (!(spec instanceof Sgd)) {
                throw new IllegalArgumentException("unsupported optimizer " + spec);
            }
            for (Variable<TNumber> v : variables) {
                if (momentum || spec instanceof Adam) {
                    first.add(zeroed(o, v, resets));
                }
                if (spec instanceof Adam) {
                    second.add(zeroed(o, v, resets));
                }
            }
            reset = o.withControlDependencies(resets).noOp();
        }

        private Variable<TNumber> zeroed(Ops o, Variable<TNumber> like, List<Op> resets) {
            long[] shape = like.shape().asArray();
            Variable<TNumber> s = o.variable(Shape.of(shape), dtype);
            resets.add(o.assign(s, o.zeros(o.constant(shape), dtype)));
            return s;
        }

        /** The ops of one step's updates, recorded with {@code u}'s control dependencies. */
        List<Op> apply(Ops u, List<Operand<TNumber>> gradients) {
            List<Op> updates = new ArrayList<>();
            Operand<TNumber> lr = scalar(u, spec.learningRate());
            if (spec instanceof Sgd sgd && sgd.momentum() == 0) {
                for (int i = 0; i < variables.size(); i++) {
                    updates.add(u.train.applyGradientDescent(variables.get(i), lr, gradients.get(i)));
                }
                return updates;
            }
            if (spec instanceof Sgd sgd) {
                Operand<TNumber> momentum = scalar(u, sgd.momentum());
                for (int i = 0; i < variables.size(); i++) {
                    updates.add(u.train.applyMomentum(variables.get(i), first.get(i), lr, gradients.get(i),
                            momentum));
                }
                return updates;
            }
            Adam adam = (Adam) spec;
            Operand<TNumber> beta1 = scalar(u, adam.beta1());
            Operand<TNumber> beta2 = scalar(u, adam.beta2());
            // TensorFlow's kernel adds epsilon to sqrt(v) before bias correction; scaling it by sqrt(1 - beta2^t)
            // gives exactly the paper's (and PyTorch's) update, which adds it after
            Operand<TNumber> epsilon = u.math.mul(scalar(u, adam.epsilon()),
                    u.math.sqrt(u.math.sub(scalar(u, 1), beta2Power)));
            for (int i = 0; i < variables.size(); i++) {
                updates.add(u.train.applyAdam(variables.get(i), first.get(i), second.get(i), beta1Power, beta2Power,
                        lr, beta1, beta2, epsilon, gradients.get(i)));
            }
            Ops after = u.withControlDependencies(updates);
            return List.of(after.assign(beta1Power, after.math.mul(beta1Power, beta1)),
                    after.assign(beta2Power, after.math.mul(beta2Power, beta2)));
        }
    }
}
