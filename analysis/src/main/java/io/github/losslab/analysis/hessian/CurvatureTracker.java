package io.github.losslab.analysis.hessian;

import io.github.losslab.analysis.linalg.Vectors;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.TrainingListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Curvature during training: a {@link TrainingListener} that, every {@code every} optimizer steps, measures the
 * Hessian of the mean loss over a fixed sample of the training set at the current parameters: its largest eigenvalue
 * (Lanczos), Hutchinson's trace estimate and, when asked for, its eigenvalue density (stochastic Lanczos
 * quadrature). Cohen, Kaur, Li, Kolter and Talwalkar ("Gradient Descent on Neural Networks Typically Occurs at the
 * Edge of Stability", ICLR 2021) track the largest eigenvalue this way, every few steps of full-batch gradient
 * descent on a fixed subset.
 *
 * <p>The Hessian changes little between measurements, so each Lanczos process starts from the previous top
 * eigenvector ({@link LanczosEigensolver.Builder#start}) with a random direction of relative norm
 * {@value #WARM_START_NOISE} mixed in: the first keeps it close to the new top eigenvector (fewer products), the
 * second keeps every direction in the Krylov space, so that a new eigenvalue that overtakes the old top one is found
 * as from a random start. The trace and the density use the same probes at every measurement (common random
 * numbers), so that their changes from one step to the next are the Hessian's, not the probes'.
 *
 * <p>Call {@link #measure} before training for the initial parameters (step 0). The listener reads the model after
 * every {@code every}-th step only ({@link #readsModelEvery()}), so a backend may run the steps between in one
 * native call. Like the model, a tracker is not safe for concurrent use.
 *
 * <pre>{@code
 * CurvatureTracker tracker = CurvatureTracker.builder(trainingSet).every(10).build();
 * tracker.measure(model, 0);
 * model.train(trainingSet, OptimizerSpec.sgd(0.05), config, List.of(tracker));
 * List<CurvatureMeasurement> sharpness = tracker.measurements();
 * }</pre>
 */
public final class CurvatureTracker implements TrainingListener {

    /**
     * Optimizer steps between two measurements. A Hessian-vector product costs about two gradients (with the
     * TensorFlow backend, on {@code edge-of-stability}'s 784-32-32-32-10 MLP and 1,000 digits: 3.1 ms, against
     * 1.7 ms for a full-batch training step, 2.3 ms each in the trace's block of 8), and a warm-started measurement
     * takes about 4.6 of them for the eigenvalue and {@link #DEFAULT_TRACE_PROBES} for the trace: about as much as
     * the 20 steps between measurements, so that tracking at the defaults roughly doubles a training's time (the
     * eigenvalue alone adds about half; {@code losslab bench --only curvature-tracker}). Measuring less often
     * divides the overhead accordingly.
     */
    public static final int DEFAULT_EVERY = 20;
    /**
     * Relative Ritz residual of the largest eigenvalue: its error is about the square of this times the eigenvalue
     * over the gap to the next one, far below the changes a training makes.
     */
    public static final double DEFAULT_TOLERANCE = 1e-3;
    /** Hutchinson probes of each trace estimate: one block of products, computed in one native call. */
    public static final int DEFAULT_TRACE_PROBES = 8;
    /** The norm of the random direction mixed into a warm start, relative to the previous top eigenvector's (1). */
    public static final double WARM_START_NOISE = 0.1;

    private final Dataset sample;
    private final int every;
    private final double tolerance;
    private final int maxIterations;
    private final int traceProbes;
    private final int densityProbes;
    private final int densitySteps;
    private final boolean warmStart;
    private final long probeSeed;
    private final SplittableRandom random;
    private final List<CurvatureMeasurement> measurements = new ArrayList<>();
    private HessianOperator operator;
    private double[] topVector;
    private long products;
    private double seconds;

    private CurvatureTracker(Builder b) {
        this.sample = b.sample;
        this.every = b.every;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.traceProbes = b.traceProbes;
        this.densityProbes = b.densityProbes;
        this.densitySteps = b.densitySteps;
        this.warmStart = b.warmStart;
        SplittableRandom root = new SplittableRandom(b.seed);
        this.probeSeed = root.nextLong();
        this.random = root.split();
    }

    /** A tracker measuring the Hessian of the mean loss over {@code sample} (a fixed subset of the training set). */
    public static Builder builder(Dataset sample) {
        return new Builder(sample);
    }

    /** Measures after every {@code every}-th step. */
    @Override
    public void onStep(Model model, int epoch, long step, double loss, double gradientNorm) {
        if (step % every == 0) {
            measure(model, step);
        }
    }

    /** The model is read after the steps it is measured at (for backends that know only this question). */
    @Override
    public boolean readsModelEveryStep() {
        return true;
    }

    /** The model is read after every {@code every}-th step only. */
    @Override
    public int readsModelEvery() {
        return every;
    }

    /**
     * Measures the curvature at the model's current parameters and records it as the measurement of {@code step}
     * (0 for the parameters before training).
     */
    public CurvatureMeasurement measure(Model model, long step) {
        Objects.requireNonNull(model, "model");
        long start = System.nanoTime();
        if (operator == null || operator.model() != model) {
            operator = HessianOperator.of(model, sample);
            topVector = null;
        }
        long before = operator.products();
        LanczosEigensolver.Builder solver = LanczosEigensolver.builder().top(1).tolerance(tolerance)
                .maxIterations(maxIterations).seed(random.nextLong()).computeVectors(true);
        if (warmStart && topVector != null) {
            double[] noise = Vectors.gaussian(topVector.length, random.split());
            solver.start(Vectors.plus(topVector, WARM_START_NOISE / Vectors.norm(noise), noise));
        }
        LanczosResult top = solver.build().solve(operator);
        topVector = top.topVector(0);
        double trace = Double.NaN;
        double traceError = Double.NaN;
        if (traceProbes > 0) {
            TraceEstimate t = HutchinsonTrace.estimate(operator, traceProbes, probeSeed);
            trace = t.mean();
            traceError = t.standardError();
        }
        SpectralDensity density = densityProbes > 0
                ? SpectralDensity.estimate(operator, densityProbes, densitySteps, probeSeed) : null;
        long used = operator.products() - before;
        double took = (System.nanoTime() - start) / 1e9;
        products += used;
        seconds += took;
        CurvatureMeasurement m = new CurvatureMeasurement(step, top.largest(), top.topResiduals()[0],
                top.iterations(), top.converged(), trace, traceError, density, used, took);
        measurements.add(m);
        return m;
    }

    /** The measurements so far, in the order they were made. */
    public List<CurvatureMeasurement> measurements() {
        return Collections.unmodifiableList(new ArrayList<>(measurements));
    }

    /** Hessian-vector products of all measurements so far. */
    public long products() {
        return products;
    }

    /** Wall time of all measurements so far. */
    public double seconds() {
        return seconds;
    }

    /** Optimizer steps between two measurements. */
    public int every() {
        return every;
    }

    /** Samples the Hessian is averaged over. */
    public int samples() {
        return sample.size();
    }

    /** Configures a {@link CurvatureTracker}; every setting but the sample has a default. */
    public static final class Builder {
        private final Dataset sample;
        private int every = DEFAULT_EVERY;
        private double tolerance = DEFAULT_TOLERANCE;
        private int maxIterations;
        private int traceProbes = DEFAULT_TRACE_PROBES;
        private int densityProbes;
        private int densitySteps = SpectralDensity.DEFAULT_STEPS;
        private boolean warmStart = true;
        private long seed;

        private Builder(Dataset sample) {
            this.sample = Objects.requireNonNull(sample, "sample");
        }

        /** Measures after every {@code steps}-th optimizer step (default {@value #DEFAULT_EVERY}). */
        public Builder every(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps between measurements must be at least 1, was " + steps);
            }
            this.every = steps;
            return this;
        }

        /** Relative Ritz residual of the largest eigenvalue (default {@value #DEFAULT_TOLERANCE}). */
        public Builder tolerance(double value) {
            this.tolerance = LanczosEigensolver.checkTolerance(value);
            return this;
        }

        /** Lanczos steps of a measurement at most; 0 (the default) for the solver's default. */
        public Builder maxIterations(int value) {
            this.maxIterations = LanczosEigensolver.checkMaxIterations(value);
            return this;
        }

        /** Hutchinson probes of each trace estimate (default {@value #DEFAULT_TRACE_PROBES}); 0 for no trace. */
        public Builder traceProbes(int probes) {
            if (probes != 0 && probes < 2) {
                throw new IllegalArgumentException("trace probes must be 0 (no trace) or at least 2 (for a standard "
                        + "error), was " + probes);
            }
            this.traceProbes = probes;
            return this;
        }

        /** Also measures the eigenvalue density: {@code probes} probes of {@code steps} Lanczos steps each. */
        public Builder density(int probes, int steps) {
            if (probes < 1 || steps < 1) {
                throw new IllegalArgumentException("a density needs at least 1 probe of at least 1 step, was "
                        + probes + " probes of " + steps + " steps");
            }
            this.densityProbes = probes;
            this.densitySteps = steps;
            return this;
        }

        /**
         * Whether each Lanczos process starts from the previous top eigenvector (default true); false starts every
         * measurement at random, for comparison.
         */
        public Builder warmStart(boolean value) {
            this.warmStart = value;
            return this;
        }

        /** Seed of the random starts and probes (default 0). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public CurvatureTracker build() {
            return new CurvatureTracker(this);
        }
    }
}
