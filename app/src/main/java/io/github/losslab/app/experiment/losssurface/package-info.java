/**
 * The {@code loss-surface} experiment (the assignment's bonus, visualize the error surface): the training loss of
 * an MNIST classifier on a random filter-normalized plane and on the principal plane of its training trajectory,
 * as contour plots.
 */
package io.github.losslab.app.experiment.losssurface;
