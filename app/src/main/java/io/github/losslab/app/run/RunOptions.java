package io.github.losslab.app.run;

import io.github.losslab.app.trial.Shard;

import io.github.losslab.app.experiment.Cancellation;
import io.github.losslab.app.experiment.ProgressDisplay;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Objects;

/**
 * How the {@link ExperimentRunner} runs: where results are printed, how progress is shown, the flag that stops
 * the run, whether experiments already done are skipped, and the command line recorded in every summary.
 *
 * @param results      where results and the paths of written files are printed (standard output)
 * @param progress     how progress is shown
 * @param cancellation set to stop the run between two epochs or experiments
 * @param resume       skip experiments whose results exist with the same configuration hash
 * @param replace      remove the directory an earlier run wrote for an experiment before running it again
 *                     ({@code --force}), so that no file of the earlier run stays beside the new ones
 * @param command      the command line, recorded in every summary; null when run from Java
 * @param shard        the slice of the run's trials to run ({@code --shard K/N}); {@link Shard#ALL} for all
 */
public record RunOptions(PrintWriter results, ProgressDisplay progress, Cancellation cancellation, boolean resume,
                         boolean replace, String command, Shard shard) {

    public RunOptions {
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(shard, "shard");
    }

    /** Results printed nowhere, no progress, never cancelled, nothing resumed or replaced. */
    public static RunOptions defaults() {
        return new RunOptions(new PrintWriter(Writer.nullWriter()), ProgressDisplay.NONE, new Cancellation(), false,
                false, null, Shard.ALL);
    }

    public RunOptions withResults(PrintWriter value) {
        return new RunOptions(value, progress, cancellation, resume, replace, command, shard);
    }

    public RunOptions withProgress(ProgressDisplay value) {
        return new RunOptions(results, value, cancellation, resume, replace, command, shard);
    }

    public RunOptions withCancellation(Cancellation value) {
        return new RunOptions(results, progress, value, resume, replace, command, shard);
    }

    public RunOptions withResume(boolean value) {
        return new RunOptions(results, progress, cancellation, value, replace, command, shard);
    }

    public RunOptions withReplace(boolean value) {
        return new RunOptions(results, progress, cancellation, resume, value, command, shard);
    }

    public RunOptions withShard(Shard value) {
        return new RunOptions(results, progress, cancellation, resume, replace, command, value);
    }

    public RunOptions withCommand(String value) {
        return new RunOptions(results, progress, cancellation, resume, replace, value, shard);
    }
}
