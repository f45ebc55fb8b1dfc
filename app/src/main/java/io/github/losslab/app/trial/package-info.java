/**
 * Experiments as trials: independent trainings with their measurements, each fully determined by the experiment's
 * settings, its key and the run's root seed, whose results are written one by one into the experiment's
 * {@code trials/} directory ({@link TrialStore}) and then reduced on the driver to figures and a summary.
 * {@link Trials} runs the trials of one experiment that are not done yet on a {@link TrialEngine}: the built-in
 * {@link LocalEngine} (several at once in this process), or one a module provides through
 * {@link TrialEngineProvider} (Apache Spark). {@link Shard} selects a fixed slice of them for job arrays of batch
 * schedulers.
 */
package io.github.losslab.app.trial;
