package io.github.losslab.api;

import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test model that only holds its parameters: every computation throws {@link UnsupportedOperationException}
 * unless a subclass overrides it.
 */
public class ParameterOnlyModel implements Model {

    private final ModelSpec spec;
    private final Precision precision;
    protected double[] theta;

    public ParameterOnlyModel(ModelSpec spec, Precision precision, double[] theta) {
        this.spec = spec;
        this.precision = precision;
        this.theta = theta == null ? null : theta.clone();
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
        return theta.clone();
    }

    @Override
    public void setParameters(double[] values) {
        theta = values.clone();
    }

    @Override
    public double[] predict(double[] features, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double loss(Batch batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public LossAndGradient lossAndGradient(Batch batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double[] inputGradient(Batch batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<Metric, Double> evaluate(Dataset data, Set<Metric> metrics) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TrainingHistory train(Dataset data, OptimizerSpec optimizer, TrainingConfig config,
                                 List<TrainingListener> listeners) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
