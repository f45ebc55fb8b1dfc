/**
 * {@code losslab hessian}: the curvature of a saved model on a data source (extreme or all Hessian eigenvalues,
 * trace, minimal ratio, eigenvalue density), printed as JSON.
 */
package io.github.losslab.app.curvature;
