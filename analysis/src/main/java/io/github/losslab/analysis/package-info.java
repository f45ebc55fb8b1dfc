/**
 * Analysis of models through the backend-agnostic {@link io.github.losslab.api.Model} interface: curvature
 * ({@link io.github.losslab.analysis.hessian}), critical points ({@link io.github.losslab.analysis.critical}) and
 * the symmetric linear algebra they share ({@link io.github.losslab.analysis.linalg}). Nothing here depends on a
 * particular backend.
 */
package io.github.losslab.analysis;
