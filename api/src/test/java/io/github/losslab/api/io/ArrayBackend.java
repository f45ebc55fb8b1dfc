package io.github.losslab.api.io;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Batch;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterInit;
import io.github.losslab.api.train.Metric;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.TrainingConfig;
import io.github.losslab.api.train.TrainingHistory;
import io.github.losslab.api.train.TrainingListener;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A backend whose models only hold their parameters (rounded to float in float32), for tests of saving. */
final class ArrayBackend implements Backend {

    @Override
    public String name() {
        return "array";
    }

    @Override
    public String version() {
        return "test";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public BackendOptions options() {
        return BackendOptions.DEFAULT;
    }

    @Override
    public Model createModel(ModelSpec spec, Precision precision, long seed) {
        ArrayModel m = new ArrayModel(spec, precision);
        m.setParameters(ParameterInit.initial(spec, seed));
        return m;
    }

    static final class ArrayModel implements Model {
        private final ModelSpec spec;
        private final Precision precision;
        private double[] theta;

        ArrayModel(ModelSpec spec, Precision precision) {
            this.spec = spec;
            this.precision = precision;
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
            layout().checkLength(values);
            theta = values.clone();
            if (precision == Precision.FLOAT32) {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = (float) theta[i];
                }
            }
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
}
