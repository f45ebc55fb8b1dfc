package io.github.losslab.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.OptimizerSpec;
import io.github.losslab.api.train.Sgd;

/**
 * An optimizer's state and its in-place update, written out with PyTorch's rules ({@code torch.optim.SGD} without
 * dampening or Nesterov, {@code torch.optim.Adam} without weight decay or AMSGrad). DJL's own optimizers take their
 * hyper-parameters as float, which would round a float64 training. Call {@link #step} with recording paused.
 */
final class PtOptimizer implements AutoCloseable {

    private final OptimizerSpec spec;
    private final NDManager manager;
    private final Shape[] shapes;
    private final DataType dtype;
    /** Momentum buffers for SGD with momentum, first moments for Adam; null for plain SGD. */
    private NDArray[] first;
    /** Second moments for Adam; null otherwise. */
    private NDArray[] second;
    private long steps;

    /**
     * Fresh state shaped like {@code parameters}, owned by {@code manager}.
     */
    PtOptimizer(OptimizerSpec spec, NDManager manager, NDArray[] parameters, DataType dtype) {
        this.spec = spec;
        this.manager = manager;
        this.shapes = new Shape[parameters.length];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = parameters[i].getShape();
        }
        this.dtype = dtype;
        reset();
    }

    /** Forgets momentum, moments and the step count. */
    void reset() {
        closeState();
        steps = 0;
        boolean momentum = spec instanceof Sgd sgd && sgd.momentum() != 0;
        if (momentum || spec instanceof Adam) {
            first = zeros();
        }
        if (spec instanceof Adam) {
            second = zeros();
        }
    }

    private NDArray[] zeros() {
        NDArray[] z = new NDArray[shapes.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = manager.zeros(shapes[i], dtype);
        }
        return z;
    }

    /** Lends the state to {@code scope}, so that temporaries made from it belong to the scope. */
    void lendTo(NDManager scope) {
        for (NDArray[] state : new NDArray[][] {first, second}) {
            if (state != null) {
                for (NDArray a : state) {
                    a.tempAttach(scope);
                }
            }
        }
    }

    /** Updates {@code parameters} in place with their gradients. */
    void step(NDArray[] parameters, NDArray[] gradients) {
        steps++;
        if (spec instanceof Sgd sgd) {
            for (int i = 0; i < parameters.length; i++) {
                NDArray direction = gradients[i];
                if (sgd.momentum() != 0) {
                    // v = momentum * v + g (the first step gives v = g, as PyTorch's buffer starts at g)
                    direction = first[i].muli(sgd.momentum()).addi(gradients[i]);
                }
                parameters[i].subi(direction.mul(sgd.learningRate()));
            }
        } else if (spec instanceof Adam adam) {
            double bias1 = 1 - Math.pow(adam.beta1(), steps);
            double bias2 = 1 - Math.pow(adam.beta2(), steps);
            double stepSize = adam.learningRate() / bias1;
            double bias2Sqrt = Math.sqrt(bias2);
            for (int i = 0; i < parameters.length; i++) {
                NDArray g = gradients[i];
                first[i].muli(adam.beta1()).addi(g.mul(1 - adam.beta1()));
                second[i].muli(adam.beta2()).addi(g.square().muli(1 - adam.beta2()));
                NDArray denominator = second[i].sqrt().divi(bias2Sqrt).addi(adam.epsilon());
                parameters[i].subi(first[i].div(denominator).muli(stepSize));
            }
        } else {
            throw new IllegalArgumentException("unsupported optimizer " + spec);
        }
    }

    private void closeState() {
        for (NDArray[] state : new NDArray[][] {first, second}) {
            if (state != null) {
                for (NDArray a : state) {
                    a.close();
                }
            }
        }
        first = null;
        second = null;
    }

    @Override
    public void close() {
        closeState();
    }
}
