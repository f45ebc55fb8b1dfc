/**
 * The experiment framework: an {@link io.github.losslab.app.experiment.Experiment} holds immutable settings and
 * runs with an {@link io.github.losslab.app.experiment.ExperimentContext} (backend, output directory, seed,
 * precision, data directory); its {@link io.github.losslab.app.experiment.ExperimentType} tells the command line
 * its name, description and presets. Each experiment writes a {@code summary.json} with its settings and
 * {@link io.github.losslab.app.experiment.Provenance}. Through the context an experiment reports its
 * {@link io.github.losslab.app.experiment.Progress} (where a run that was asked to stop also stops) and the
 * trainings that {@linkplain io.github.losslab.app.experiment.Divergence diverged}.
 */
package io.github.losslab.app.experiment;
