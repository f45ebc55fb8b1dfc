/**
 * The {@code minimal-ratio} experiment (assignment part 1-2, what happens when the gradient is almost zero): a
 * small function-fitting network driven to critical points from several stages of training, with the full Hessian
 * spectrum, the index and the minimal ratios at each, and the verdict on whether lower loss goes with a higher
 * minimal ratio.
 */
package io.github.losslab.app.experiment.minimalratio;
