package io.github.losslab.tf;

import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.types.family.TNumber;

import java.util.List;

/**
 * Gradients of the activation-gradient ops that TensorFlow's C++ gradient registry lacks, so that gradients can be
 * differentiated a second time (Hessian-vector products by double backpropagation).
 *
 * <p>TensorFlow Java 1.1.0 crashes the JVM once an eleventh custom gradient is used in a process, so this class
 * registers only what losslab's graphs need, once per process, and counts them. Registration is global.
 */
final class TfSecondOrderGradients {

    /** The most custom gradients TensorFlow Java 1.1.0 survives in one process. */
    static final int NATIVE_LIMIT = 10;

    private static boolean registered;
    private static int count;

    private TfSecondOrderGradients() {
    }

    /** Registers the gradients of ReluGrad, TanhGrad and SigmoidGrad; later calls do nothing. */
    static synchronized void ensureRegistered() {
        if (registered) {
            return;
        }
        // ReluGrad(g, x) = g * [x > 0]: linear in g, zero derivative in x (almost everywhere)
        register("ReluGrad", (tf, op, grads) -> {
            Operand<TNumber> up = cast(grads.get(0));
            Operand<TNumber> features = cast(op.input(1));
            Operand<TNumber> mask = tf.dtypes.cast(tf.math.greater(features, tf.zerosLike(features)), features.type());
            return List.of(tf.math.mul(up, mask), tf.zerosLike(features));
        });
        // TanhGrad(y, dy) = dy * (1 - y^2)
        register("TanhGrad", (tf, op, grads) -> {
            Operand<TNumber> up = cast(grads.get(0));
            Operand<TNumber> y = cast(op.input(0));
            Operand<TNumber> dy = cast(op.input(1));
            Operand<TNumber> one = tf.onesLike(y);
            Operand<TNumber> two = tf.math.add(one, one);
            return List.of(tf.math.mul(up, tf.math.mul(dy, tf.math.neg(tf.math.mul(two, y)))),
                    tf.math.mul(up, tf.math.sub(one, tf.math.mul(y, y))));
        });
        // SigmoidGrad(y, dy) = dy * y * (1 - y)
        register("SigmoidGrad", (tf, op, grads) -> {
            Operand<TNumber> up = cast(grads.get(0));
            Operand<TNumber> y = cast(op.input(0));
            Operand<TNumber> dy = cast(op.input(1));
            Operand<TNumber> one = tf.onesLike(y);
            Operand<TNumber> twoY = tf.math.add(y, y);
            return List.of(tf.math.mul(up, tf.math.mul(dy, tf.math.sub(one, twoY))),
                    tf.math.mul(up, tf.math.mul(y, tf.math.sub(one, y))));
        });
        registered = true;
    }

    /** Custom gradients registered by losslab in this process. */
    static synchronized int count() {
        return count;
    }

    private static void register(String opType, org.tensorflow.op.RawCustomGradient gradient) {
        if (count >= NATIVE_LIMIT) {
            throw new IllegalStateException("refusing to register a gradient for " + opType + ": TensorFlow Java "
                    + "1.1.0 crashes after " + NATIVE_LIMIT + " custom gradients in one process");
        }
        if (TensorFlow.registerCustomGradient(opType, gradient)) {
            count++;
        }
    }

    @SuppressWarnings("unchecked")
    private static Operand<TNumber> cast(Operand<?> o) {
        return (Operand<TNumber>) o;
    }

}
