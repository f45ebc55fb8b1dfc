/**
 * The {@code sensitivity} experiment (assignment part 1-3, flatness vs generalization part 2): the input sensitivity
 * of MNIST classifiers that differ only in their batch size, beside their training and test loss and accuracy.
 */
package io.github.losslab.app.experiment.sensitivity;
