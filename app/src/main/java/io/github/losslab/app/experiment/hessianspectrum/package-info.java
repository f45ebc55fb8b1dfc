/**
 * The {@code hessian-spectrum} experiment: the Hessian's eigenvalue density and top eigenvalues of an MNIST MLP at
 * initialization and after training, whole and per layer (Sagun et al. 2017, 2018; Papyan 2019; Ghorbani et al.
 * 2019).
 */
package io.github.losslab.app.experiment.hessianspectrum;
