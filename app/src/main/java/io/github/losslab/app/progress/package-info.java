/**
 * How the progress that experiments report through {@link io.github.losslab.app.experiment.Progress} is shown:
 * a bar redrawn in place on an interactive terminal ({@link io.github.losslab.app.progress.TerminalProgressBar}),
 * log lines otherwise ({@link io.github.losslab.app.progress.LogProgress}).
 */
package io.github.losslab.app.progress;
