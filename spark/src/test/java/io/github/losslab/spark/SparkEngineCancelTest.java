package io.github.losslab.spark;

import io.github.losslab.api.Backend;
import io.github.losslab.api.Backends;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.Cancellation;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.OptimizerKind;
import io.github.losslab.app.experiment.Progress;
import io.github.losslab.app.experiment.ProgressDisplay;
import io.github.losslab.app.experiment.RunCancelledException;
import io.github.losslab.app.experiment.sensitivity.SensitivityExperiment;
import io.github.losslab.app.trial.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run asked to stop while its trials run on Spark (Ctrl-C, SIGTERM): the engine cancels its Spark job, throws
 * {@link RunCancelledException}, and keeps the trials that finished before; the context runs other jobs after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SparkEngineCancelTest {

    @Test
    void cancellingTheRunCancelsTheSparkJob(@TempDir Path dir) throws Exception {
        // sixteen trials, two at a time: most are still to run when the first has finished
        SensitivityExperiment.Settings settings = new SensitivityExperiment.Settings(List.of(8, 16, 24, 32, 40, 48,
                56, 64, 72, 80, 88, 96, 104, 112, 120, 128), List.of(16), OptimizerKind.ADAM, 1e-3, 0.01, 2, 0, 300,
                100, 1, 50);
        LosslabConfig config = LosslabConfig.builder().backend("tensorflow").seed(11).deterministic(true)
                .engine("spark").sparkMaster("local[2]").build();
        Backend backend = Backends.create("tensorflow", config.backendOptions());
        Path out = dir.resolve(SensitivityExperiment.NAME);
        Cancellation cancellation = new Cancellation();
        try (SparkEngine engine = SparkEngine.open(config)) {
            ExperimentContext context = ExperimentContext.builder(backend, out).config(config)
                    .experiment(SensitivityExperiment.NAME).engine(engine)
                    .progress(new Progress(SensitivityExperiment.NAME, ProgressDisplay.NONE, cancellation))
                    .runSpec(RunSpec.of(config, Map.of(SensitivityExperiment.NAME, settings))).build();
            Path trials = out.resolve("trials");
            Thread stopper = new Thread(() -> {
                while (Sweeps.trialFiles(trials) == 0 && !Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                cancellation.cancel("asked to stop by the test");
            });
            stopper.setDaemon(true);
            stopper.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> new SensitivityExperiment(settings).run(context))
                    .isInstanceOf(RunCancelledException.class).hasMessageContaining("sensitivity");
            stopper.interrupt();
            int kept = Sweeps.trialFiles(trials);
            assertThat(kept).isBetween(1, 15);
            System.out.printf("cancelled after %.1f s with %d of 16 trials kept%n", (System.nanoTime() - start) / 1e9,
                    kept);
            // the job is gone: nothing runs on, and the context takes the next job
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.context().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(engine.context().statusTracker().getActiveJobIds()).isEmpty();
            assertThat(engine.context().parallelize(List.of(1, 2, 3), 2).count()).isEqualTo(3);
        }
    }

}
