/**
 * Running experiments: the {@link io.github.losslab.app.run.ExperimentRunner} checks everything first (backend,
 * data, each experiment's settings), then runs the experiments one after the other, records how each ended in the
 * {@link io.github.losslab.app.run.RunSection} of its {@code summary.json}, and keeps {@code report.html} current.
 * A failed or diverged experiment does not stop the others; a cancelled run stops between two training steps.
 */
package io.github.losslab.app.run;
