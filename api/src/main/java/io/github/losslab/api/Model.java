package io.github.losslab.api;

import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterLayout;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network built by a {@link Backend} from a {@link ModelSpec}, holding native resources until
 * {@link #close()} (which may be called more than once). Parameters cross the api as one flat vector laid out
 * by {@link ModelSpec#layout()}. A model is not safe for concurrent use.
 */
public interface Model extends AutoCloseable {

    ModelSpec spec();

    Precision precision();

    /** Where each named parameter tensor sits in the flat vector. */
    default ParameterLayout layout() {
        return spec().layout();
    }

    default int parameterCount() {
        return layout().size();
    }

    /** A copy of all parameters as one flat vector. */
    double[] parameters();

    /** Replaces all parameters; optimizer state (momentum, Adam moments) is reset. */
    void setParameters(double[] values);

    /**
     * Raw outputs (logits for cross-entropy models) of {@code rows} samples given row-major.
     *
     * @return {@code rows * spec().outputSize()} values, row-major
     */
    double[] predict(double[] features, int rows);

    /** Mean loss over the batch. */
    double loss(Batch batch);

    /** Mean loss over the batch and its gradient with respect to the parameters. */
    LossAndGradient lossAndGradient(Batch batch);

    /**
     * Gradient of each sample's own loss with respect to that sample's features: row {@code i} is
     * {@code d loss_i / d x_i} (the gradient of the summed, not the averaged, loss).
     *
     * @return {@code rows * featureSize} values, row-major
     */
    double[] inputGradient(Batch batch);

    /**
     * Jacobian of each sample's outputs with respect to its own features: for sample {@code i}, output {@code k}
     * and feature {@code j} the value {@code d f_k(x_i) / d x_ij} sits at {@code (i * outputs + k) * features + j}.
     * With {@code softmax} the outputs are the softmax probabilities of the logits (Novak et al. 2018 measure
     * sensitivity as the Frobenius norm of that Jacobian). The default uses central differences of
     * {@link #predict}; backends compute it exactly.
     */
    default double[] outputJacobian(double[] features, int rows, boolean softmax) {
        return FiniteDifferenceJacobian.apply(this, features, rows, softmax);
    }

    /**
     * The product of the Hessian of the mean batch loss (with respect to the parameters) with {@code v}. Backends
     * compute it exactly where they can; the default uses {@link FiniteDifferenceHvp}. See
     * {@link #curvatureMethod()}.
     */
    default double[] hessianVectorProduct(Batch batch, double[] v) {
        return FiniteDifferenceHvp.apply(this, batch, v);
    }

    /**
     * {@link #hessianVectorProduct} for each of several directions, in order. Backends that can compute several
     * products in one native call, or in parallel, override this; the default computes them one by one.
     */
    default double[][] hessianVectorProducts(Batch batch, double[][] vs) {
        double[][] out = new double[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            out[i] = hessianVectorProduct(batch, vs[i]);
        }
        return out;
    }

    /** How {@link #hessianVectorProduct} is computed by this model. */
    default CurvatureMethod curvatureMethod() {
        return CurvatureMethod.FINITE_DIFFERENCES;
    }

    /** Metrics of the current parameters over a whole dataset (evaluated in chunks). */
    Map<Metric, Double> evaluate(Dataset data, Set<Metric> metrics);

    /**
     * Trains in place with the given optimizer. Optimizer state starts fresh at each call.
     *
     * @throws io.github.losslab.api.train.TrainingDivergedException when the loss becomes NaN or infinite
     */
    TrainingHistory train(Dataset data, OptimizerSpec optimizer, TrainingConfig config,
                          List<TrainingListener> listeners);

    /** Releases native resources; later calls of other methods fail. */
    @Override
    void close();
}
