/**
 * Pieces shared by the experiments that train on MNIST ({@code mnist-deep-vs-shallow},
 * {@code optimization-trajectory}, {@code gradient-norm}, {@code random-labels},
 * {@code params-vs-generalization}; the flatness experiments read their data here too): the training and test data
 * with their provenance, a classifier trained and evaluated on them
 * ({@link io.github.losslab.app.experiment.training.TrainingRun}), loss and accuracy evaluated after epochs,
 * progress lines, parameter-count spreads and figure files.
 */
package io.github.losslab.app.experiment.training;
