/**
 * The {@code params-vs-generalization} experiment (assignment part 1-3, number of parameters vs generalization):
 * networks of one shape and growing width trained on MNIST, their training and test loss and accuracy against
 * their parameter count.
 */
package io.github.losslab.app.experiment.paramsvsgeneralization;
