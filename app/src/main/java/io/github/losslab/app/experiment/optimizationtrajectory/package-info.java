/**
 * The {@code optimization-trajectory} experiment (assignment part 1-2, visualize the optimization process): the
 * weights of several trainings of one MNIST network, projected to two dimensions by one PCA fitted on all of them.
 */
package io.github.losslab.app.experiment.optimizationtrajectory;
