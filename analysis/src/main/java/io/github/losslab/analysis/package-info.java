/**
 * Analysis of trained models through the backend-agnostic {@link io.github.losslab.api.Model} interface only:
 * curvature ({@link io.github.losslab.analysis.hessian}), critical points
 * ({@link io.github.losslab.analysis.critical}), the symmetric linear algebra they share
 * ({@link io.github.losslab.analysis.linalg}), loss landscapes ({@link io.github.losslab.analysis.landscape}),
 * sharpness ({@link io.github.losslab.analysis.sharpness}), input sensitivity
 * ({@link io.github.losslab.analysis.sensitivity}) and training trajectories
 * ({@link io.github.losslab.analysis.trajectory}). Nothing here depends on a particular backend or on plotting.
 */
package io.github.losslab.analysis;
