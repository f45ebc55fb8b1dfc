/**
 * What the four flatness experiments ({@code interpolation}, {@code sensitivity}, {@code sharpness},
 * {@code loss-surface}) share: the ReLU classifier they train on MNIST (read through
 * {@link io.github.losslab.app.experiment.training.MnistInput}), one training with its train and test metrics, the
 * sweep over batch sizes, and the figures of a quantity against the batch size.
 */
package io.github.losslab.app.experiment.flatness;
