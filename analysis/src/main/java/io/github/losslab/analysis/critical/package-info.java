/**
 * Critical points of a model's loss: points where the gradient vanishes, minima and saddle points alike, found by
 * minimising {@code ||grad L||^2 / 2} from a model's current parameters
 * ({@link io.github.losslab.analysis.critical.CriticalPointSearch}), as in the study of saddle points by Pennington
 * and Bahri ("Geometry of neural network loss surfaces via random matrix theory", ICML 2017) and Frye et al.
 * ("Critical point-finding methods reveal gradient-flat regions of deep network losses", 2021).
 */
package io.github.losslab.analysis.critical;
