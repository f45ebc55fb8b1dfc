/**
 * The TensorFlow Java backend, registered as {@code tensorflow}. Each {@link io.github.losslab.tf.TfModel} records
 * its network in a TensorFlow {@code Graph} and differentiates it with TensorFlow's graph gradients (TensorFlow
 * Java has no eager gradient tape). Training keeps the dataset resident in graph variables and slices batches
 * inside the graph, so a step costs one session call and one small index tensor.
 */
package io.github.losslab.tf;
