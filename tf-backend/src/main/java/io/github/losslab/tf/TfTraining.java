package io.github.losslab.tf;

import io.github.losslab.api.Precision;
import io.github.losslab.api.model.Activation;
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
import org.tensorflow.types.family.TType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training steps of one model's graph, built on first use and kept. A step graph takes the indices of
 * {@code unroll} mini-batches (one row each) into the resident dataset and runs that many optimizer steps in one
 * session call, each step's parameter reads waiting for the previous step's updates. Within a step the batch is
 * split into {@code chunks} row ranges whose forward and backward passes are independent operations: they run in
 * parallel on the inter-op threads, and their activations are small enough to stay in the processor's cache; a net
 * of one dense hidden layer is split into groups of hidden units instead ({@link #unitGroups}). Dense
 * networks sum losses and gradients over rows and leave the constant factors (one over the batch size) to the
 * optimizer and to {@link Step}; others differentiate the batch mean. Networks of dense layers get their
 * backpropagation written out (fewer operations, and matrix product, bias and ReLU fused into one kernel); others use
 * graph gradients. Biases use {@code BiasAdd} and float32 cross-entropy the fused softmax-cross-entropy kernel:
 * these graphs are differentiated once only.
 *
 * <p>Measured on 2 CPU cores (medians, {@code losslab bench}): a 784-128-10 epoch of 60,000 samples went from
 * 0.94 s to 0.42-0.52 s at batch 64 and from 0.60 s to 0.21-0.30 s at batch 1024; 3,000 full-batch Adam epochs of
 * the 1-128-1 net on 40,000 points from about 127 s to 7.3 s. Unit groups then took batch 64 to 0.82-0.92 of that
 * (alternating runs). DEVELOPERS.md explains each part.
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
    /** Fewest hidden units a unit group is cut to (groups of 64 were measured; narrower ones were not). */
    static final int MIN_GROUP_UNITS = 32;
    /**
     * Values of the largest hidden activation (rows times hidden units) trained in unit groups: 2^14, 128 rows of
     * 128 units. Against row ranges on 2 cores, for 784-128-10 (medians of 6-10 alternating runs): 0.88 of the time
     * at 64 rows (10 rounds; 6 other rounds gave 1.02), 0.82 at 128, 1.01 at 256, 1.10 at 512 and 1.06 at 1,024.
     */
    static final long GROUP_VALUES = 1 << 14;

    /**
     * One step graph: feed {@code indices} ({@code unroll} rows of batch indices; null when the graph reads the
     * dataset in its stored order), fetch the per-step values. {@code losses} times {@code lossScale} are the steps'
     * mean losses, and the square root of twice {@code halfSquares} times {@code gradientScale} their gradient norms:
     * constant factors are applied outside the graph, and to the learning rate, rather than to every row.
     */
    record Step(Placeholder<TInt32> indices, Operand<TNumber> losses, Operand<TNumber> halfSquares, Op target,
                int unroll, double lossScale, double gradientScale) {

        double loss(double value) {
            return value * lossScale;
        }

        double norm(double halfSquare) {
            return Math.sqrt(2 * halfSquare) * gradientScale;
        }
    }

    private record Key(OptimizerSpec optimizer, int chunks, int groups, int unroll, int rows, int batchRows,
                       boolean ordered) {
    }

    private record SlotsKey(OptimizerSpec optimizer, int groups) {
    }

    /**
     * A dense network's sums over one row range: its loss sum, the pieces its gradients are made of, and for each
     * parameter the ops of this range that read it.
     */
    private record Pieces(Operand<TNumber> lossSum, List<Operand<TNumber>> terms, List<List<Op>> readers) {
    }

    private final Graph graph;
    private final Ops tf;
    private final ModelSpec spec;
    private final Precision precision;
    private final Class<TNumber> dtype;
    private final List<Variable<TNumber>> variables;
    private final Operand<TNumber> dataX;
    private final Operand<TNumber> dataXOnes;
    private final Operand<TNumber> dataY;
    private final Map<SlotsKey, Slots> slots = new HashMap<>();
    private final Map<Key, Step> steps = new HashMap<>();
    /** For each number of unit groups, the first layer's kernel cut into column blocks, one variable each. */
    private final Map<Integer, List<Variable<TNumber>>> groupKernels = new HashMap<>();
    private final Map<Integer, Op> copyBacks = new HashMap<>();
    private final Map<Integer, Op> copyIns = new HashMap<>();

    /**
     * {@code dataY} holds the targets, or for softmax cross-entropy the labels one-hot encoded (gathering a row of
     * them is one operation, encoding them each step two). For a single input feature, {@code dataXOnes} holds the
     * inputs with a column of ones, [x, 1]; otherwise it is null.
     */
    TfTraining(Graph graph, Ops tf, ModelSpec spec, Precision precision, Class<TNumber> dtype,
               List<Variable<TNumber>> variables, Operand<TNumber> dataX, Operand<TNumber> dataXOnes,
               Operand<TNumber> dataY) {
        this.graph = graph;
        this.tf = tf;
        this.spec = spec;
        this.precision = precision;
        this.dtype = dtype;
        this.variables = variables;
        this.dataX = dataX;
        this.dataXOnes = dataXOnes;
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

    /**
     * Groups of hidden units a batch of {@code rows} rows is split into instead of row ranges, or 1 for row ranges.
     * A network of one dense hidden layer (and more than one input) on two or more threads is split by its hidden
     * units while the whole batch's hidden activation holds at most {@link #GROUP_VALUES} values: each thread then
     * computes its own units' activations and the gradient of its own columns of the first kernel over all rows.
     * Unlike row ranges, no thread reads the other's part of the largest parameter, no gradient is summed across
     * threads, and each first-layer weight is updated once per step; at larger batches row ranges were faster.
     */
    static int unitGroups(ModelSpec spec, int rows, int threads) {
        if (threads < 2 || spec.inputSize() == 1 || !oneDenseHiddenLayer(spec)) {
            return 1;
        }
        int units = ((DenseLayer) spec.layers().get(0)).units();
        return (long) rows * units > GROUP_VALUES ? 1 : Math.max(1, Math.min(threads, units / MIN_GROUP_UNITS));
    }

    /** Whether the net is two dense layers: one hidden layer and the output (the shape unit groups split). */
    private static boolean oneDenseHiddenLayer(ModelSpec spec) {
        return spec.layers().size() == 2 && spec.layers().stream().allMatch(l -> l instanceof DenseLayer);
    }

    /**
     * The op to run before a training run with these step graphs: zeroes the optimizer's state (moments, step
     * counts), and with unit groups copies the first kernel's columns into the groups' variables.
     */
    Op reset(OptimizerSpec optimizer, int groups) {
        return slotsOf(optimizer, groups).reset;
    }

    /**
     * The graph of {@code unroll} steps on batches of {@code rows} rows cut into {@code chunks} ranges, or with
     * {@code groups} above 1 into that many groups of hidden units (see {@link #unitGroups}; {@code chunks} is then
     * 1). An {@code ordered} graph takes no indices: its one batch is the whole dataset in its stored order
     * (full-batch training, where the order changes nothing but rounding), read without a copy. {@code batchRows}
     * is the run's batch size, of which {@code rows} may be the shorter last batch (see {@link #forOptimizer}).
     */
    Step step(OptimizerSpec optimizer, int chunks, int groups, int unroll, int rows, int batchRows,
              boolean ordered) {
        if (groups > 1 && (chunks != 1 || !oneDenseHiddenLayer(spec))) {
            throw new IllegalArgumentException("only whole batches of a net of one dense hidden layer are split into "
                    + "unit groups, not " + chunks + " row ranges of " + spec);
        }
        return steps.computeIfAbsent(new Key(optimizer, chunks, groups, unroll, rows, batchRows, ordered),
                this::build);
    }

    private Slots slotsOf(OptimizerSpec optimizer, int groups) {
        return slots.computeIfAbsent(new SlotsKey(optimizer, groups), k -> {
            Ops o = tf.withSubScope("optimizer" + slots.size());
            if (groups == 1) {
                return new Slots(o, optimizer, variables, List.of());
            }
            List<Variable<TNumber>> trained = new ArrayList<>(groupKernels(groups));
            trained.addAll(variables.subList(1, variables.size()));
            return new Slots(o, optimizer, trained, List.of(copyIn(groups)));
        });
    }

    private List<Variable<TNumber>> groupKernels(int groups) {
        return groupKernels.computeIfAbsent(groups, n -> {
            List<Variable<TNumber>> kernels = new ArrayList<>();
            for (long size : groupSizes(n)) {
                kernels.add(tf.withSubScope("groups" + n).variable(Shape.of(spec.inputSize(), size), dtype));
            }
            return kernels;
        });
    }

    /** Hidden units of each of {@code groups} groups. */
    private long[] groupSizes(int groups) {
        return evenSizes(((DenseLayer) spec.layers().get(0)).units(), groups);
    }

    /** {@code total} cut into {@code parts} sizes as even as they come (row ranges, unit groups). */
    private static long[] evenSizes(long total, int parts) {
        long[] sizes = new long[parts];
        for (int p = 0; p < parts; p++) {
            sizes[p] = total * (p + 1) / parts - total * p / parts;
        }
        return sizes;
    }

    /** The fed {@code [unroll, rows]} batch indices of a step graph; null for one that reads the stored order. */
    private static Placeholder<TInt32> indices(Ops o, Key key) {
        return key.ordered() ? null
                : o.placeholder(TInt32.class, Placeholder.shape(Shape.of(key.unroll(), key.rows())));
    }

    /** Every (step, piece) part of the fed indices, cut by one op: {@code unroll} batches of pieces of these sizes. */
    private static List<Operand<TInt32>> indexPieces(Ops o, Placeholder<TInt32> indices, int unroll, long[] sizes) {
        long[] all = new long[unroll * sizes.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = sizes[i % sizes.length];
        }
        return split(o, o.reshape(indices, o.constant(new int[] {-1})), all);
    }

    private Step build(Key key) {
        if (key.groups() > 1) {
            return buildGrouped(key);
        }
        Slots optimizer = slotsOf(key.optimizer(), 1);
        String name = "train" + steps.size();
        Ops o = tf.withSubScope(name);
        int chunks = key.chunks();
        long[] sizes = evenSizes(key.rows(), chunks);
        Placeholder<TInt32> indices = indices(o, key);
        // every (step, range) piece of the fed indices, or the dataset's ranges, each cut by one op
        List<Operand<TInt32>> parts = new ArrayList<>();
        List<Operand<TNumber>> orderedX = new ArrayList<>();
        List<Operand<TNumber>> orderedXOnes = new ArrayList<>();
        List<Operand<TNumber>> orderedY = new ArrayList<>();
        boolean dense = spec.layers().stream().allMatch(l -> l instanceof DenseLayer);
        boolean withOnes = dense && dataXOnes != null;
        if (key.ordered()) {
            orderedX.addAll(split(o, dataX, sizes));
            orderedY.addAll(split(o, dataY, sizes));
            if (withOnes) {
                orderedXOnes.addAll(split(o, dataXOnes, sizes));
            }
        } else {
            parts.addAll(indexPieces(o, indices, key.unroll(), sizes));
        }
        double lossScale = dense ? denseLossScale(key.rows()) : 1;
        double gradientScale = dense ? denseGradientScale(key.rows()) : 1;
        List<Operand<TNumber>> losses = new ArrayList<>();
        List<Operand<TNumber>> halfSquares = new ArrayList<>();
        List<Op> previous = List.of();
        for (int k = 0; k < key.unroll(); k++) {
            Ops s = previous.isEmpty() ? o : o.withControlDependencies(previous);
            List<Operand<TNumber>> params = new ArrayList<>();
            for (Variable<TNumber> v : variables) {
                params.add(s.identity(v));
            }
            List<Operand<TNumber>> sums = new ArrayList<>();
            List<Pieces> pieces = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                Operand<TNumber> x;
                Operand<TNumber> xOnes = null;
                Operand<TNumber> y;
                if (key.ordered()) {
                    x = orderedX.get(c);
                    y = orderedY.get(c);
                    xOnes = withOnes ? orderedXOnes.get(c) : null;
                } else {
                    Operand<TInt32> part = parts.get(k * chunks + c);
                    x = o.gather(dataX, part, o.constant(0));
                    y = o.gather(dataY, part, o.constant(0));
                    xOnes = withOnes ? o.gather(dataXOnes, part, o.constant(0)) : null;
                }
                if (dense) {
                    Pieces p = densePieces(o, x, xOnes, y, params);
                    sums.add(p.lossSum());
                    pieces.add(p);
                } else {
                    sums.add(lossSum(o, TfForward.build(o, spec, x, params, true), y));
                }
            }
            Operand<TNumber> loss = sum(o, sums);
            List<Operand<TNumber>> gradients = new ArrayList<>();
            if (dense) {
                List<Operand<TNumber>> summed = new ArrayList<>();
                for (int i = 0; i < pieces.get(0).terms().size(); i++) {
                    List<Operand<TNumber>> t = new ArrayList<>();
                    for (Pieces chunk : pieces) {
                        t.add(chunk.terms().get(i));
                    }
                    summed.add(sum(o, t));
                }
                gradients.addAll(denseGradients(o, summed, params));
            } else {
                Operand<TNumber> mean = o.math.div(loss, scalar(o, key.rows()));
                loss = mean;
                Output<?>[] grads = graph.addGradients(name + "_step" + k + "_gradients",
                        new Output<?>[] {mean.asOutput()},
                        params.stream().map(Operand::asOutput).toArray(Output<?>[]::new),
                        new Output<?>[] {o.dtypes.cast(o.constant(1.0), dtype).asOutput()});
                for (Output<?> g : grads) {
                    @SuppressWarnings("unchecked")
                    Operand<TNumber> gt = (Operand<TNumber>) g;
                    gradients.add(gt);
                }
            }
            losses.add(loss);
            halfSquares.add(halfSquare(o, gradients));
            // reference variables are updated in place while the backward pass may still read them: an update
            // waits for every read of its parameter in this step (here: for every gradient of the step)
            if (dense && chunks > 1 && spec.inputSize() != 1 && key.optimizer() instanceof Sgd sgd
                    && sgd.momentum() == 0) {
                previous = applyPerChunk(o, pieces, sgd.learningRate() * gradientScale);
            } else {
                Ops afterAll = o.withControlDependencies(new ArrayList<Op>(gradients));
                Scaled scaled = dense ? forOptimizer(o, gradients, key) : new Scaled(gradients, 1);
                previous = optimizer.apply(afterAll, java.util.Collections.nCopies(gradients.size(), afterAll),
                        scaled.gradients(), scaled.scale());
            }
        }
        return new Step(indices, o.stack(losses), o.stack(halfSquares), o.withControlDependencies(previous).noOp(),
                key.unroll(), lossScale, gradientScale);
    }

    /** Gradients as an optimizer takes them: the true gradients divided by {@code scale}. */
    private record Scaled(List<Operand<TNumber>> gradients, double scale) {
    }

    /**
     * A dense network's gradient sums (the true gradients divided by {@link #denseGradientScale} of the step's rows)
     * as the optimizer takes them. Plain SGD applies each step's own scale. Momentum and Adam add up gradients of
     * many steps in their state, which must therefore hold sums over one number of rows: a shorter last batch's
     * sums are scaled up to the run's batch size (without this, a last batch of 16 rows after batches of 64 counted
     * a quarter as much in Adam's moments as PyTorch's mean gradients give it).
     */
    private Scaled forOptimizer(Ops o, List<Operand<TNumber>> gradients, Key key) {
        boolean stateful = !(key.optimizer() instanceof Sgd sgd && sgd.momentum() == 0);
        if (!stateful || key.rows() == key.batchRows()) {
            return new Scaled(gradients, denseGradientScale(key.rows()));
        }
        Operand<TNumber> up = scalar(o, denseGradientScale(key.rows()) / denseGradientScale(key.batchRows()));
        List<Operand<TNumber>> scaled = new ArrayList<>();
        for (Operand<TNumber> g : gradients) {
            scaled.add(o.math.mul(g, up));
        }
        return new Scaled(scaled, denseGradientScale(key.batchRows()));
    }

    /** A dense network's step loss sums times this are mean losses. */
    private double denseLossScale(int rows) {
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            // float64 sums the log-probabilities of the labels, float32 the fused kernel's losses
            return (precision == Precision.FLOAT32 ? 1.0 : -1.0) / rows;
        }
        // half the squared errors (L2Loss)
        return 2.0 / rows / spec.outputSize();
    }

    /** A dense network's gradient sums times this are the gradients of the mean loss. */
    private double denseGradientScale(int rows) {
        // for squared error, the errors themselves are the output's gradient
        return spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY ? 1.0 / rows : 2.0 / rows / spec.outputSize();
    }

    /**
     * The step graph of a one-hidden-layer network split into groups of hidden units (see {@link #unitGroups}).
     * Group {@code g} owns its columns of the first kernel (a variable of its own, copied in by the reset and back
     * by {@link #copyBack}), its slice of the first bias and its rows of the second kernel; it computes its
     * units' activations and their share of the output for every row, and after the loss its own gradients. The
     * groups meet only at the output: the sum of their shares, and the small last-layer gradient.
     */
    private Step buildGrouped(Key key) {
        int groups = key.groups();
        Slots optimizer = slotsOf(key.optimizer(), groups);
        List<Variable<TNumber>> kernels = groupKernels(groups);
        long[] sizes = groupSizes(groups);
        List<DenseLayer> layers = denseLayers();
        Ops o = tf.withSubScope("train" + steps.size());
        Placeholder<TInt32> indices = indices(o, key);
        List<Operand<TInt32>> parts = key.ordered() ? List.of()
                : indexPieces(o, indices, key.unroll(), new long[] {key.rows()});
        double gradientScale = denseGradientScale(key.rows());
        List<Operand<TNumber>> losses = new ArrayList<>();
        List<Operand<TNumber>> halfSquares = new ArrayList<>();
        List<Op> previous = List.of();
        for (int k = 0; k < key.unroll(); k++) {
            Ops s = previous.isEmpty() ? o : o.withControlDependencies(previous);
            List<Operand<TNumber>> bias = split(o, s.identity(variables.get(1)), sizes);
            Operand<TNumber> kernel2 = s.identity(variables.get(2));
            List<Operand<TNumber>> kernel2Rows = split(o, kernel2, sizes);
            Operand<TNumber> bias2 = s.identity(variables.get(3));
            Operand<TNumber> x = key.ordered() ? dataX : o.gather(dataX, parts.get(k), o.constant(0));
            Operand<TNumber> y = key.ordered() ? dataY : o.gather(dataY, parts.get(k), o.constant(0));
            if (spec.inputShape().length > 1) {
                x = o.reshape(x, o.constant(new int[] {-1, spec.inputSize()}));
            }
            List<Operand<TNumber>> hidden = new ArrayList<>();
            List<Operand<TNumber>> shares = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                Operand<TNumber> z = o.nn.biasAdd(o.linalg.matMul(x, s.identity(kernels.get(g))), bias.get(g));
                Operand<TNumber> h = activation(o, layers.get(0), z);
                hidden.add(h);
                Operand<TNumber> share = o.linalg.matMul(h, kernel2Rows.get(g));
                // the output bias rides on the first share (one fused kernel, one op less where the groups meet)
                shares.add(g == 0 ? o.nn.biasAdd(share, bias2) : share);
            }
            Operand<TNumber> out = activation(o, layers.get(1), sum(o, shares));
            Operand<TNumber>[] lossAndDelta = lossAndDelta(o, out, y);
            Operand<TNumber> dOut = activationGradient(o, layers.get(1), lossAndDelta[1], out);
            List<Operand<TNumber>> gradients = new ArrayList<>();
            List<Operand<TNumber>> biasGradients = new ArrayList<>();
            List<Operand<TNumber>> kernel2Gradients = new ArrayList<>();
            List<Op> kernel2Reads = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                Operand<TNumber> back = o.linalg.matMul(dOut, kernel2Rows.get(g), MatMul.transposeB(true));
                kernel2Reads.add(back);
                Operand<TNumber> dz = activationGradient(o, layers.get(0), back, hidden.get(g));
                gradients.add(o.linalg.matMul(x, dz, MatMul.transposeA(true)));
                biasGradients.add(o.nn.biasAddGrad(dz));
                kernel2Gradients.add(o.linalg.matMul(hidden.get(g), dOut, MatMul.transposeA(true)));
            }
            gradients.add(concat(o, biasGradients));
            gradients.add(concat(o, kernel2Gradients));
            gradients.add(o.nn.biasAddGrad(dOut));
            losses.add(lossAndDelta[0]);
            halfSquares.add(halfSquare(o, gradients));
            // a group's kernel is read by its own forward product only, which its gradient follows; the shared
            // parameters wait for every gradient, and the second kernel also for its backward reads
            List<Op> afterAll = new ArrayList<>(gradients);
            afterAll.addAll(kernel2Reads);
            List<Ops> each = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                each.add(o);
            }
            for (int i = groups; i < gradients.size(); i++) {
                each.add(o.withControlDependencies(afterAll));
            }
            Scaled scaled = forOptimizer(o, gradients, key);
            previous = optimizer.apply(s, each, scaled.gradients(), scaled.scale());
        }
        return new Step(indices, o.stack(losses), o.stack(halfSquares), o.withControlDependencies(previous).noOp(),
                key.unroll(), denseLossScale(key.rows()), gradientScale);
    }

    /**
     * The op that copies the unit groups' kernel columns back into the model's first kernel, run between session
     * calls whenever the model may be read (copying after every call cost about 5% of an epoch at batch 64); null
     * for 1 group.
     */
    Op copyBack(int groups) {
        if (groups == 1) {
            return null;
        }
        return copyBacks.computeIfAbsent(groups, n -> {
            Ops o = tf.withSubScope("groups" + n + "_copy_back");
            List<Operand<TNumber>> columns = new ArrayList<>();
            for (Variable<TNumber> k : groupKernels(n)) {
                columns.add(o.identity(k));
            }
            return o.assign(variables.get(0), concat(o, columns, 1));
        });
    }

    /**
     * The op that copies the model's first kernel into the unit groups' kernel columns: part of the reset before a
     * run, and run again whenever the parameters are set during a run (by a listener), so that the steps after it
     * go on from them; null for 1 group.
     */
    Op copyIn(int groups) {
        if (groups == 1) {
            return null;
        }
        return copyIns.computeIfAbsent(groups, n -> {
            Ops o = tf.withSubScope("groups" + n + "_copy_in");
            List<Variable<TNumber>> kernels = groupKernels(n);
            List<Op> copies = new ArrayList<>();
            long[] sizes = groupSizes(n);
            long from = 0;
            for (int g = 0; g < n; g++) {
                copies.add(o.assign(kernels.get(g), o.slice(variables.get(0), o.constant(new long[] {0, from}),
                        o.constant(new long[] {-1, sizes[g]}))));
                from += sizes[g];
            }
            return o.withControlDependencies(copies).noOp();
        });
    }

    private static Operand<TNumber> concat(Ops o, List<? extends Operand<TNumber>> parts) {
        return concat(o, parts, 0);
    }

    private static Operand<TNumber> concat(Ops o, List<? extends Operand<TNumber>> parts, int axis) {
        return parts.size() == 1 ? parts.get(0) : o.concat(new ArrayList<Operand<TNumber>>(parts), o.constant(axis));
    }

    private static Operand<TNumber> activation(Ops o, DenseLayer layer, Operand<TNumber> z) {
        return switch (layer.activation()) {
            case RELU -> o.nn.relu(z);
            case TANH -> o.math.tanh(z);
            case SIGMOID -> o.math.sigmoid(z);
            case IDENTITY -> z;
        };
    }

    /**
     * The summed loss of a dense network's {@code output} over its rows (times the step's loss scale: the mean),
     * and its gradient with respect to the output, unscaled.
     */
    private Operand<TNumber>[] lossAndDelta(Ops o, Operand<TNumber> output, Operand<TNumber> target) {
        Operand<TNumber>[] result = newArray(2);
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            if (precision == Precision.FLOAT32) {
                SoftmaxCrossEntropyWithLogits<TNumber> ce = o.nn.softmaxCrossEntropyWithLogits(output, target);
                result[0] = o.reduceSum(ce.loss(), o.constant(0));
                result[1] = ce.backprop();
            } else {
                Operand<TNumber> logProbabilities = o.nn.logSoftmax(output);
                result[0] = o.reduceSum(o.math.mul(target, logProbabilities), o.constant(new int[] {0, 1}));
                result[1] = o.math.sub(o.math.exp(logProbabilities), target);
            }
        } else {
            result[1] = o.math.sub(output, target);
            result[0] = o.nn.l2Loss(result[1]);
        }
        return result;
    }

    /**
     * Plain SGD is linear in the gradient: each range's share is applied on its own, as soon as it is ready and
     * every range has read the parameter, in range order (so reruns stay bit-identical). The summed gradient then
     * only feeds the reported norm, off the path to the next step: at batch 64 the sum of the first layer's two
     * 784x128 shares waited between the last backward product and the next step, and an epoch took about 12%
     * longer (medians of 11 alternating runs). Single-input nets are left out: their first term holds the kernel
     * and bias gradients together, and is cut apart only after the sum.
     */
    private List<Op> applyPerChunk(Ops o, List<Pieces> pieces, double learningRate) {
        Operand<TNumber> lr = scalar(o, learningRate);
        List<Op> last = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Op previousApply = null;
            for (Pieces p : pieces) {
                List<Op> deps = new ArrayList<>();
                deps.add(p.terms().get(i));
                for (Pieces q : pieces) {
                    deps.addAll(q.readers().get(i));
                }
                if (previousApply != null) {
                    deps.add(previousApply);
                }
                previousApply = o.withControlDependencies(deps).train.applyGradientDescent(variables.get(i), lr,
                        p.terms().get(i));
            }
            last.add(previousApply);
        }
        return last;
    }

    private static <T extends TType> List<Operand<T>> split(Ops o, Operand<T> value, long[] sizes) {
        if (sizes.length == 1) {
            return List.of(value);
        }
        List<Operand<T>> result = new ArrayList<>();
        for (Output<T> out : o.splitV(value, o.constant(sizes), o.constant(0), (long) sizes.length).output()) {
            result.add(out);
        }
        return result;
    }

    /** Half the squared norm of all the gradients together, for the reported gradient norm. */
    private static Operand<TNumber> halfSquare(Ops o, List<Operand<TNumber>> gradients) {
        List<Operand<TNumber>> halves = new ArrayList<>();
        for (Operand<TNumber> g : gradients) {
            halves.add(o.nn.l2Loss(g));
        }
        return sum(o, halves);
    }

    private static Operand<TNumber> sum(Ops o, List<Operand<TNumber>> terms) {
        return terms.size() == 1 ? terms.get(0) : o.math.addN(terms);
    }

    /** The sum over the rows of {@code target} of the per-sample loss of the network's {@code output}. */
    private Operand<TNumber> lossSum(Ops o, Operand<TNumber> output, Operand<TNumber> target) {
        Operand<TNumber> perSample;
        if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            // the fused kernel's gradient fails in float64 in this TensorFlow version
            perSample = precision == Precision.FLOAT32
                    ? o.nn.softmaxCrossEntropyWithLogits(output, target).loss()
                    : o.math.neg(o.reduceSum(o.math.mul(target, o.nn.logSoftmax(output)), o.constant(1)));
        } else {
            perSample = o.math.mean(o.math.squaredDifference(output, target), o.constant(1));
        }
        return o.reduceSum(perSample, o.constant(0));
    }

    /**
     * For a network of dense layers only, backpropagation written out over one row range: the loss summed over the
     * rows (times the step's loss scale: the mean), and the sums its gradients are made of, times the step's
     * gradient scale (see {@link #denseGradients}). Fewer operations than graph gradients (no shape bookkeeping), and
     * each activation's gradient reads the activation's output, so that the graph optimizer can fuse matrix product,
     * bias and ReLU into one kernel.
     */
    private Pieces densePieces(Ops o, Operand<TNumber> x, Operand<TNumber> xOnes, Operand<TNumber> target,
                               List<Operand<TNumber>> params) {
        List<DenseLayer> layers = denseLayers();
        List<Operand<TNumber>> inputs = new ArrayList<>();
        List<Operand<TNumber>> outputs = new ArrayList<>();
        Operand<TNumber> h = spec.inputShape().length > 1 ? o.reshape(x, o.constant(new int[] {-1, spec.inputSize()}))
                : x;
        List<List<Op>> readers = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            readers.add(new ArrayList<>());
        }
        for (int l = 0; l < layers.size(); l++) {
            inputs.add(h);
            Operand<TNumber> z = o.nn.biasAdd(o.linalg.matMul(h, params.get(2 * l)), params.get(2 * l + 1));
            h = activation(o, layers.get(l), z);
            outputs.add(h);
        }
        Operand<TNumber>[] lossAndDelta = lossAndDelta(o, h, target);
        Operand<TNumber> lossSum = lossAndDelta[0];
        Operand<TNumber> delta = lossAndDelta[1]; // gradient of the summed loss with respect to the output, unscaled
        List<Operand<TNumber>> terms = new ArrayList<>();
        int last = layers.size() - 1;
        if (hiddenMaskForm()) {
            // one input, one output, one ReLU layer between: the hidden layer's gradient is
            // diag(delta) mask diag(w2) for the ReLU mask, so its kernel and bias gradients are w2 times
            // [x delta, delta]^T mask, and the hidden-sized gradient is never formed
            Operand<TNumber> dOut = activationGradient(o, layers.get(last), delta, outputs.get(last));
            Operand<TNumber> hidden = outputs.get(0);
            terms.add(o.linalg.matMul(o.math.mul(xOnes, dOut), o.math.sign(hidden), MatMul.transposeA(true)));
            terms.add(o.linalg.matMul(hidden, dOut, MatMul.transposeA(true)));
            terms.add(o.nn.biasAddGrad(dOut));
            readers.forEach(r -> r.add(dOut));
            return new Pieces(lossSum, terms, readers);
        }
        Operand<TNumber>[] byLayer = newArray(2 * layers.size());
        for (int l = last; l >= 0; l--) {
            Operand<TNumber> dz = activationGradient(o, layers.get(l), delta, outputs.get(l));
            // the activation's gradient follows every forward read of the layer's parameters
            readers.get(2 * l).add(dz);
            readers.get(2 * l + 1).add(dz);
            Operand<TNumber> in = inputs.get(l);
            if (l == 0 && spec.inputSize() == 1) {
                // one product with [x, 1] gives the first layer's kernel and bias gradients: one pass, not two
                byLayer[0] = o.linalg.matMul(xOnes, dz, MatMul.transposeA(true));
                byLayer[1] = null;
            } else {
                byLayer[2 * l] = o.linalg.matMul(in, dz, MatMul.transposeA(true));
                byLayer[2 * l + 1] = o.nn.biasAddGrad(dz);
            }
            if (l > 0) {
                delta = o.linalg.matMul(dz, params.get(2 * l), MatMul.transposeB(true));
                readers.get(2 * l).add(delta);
            }
        }
        for (Operand<TNumber> t : byLayer) {
            if (t != null) {
                terms.add(t);
            }
        }
        return new Pieces(lossSum, terms, readers);
    }

    /**
     * The parameter gradients (times the step's gradient scale) from the batch sums of {@link #densePieces}: the
     * combined first-layer products are cut into kernel and bias rows once per step, not once per range.
     */
    private List<Operand<TNumber>> denseGradients(Ops o, List<Operand<TNumber>> summed, List<Operand<TNumber>> params) {
        if (spec.inputSize() != 1) {
            return summed;
        }
        Operand<TNumber> both = summed.get(0);
        if (hiddenMaskForm()) {
            both = o.math.mul(both, o.reshape(params.get(2), o.constant(new int[] {1, -1})));
        }
        List<Operand<TNumber>> gradients = new ArrayList<>();
        gradients.add(o.slice(both, o.constant(new int[] {0, 0}), o.constant(new int[] {1, -1})));
        gradients.add(o.reshape(o.slice(both, o.constant(new int[] {1, 0}), o.constant(new int[] {1, -1})),
                o.constant(new int[] {-1})));
        gradients.addAll(summed.subList(1, summed.size()));
        return gradients;
    }

    /** Whether the network is one input, one ReLU hidden layer and one output (the function-fitting shape). */
    private boolean hiddenMaskForm() {
        List<DenseLayer> layers = denseLayers();
        return layers.size() == 2 && spec.inputSize() == 1 && spec.outputSize() == 1
                && layers.get(0).activation() == Activation.RELU;
    }

    private List<DenseLayer> denseLayers() {
        return spec.layers().stream().map(DenseLayer.class::cast).toList();
    }

    private static Operand<TNumber> activationGradient(Ops o, DenseLayer layer, Operand<TNumber> gradient,
                                                       Operand<TNumber> output) {
        return switch (layer.activation()) {
            case RELU -> o.nn.reluGrad(gradient, output);
            case TANH -> o.math.tanhGrad(output, gradient);
            case SIGMOID -> o.math.sigmoidGrad(output, gradient);
            case IDENTITY -> gradient;
        };
    }

    @SuppressWarnings("unchecked")
    private static Operand<TNumber>[] newArray(int size) {
        return new Operand[size];
    }

    private Operand<TNumber> scalar(Ops o, double value) {
        return o.dtypes.cast(o.constant(value), dtype);
    }

    /** An optimizer's state variables, shared by every step graph that uses it. */
    private final class Slots {
        private final OptimizerSpec spec;
        private final List<Variable<TNumber>> variables;
        private final List<Variable<TNumber>> first = new ArrayList<>();
        private final List<Variable<TNumber>> second = new ArrayList<>();
        private Variable<TNumber> beta1Power;
        private Variable<TNumber> beta2Power;
        private final Op reset;

        /** State for training {@code variables}; the reset also runs {@code preparations}. */
        Slots(Ops o, OptimizerSpec spec, List<Variable<TNumber>> variables, List<Op> preparations) {
            this.spec = spec;
            this.variables = variables;
            List<Op> resets = new ArrayList<>(preparations);
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

        /**
         * The ops of one step's updates, variable {@code i}'s recorded with {@code each.get(i)}'s control
         * dependencies, for {@code gradients} that are the true gradients divided by {@code scale}: plain and
         * momentum SGD take the scale into their learning rate, Adam (invariant to it but for epsilon) into its
         * epsilon. Constants, and the read of Adam's step count, are made with {@code u}, whose control
         * dependencies must follow the previous step's updates.
         */
        List<Op> apply(Ops u, List<Ops> each, List<Operand<TNumber>> gradients, double scale) {
            List<Op> updates = new ArrayList<>();
            Operand<TNumber> lr = scalar(u, spec instanceof Adam ? spec.learningRate() : spec.learningRate() * scale);
            if (spec instanceof Sgd sgd && sgd.momentum() == 0) {
                for (int i = 0; i < variables.size(); i++) {
                    updates.add(each.get(i).train.applyGradientDescent(variables.get(i), lr, gradients.get(i)));
                }
                return updates;
            }
            if (spec instanceof Sgd sgd) {
                Operand<TNumber> momentum = scalar(u, sgd.momentum());
                for (int i = 0; i < variables.size(); i++) {
                    updates.add(each.get(i).train.applyMomentum(variables.get(i), first.get(i), lr,
                            gradients.get(i), momentum));
                }
                return updates;
            }
            Adam adam = (Adam) spec;
            Operand<TNumber> beta1 = scalar(u, adam.beta1());
            Operand<TNumber> beta2 = scalar(u, adam.beta2());
            // TensorFlow's kernel adds epsilon to sqrt(v) before bias correction; scaling it by sqrt(1 - beta2^t)
            // gives exactly the paper's (and PyTorch's) update, which adds it after
            Operand<TNumber> epsilon = u.math.mul(scalar(u, adam.epsilon() / scale),
                    u.math.sqrt(u.math.sub(scalar(u, 1), beta2Power)));
            for (int i = 0; i < variables.size(); i++) {
                updates.add(each.get(i).train.applyAdam(variables.get(i), first.get(i), second.get(i), beta1Power,
                        beta2Power, lr, beta1, beta2, epsilon, gradients.get(i)));
            }
            Ops after = u.withControlDependencies(updates);
            return List.of(after.assign(beta1Power, after.math.mul(beta1Power, beta1)),
                    after.assign(beta2Power, after.math.mul(beta2Power, beta2)));
        }
    }
}
