/**
 * Input sensitivity of trained classifiers: the Frobenius norm of the Jacobian of the softmax output with respect
 * to the input (Novak, Bahri, Abolafia, Pennington and Sohl-Dickstein 2018, "Sensitivity and Generalization in
 * Neural Networks") and the norm of the loss gradient with respect to the input used in the course slides.
 */
package io.github.losslab.analysis.sensitivity;
