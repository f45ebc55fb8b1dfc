package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.ParameterOnlyModel;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.train.Metric;
import io.github.losslab.app.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a training towards a target stops: at the target, at a plateau of its loss, or not before the cap. */
class TrainingTargetTest {

    /** Feeds {@code losses} as the training losses after epochs 1, 2, ...; returns the epoch it stopped after, or 0. */
    private static int stopsAfter(TrainingTarget target, double... losses) {
        TrainingTarget.Listener listener = target.listener(null);
        for (int i = 0; i < losses.length; i++) {
            try {
                listener.record(i + 1, losses[i]);
            } catch (TrainingTarget.Stopped stopped) {
                assertThat(stopped.epoch()).isEqualTo(i + 1);
                assertThat(listener.epochs()).isEqualTo(i + 1);
                return stopped.epoch();
            }
        }
        return 0;
    }

    @Test
    void aLossThatFallsByLessThanOnePercentForThePatienceStopsTheTraining() {
        TrainingTarget target = new TrainingTarget(0.01, 100, 3);
        // progress at epochs 1 and 2; 0.499 and 0.496 are within 1% of 0.5: the third epoch without it is epoch 5
        assertThat(stopsAfter(target, 1.0, 0.5, 0.499, 0.497, 0.496, 0.2)).isEqualTo(5);
        // a 1% fall at epoch 4 (0.495 = 0.99 × 0.5) restarts the count
        assertThat(stopsAfter(target, 1.0, 0.5, 0.499, 0.495, 0.494, 0.494, 0.4)).isZero();
        assertThat(stopsAfter(target, 1.0, 0.5, 0.499, 0.495, 0.494, 0.494, 0.494)).isEqualTo(7);
        // a loss that rises after its best is no progress either
        assertThat(stopsAfter(target, 0.5, 0.7, 0.9, 1.1)).isEqualTo(4);
    }

    @Test
    void slowButSteadyProgressAndAZeroPatienceNeverPlateau() {
        double[] steady = new double[200];
        double[] flat = new double[200];
        for (int i = 0; i < steady.length; i++) {
            steady[i] = Math.pow(0.985, i);
            flat[i] = 1;
        }
        assertThat(stopsAfter(new TrainingTarget(1e-9, 1000, 2), steady)).isZero();
        assertThat(stopsAfter(new TrainingTarget(1e-9, 1000, 0), flat)).isZero();
        assertThat(stopsAfter(new TrainingTarget(1e-9, 1000, 5), flat)).isEqualTo(6);
    }

    @Test
    void reachingTheTargetIsNotAPlateau() {
        TrainingTarget target = new TrainingTarget(0.5, 100, 1);
        TrainingTarget.Listener listener = target.listener(null);
        listener.record(1, 0.6);
        assertThatThrownBy(() -> listener.record(2, 0.5)).isInstanceOf(TrainingTarget.Stopped.class);
        assertThat(listener.reached()).isTrue();
        assertThat(listener.plateaued()).isFalse();
        assertThat(target.plateaued(true, 2)).isFalse();
        assertThat(target.plateaued(false, 2)).isTrue();
        assertThat(target.plateaued(false, 100)).as("stopped by the cap").isFalse();
    }

    @Test
    void theTargetSaysHowItStops() {
        assertThat(new TrainingTarget(0.02, 300).describe())
                .isEqualTo("training loss ≤ 0.02 nats (at most 300 epochs)");
        assertThat(new TrainingTarget(0.02, 300, 50).describe()).isEqualTo(
                "training loss ≤ 0.02 nats (at most 300 epochs; stopped when it falls by less than 1% in 50 epochs)");
        assertThat(new TrainingTarget(0.02, 1_000).describe())
                .isEqualTo("training loss ≤ 0.02 nats (at most 1,000 epochs)");
        assertThatThrownBy(() -> new TrainingTarget(0.02, 300, -1)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("plateauEpochs");
    }

    /** A model whose parameters are the epoch's number and whose training loss is the script's value for it. */
    private static final class ScriptedModel extends ParameterOnlyModel {

        private final double[] losses;

        ScriptedModel(double... losses) {
            super(null, Precision.FLOAT64, new double[] {0});
            this.losses = losses;
        }

        @Override
        public Map<Metric, Double> evaluate(Dataset data, Set<Metric> metrics) {
            return Map.of(Metric.LOSS, losses[(int) theta[0] - 1]);
        }
    }

    /** Runs the listener over the scripted epochs as a training would; returns the model after it stopped. */
    private static double[] trainUntilStopped(TrainingTarget target, double... losses) {
        ScriptedModel model = new ScriptedModel(losses);
        TrainingTarget.Listener listener = target.listener(null);
        for (int epoch = 1; epoch <= losses.length; epoch++) {
            model.setParameters(new double[] {epoch});
            try {
                listener.onEpoch(model, epoch, Double.NaN, null);
            } catch (TrainingTarget.Stopped stopped) {
                break;
            }
        }
        return model.parameters();
    }

    @Test
    void aPlateauStopReturnsToTheParametersOfTheLowestLoss() {
        // stalls after epoch 2 (0.30); its lowest loss is epoch 4's 0.299, and it stops at a spike, epoch 5
        assertThat(trainUntilStopped(new TrainingTarget(0.01, 100, 3), 1.0, 0.30, 0.302, 0.299, 0.45, 0.1))
                .containsExactly(4);
        // reaching the target and the cap keep the last parameters
        assertThat(trainUntilStopped(new TrainingTarget(0.2, 100, 3), 1.0, 0.30, 0.35, 0.1)).containsExactly(4);
        assertThat(trainUntilStopped(new TrainingTarget(0.01, 5, 0), 1.0, 0.30, 0.302, 0.299, 0.45))
                .containsExactly(5);
    }
}
