package io.github.losslab.tf;

import io.github.losslab.api.Precision;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** Copies between Java arrays and TensorFlow tensors. Every tensor returned here must be closed by the caller. */
final class TfTensors {

    private TfTensors() {
    }

    static Class<? extends TNumber> dtype(Precision precision) {
        return precision == Precision.FLOAT64 ? TFloat64.class : TFloat32.class;
    }

    /** A tensor of the model's precision holding {@code values} with the given shape. */
    static Tensor of(Precision precision, double[] values, long... shape) {
        if (precision == Precision.FLOAT64) {
            return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(f, true, false));
    }

    /** A tensor of the model's precision holding float values, converted only when the model is float64. */
    static Tensor of(Precision precision, float[] values, long... shape) {
        if (precision == Precision.FLOAT32) {
            return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(d, true, false));
    }

    static Tensor scalar(Precision precision, double value) {
        return precision == Precision.FLOAT64 ? TFloat64.scalarOf(value) : TFloat32.scalarOf((float) value);
    }

    static TInt32 ints(int[] values, long... shape) {
        return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    /** All values of a float32 or float64 tensor, in row-major order. */
    static double[] toDoubles(Tensor t) {
        long n = t.shape().size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor of " + n + " elements does not fit a Java array");
        }
        double[] out = new double[(int) n];
        if (t instanceof TFloat64 d) {
            d.copyTo(DataBuffers.of(out, false, false));
        } else if (t instanceof TFloat32 f) {
            float[] tmp = new float[(int) n];
            f.copyTo(DataBuffers.of(tmp, false, false));
            for (int i = 0; i < tmp.length; i++) {
                out[i] = tmp[i];
            }
        } else if (t instanceof TInt32 k) {
            int[] tmp = new int[(int) n];
            k.copyTo(DataBuffers.of(tmp, false, false));
            for (int i = 0; i < tmp.length; i++) {
                out[i] = tmp[i];
            }
        } else {
            throw new IllegalStateException("unexpected tensor type " + t.dataType());
        }
        return out;
    }

    /** The single value of a scalar (or one-element) float tensor. */
    static double toDouble(Tensor t) {
        if (t instanceof TFloat64 d) {
            return d.getDouble();
        }
        if (t instanceof TFloat32 f) {
            return f.getFloat();
        }
        if (t instanceof TInt32 k) {
            return k.getInt();
        }
        return toDoubles(t)[0];
    }
}
