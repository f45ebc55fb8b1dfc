/**
 * The PyTorch backend, {@code pytorch}: losslab models computed eagerly with PyTorch 2.7.1 through Deep Java
 * Library 0.36 ({@link io.github.losslab.djl.PtBackend}, {@link io.github.losslab.djl.PtModel}). Gradients come
 * from PyTorch's autograd, Hessian-vector products are exact (the gradient of a forward-mode directional
 * derivative), and the optimizers are written out with PyTorch's update rules. The native library is loaded from
 * {@code ai.djl.pytorch:pytorch-native-cpu} on the class path; nothing is downloaded at run time.
 */
package io.github.losslab.djl;
