/**
 * The {@code minimal-ratio} experiment (assignment part 1-2, what happens when the gradient is almost zero): a
 * small function-fitting network driven to many critical points, with the full Hessian spectrum at each.
 */
package io.github.losslab.app.experiment.minimalratio;
