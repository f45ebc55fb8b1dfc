package io.github.losslab.app.progress;

import io.github.losslab.app.experiment.Cancellation;
import io.github.losslab.app.experiment.Progress;
import io.github.losslab.app.experiment.ProgressDisplay;
import io.github.losslab.app.experiment.ProgressSnapshot;
import io.github.losslab.app.experiment.RunCancelledException;
import io.github.losslab.api.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The progress API experiments call, and how a terminal shows it. */
class ProgressTest {

    @Test
    void theFractionCountsEveryEpochOfThePlanAcrossModels() {
        List<ProgressSnapshot> seen = new ArrayList<>();
        Progress p = new Progress("exp", seen::add, new Cancellation()).plan(20);
        TrainingListener first = p.training("model A", 10);
        for (int e = 1; e <= 10; e++) {
            first.onEpoch(null, e, 1.0 / e, null);
        }
        p.training("model B", 10).onEpoch(null, 5, 0.25, null);
        ProgressSnapshot last = seen.get(seen.size() - 1);
        assertThat(last.fraction()).isEqualTo(0.75);
        assertThat(last.model()).isEqualTo("model B");
        assertThat(last.epoch()).isEqualTo(5);
        assertThat(last.epochs()).isEqualTo(10);
        assertThat(last.loss()).isEqualTo(0.25);
        assertThat(last.remainingSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(p.currentModel()).isEqualTo("model B");
    }

    @Test
    void aTrialsProgressCountsTheExperimentsTrialsAndItsTime() throws InterruptedException {
        List<ProgressSnapshot> seen = new ArrayList<>();
        Progress experiment = new Progress("exp", seen::add, new Cancellation());
        Progress.TrialCounter trials = new Progress.TrialCounter(4, 1);
        Thread.sleep(30);
        Progress trial = experiment.forTrial(trials);
        trial.plan(10).model("batch 64");
        trial.epoch(5, 10, 0.5);
        ProgressSnapshot s = seen.get(seen.size() - 1);
        assertThat(s.trialsDone()).isEqualTo(1);
        assertThat(s.trialsTotal()).isEqualTo(4);
        // one trial done and half of the running one: 1.5 of 4
        assertThat(s.fraction()).isEqualTo(1.5 / 4);
        assertThat(s.elapsedSeconds()).as("the experiment's time, not the trial's").isGreaterThanOrEqualTo(0.03);
        trials.finished();
        trial.trialFinished("trial batch-64 completed");
        assertThat(seen.get(seen.size() - 1).trialsDone()).isEqualTo(2);
    }

    @Test
    void withoutAPlanTheFractionIsTheCurrentModels() {
        Progress p = Progress.none("exp");
        p.model("only");
        p.epoch(3, 4, 0.5);
        assertThat(p.snapshot().fraction()).isEqualTo(0.75);
    }

    @Test
    void aCancelledRunStopsAtTheNextStepOrEpoch() {
        Cancellation c = new Cancellation();
        Progress p = new Progress("exp", ProgressDisplay.NONE, c);
        TrainingListener l = p.training("m", 3);
        l.onStep(null, 1, 1, 0.5, 1);
        c.cancel("interrupted by a test");
        c.cancel("a second reason is ignored");
        assertThatThrownBy(() -> l.onStep(null, 1, 2, 0.5, 1)).isInstanceOf(RunCancelledException.class)
                .hasMessage("the run was stopped: interrupted by a test");
        assertThatThrownBy(() -> p.epoch(1, 3, 0.5)).isInstanceOf(RunCancelledException.class);
    }

    @Test
    void theBarShowsEpochLossElapsedRemainingAndModelOnOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgressBar bar = new TerminalProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 200,
                0);
        bar.started("fit-function", 1, 3);
        bar.update(new ProgressSnapshot("fit-function", "cube: 2 hidden layers, Adam", 28, 60, 0.00421, 0.47, 31,
                35));
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).endsWith("\r[1/3] fit-function [=========>          ]  47%  epoch 28/60  loss 0.004210  "
                + "0:31 elapsed  ~0:35 left  cube: 2 hidden layers, Adam" + TerminalProgressBar.ERASE);

        bytes.reset();
        bar.interleaved(new PrintStream(bytes, true, StandardCharsets.UTF_8)).println("12:00:00 INFO  a log line");
        String after = bytes.toString(StandardCharsets.UTF_8);
        assertThat(after).startsWith("\r" + TerminalProgressBar.ERASE + "12:00:00 INFO  a log line")
                .endsWith("cube: 2 hidden layers, Adam" + TerminalProgressBar.ERASE);

        bytes.reset();
        bar.finished("fit-function", "completed", 60);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r" + TerminalProgressBar.ERASE);
    }

    @Test
    void longLinesAreCutToTheTerminalWidth() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgressBar bar = new TerminalProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60, 0);
        bar.update(new ProgressSnapshot("exp", "a model with a very long name indeed", 1, 2, 1, 0.5, 1, 1));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertThat(line.substring(1, line.length() - TerminalProgressBar.ERASE.length())).hasSize(59);
    }

    @Test
    void durationsReadAsClockTimes() {
        assertThat(ProgressFormat.duration(7.4)).isEqualTo("0:07");
        assertThat(ProgressFormat.duration(725)).isEqualTo("12:05");
        assertThat(ProgressFormat.duration(3723)).isEqualTo("1:02:03");
        assertThat(ProgressFormat.duration(Double.NaN)).isEqualTo("?");
    }
}
