/**
 * The {@code interpolation} experiment (assignment part 1-3, flatness vs generalization part 1): the loss and
 * accuracy along the line between two MNIST classifiers trained with different batch sizes, and between two
 * trained with different learning rates.
 */
package io.github.losslab.app.experiment.interpolation;
