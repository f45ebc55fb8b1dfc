/**
 * The {@code gradient-norm} experiment (assignment part 1-2, observe the gradient norm during training): the loss
 * and the 2-norm of the gradient at every iteration, for an MNIST network and for a network fitting a function.
 */
package io.github.losslab.app.experiment.gradientnorm;
