/**
 * The {@code edge-of-stability} experiment (Cohen, Kaur, Li, Kolter and Talwalkar, ICLR 2021): the largest Hessian
 * eigenvalue of the training loss during full-batch gradient descent on MNIST digits, at several learning rates,
 * against the stability threshold {@code 2 / eta}.
 */
package io.github.losslab.app.experiment.edgeofstability;
