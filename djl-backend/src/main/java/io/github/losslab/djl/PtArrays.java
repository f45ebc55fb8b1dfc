package io.github.losslab.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.losslab.api.Precision;

/** Copies between Java arrays and DJL arrays in a model's precision. */
final class PtArrays {

    private PtArrays() {
    }

    static DataType dtype(Precision precision) {
        return precision == Precision.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }

    static Shape shape(int... dims) {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i];
        }
        return new Shape(s);
    }

    /** {@code values[from, from + shape.size())} as an array of {@code dtype} owned by {@code manager}. */
    static NDArray of(NDManager manager, double[] values, int from, Shape shape, DataType dtype) {
        int n = Math.toIntExact(shape.size());
        if (dtype == DataType.FLOAT64) {
            double[] d = from == 0 && n == values.length ? values : java.util.Arrays.copyOfRange(values, from, from + n);
            return manager.create(d, shape);
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) values[from + i];
        }
        return manager.create(f, shape);
    }

    static NDArray of(NDManager manager, double[] values, Shape shape, DataType dtype) {
        return of(manager, values, 0, shape, dtype);
    }

    /** Float values as an array of {@code dtype}, converted only when the model is float64. */
    static NDArray of(NDManager manager, float[] values, Shape shape, DataType dtype) {
        if (dtype == DataType.FLOAT32) {
            return manager.create(values, shape);
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return manager.create(d, shape);
    }

    /** Class labels as int64, the index type PyTorch expects. */
    static NDArray labels(NDManager manager, int[] labels) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        return manager.create(l);
    }

    /** All values of a float32 or float64 array, row-major. */
    static double[] toDoubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        if (a.getDataType() == DataType.FLOAT32) {
            float[] f = a.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        throw new IllegalStateException("expected a float32 or float64 array, found " + a.getDataType());
    }

    /** The value of a one-element array. */
    static double scalar(NDArray a) {
        double[] d = toDoubles(a);
        if (d.length != 1) {
            throw new IllegalStateException("expected one value, found " + d.length);
        }
        return d[0];
    }
}
