/**
 * Datasets held in memory ({@link io.github.losslab.api.data.Dataset}), the mini-batches models consume
 * ({@link io.github.losslab.api.data.Batch}), a reader of the IDX format of MNIST and its relatives, the
 * bundled MNIST subset, and samplers of functions y = f(x).
 */
package io.github.losslab.api.data;
