package io.github.losslab.app.experiment.training;

/**
 * The settings an experiment trains MNIST classifiers with that {@link MnistExperiment} checks and loads the data
 * by: a settings record implements this with components of these names.
 */
public interface MnistSettings {

    /** Training samples, a stratified subset of the training split; {@value MnistInput#ALL} for all of it. */
    int trainSamples();

    /** Samples per optimizer step. */
    int batchSize();
}
