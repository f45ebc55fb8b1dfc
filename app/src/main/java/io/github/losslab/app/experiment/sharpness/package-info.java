/**
 * The {@code sharpness} experiment (the assignment's bonus): the epsilon-sharpness of Keskar et al. of MNIST
 * classifiers that differ only in their batch size, beside their training and test loss and accuracy.
 */
package io.github.losslab.app.experiment.sharpness;
