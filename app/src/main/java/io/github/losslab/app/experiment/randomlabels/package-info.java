/**
 * The {@code random-labels} experiment (assignment part 1-3, can the network fit random labels): an MNIST network
 * memorizes training labels drawn at random while its test accuracy stays at chance (Zhang et al. 2017).
 */
package io.github.losslab.app.experiment.randomlabels;
