/**
 * The {@code mnist-deep-vs-shallow} experiment (assignment part 1-1, train on an actual task): dense networks of
 * one parameter budget and convolutional networks of another, each family shallow to deep, trained on MNIST.
 */
package io.github.losslab.app.experiment.mnistdeepvsshallow;
