package io.github.losslab.api.io;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Model;
import io.github.losslab.api.ParameterOnlyModel;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.ParameterInit;

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

    static final class ArrayModel extends ParameterOnlyModel {

        ArrayModel(ModelSpec spec, Precision precision) {
            super(spec, precision, null);
        }

        @Override
        public void setParameters(double[] values) {
            layout().checkLength(values);
            theta = values.clone();
            if (precision() == Precision.FLOAT32) {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = (float) theta[i];
                }
            }
        }
    }
}
