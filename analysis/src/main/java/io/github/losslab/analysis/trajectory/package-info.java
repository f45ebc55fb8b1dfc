/**
 * Optimization trajectories: parameter snapshots collected during training and their principal components, fitted
 * jointly over every run so that all runs share one projection (the course assignment's "visualize the
 * optimization process"; Li et al. 2018 use the same directions for loss surfaces along a trajectory).
 */
package io.github.losslab.analysis.trajectory;
