package io.github.losslab.app.config;

import io.github.losslab.api.Precision;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import io.github.losslab.app.experiment.interpolation.InterpolationExperiment;
import io.github.losslab.app.experiment.sensitivity.SensitivityExperiment;
import io.github.losslab.app.experiment.sharpness.SharpnessExperiment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolved configuration reads back to itself, and its hash changes exactly with what results depend on. */
class ResolvedConfigTest {

    private static final FitFunctionExperiment.Settings QUICK = FitFunctionExperiment.Settings.quick();

    @Test
    void theYamlReadsBackToTheSameConfiguration() {
        LosslabConfig c = LosslabConfig.builder().seed(7).precision(Precision.FLOAT64).deterministic(true)
                .out(Path.of("results")).build();
        String yaml = ResolvedConfig.toYaml(ResolvedConfig.toMap(c, Map.of(FitFunctionExperiment.NAME, QUICK)));
        assertThat(yaml).contains("seed: 7\n").contains("precision: float64\n").contains("deterministic: true\n")
                .contains("functions: [cube, sin-5pi-x]");
        LosslabConfig back = ConfigFile.apply(ConfigFile.parse(yaml, "test"), LosslabConfig.builder()).build();
        FitFunctionExperiment.Settings settings = FitFunctionExperiment.TYPE.settings(back.preset(),
                back.experiment(FitFunctionExperiment.NAME));
        assertThat(settings).isEqualTo(QUICK);
        assertThat(ResolvedConfig.hash(back, FitFunctionExperiment.NAME, settings))
                .isEqualTo(ResolvedConfig.hash(c, FitFunctionExperiment.NAME, QUICK));
    }

    @Test
    void theHashDependsOnSettingsSeedAndPrecisionButNotOnTheOutputDirectory() {
        LosslabConfig c = LosslabConfig.DEFAULT;
        String h = ResolvedConfig.hash(c, "fit-function", QUICK);
        assertThat(h).hasSize(64).isEqualTo(ResolvedConfig.hash(c, "fit-function", QUICK));
        assertThat(ResolvedConfig.hash(c.toBuilder().out(Path.of("elsewhere")).build(), "fit-function", QUICK))
                .isEqualTo(h);
        assertThat(ResolvedConfig.hash(c.toBuilder().seed(1).build(), "fit-function", QUICK)).isNotEqualTo(h);
        assertThat(ResolvedConfig.hash(c.toBuilder().precision(Precision.FLOAT64).build(), "fit-function", QUICK))
                .isNotEqualTo(h);
        assertThat(ResolvedConfig.hash(c.toBuilder().deterministic(true).build(), "fit-function", QUICK))
                .isNotEqualTo(h);
        assertThat(ResolvedConfig.hash(c, "fit-function", QUICK.withTraining(100, 3, 10))).isNotEqualTo(h);
    }

    /**
     * The hashes of the trials that full-preset runs on Fashion-MNIST kept before {@code plateau-epochs} existed
     * (read from their trial files): at its neutral 0 the setting leaves them unchanged, so {@code --resume} keeps
     * those trials; any other value is another configuration.
     */
    @Test
    void aSettingAddedLaterLeavesTheHashesOfEarlierTrialsAtItsNeutralValue() {
        LosslabConfig c = LosslabConfig.builder().dataDir(Path.of("/usr/share/datasets/fashion-mnist")).build();
        SharpnessExperiment.Settings sharpness = SharpnessExperiment.Settings.full();
        SensitivityExperiment.Settings sensitivity = SensitivityExperiment.Settings.full();
        InterpolationExperiment.Settings interpolation = InterpolationExperiment.Settings.full();
        assertThat(sharpness.plateauEpochs()).isZero();
        assertThat(ResolvedConfig.hash(c, SharpnessExperiment.NAME, sharpness))
                .isEqualTo("9bd9b1b0e413bc53759f70ef911cba45c42b764b7ff04d191703c910130869a9");
        assertThat(ResolvedConfig.hash(c, SensitivityExperiment.NAME, sensitivity))
                .isEqualTo("fca14adfab313db45d21601239aa1d8aa68ef82fd8ad0f8b7b88d0e04446797e");
        assertThat(ResolvedConfig.hash(c, InterpolationExperiment.NAME, interpolation))
                .isEqualTo("a3efd9027a36becabda165fbbea8ef47c49cda6085ea5fd44bebb71e4588aeb4");

        LosslabConfig plateau = ConfigFile.apply(ConfigFile.parse("""
                experiments:
                  interpolation:
                    plateau-epochs: 50
                """, "test"), c.toBuilder()).build();
        InterpolationExperiment.Settings stopped = InterpolationExperiment.TYPE.settings(Preset.FULL,
                plateau.experiment(InterpolationExperiment.NAME));
        assertThat(stopped.plateauEpochs()).isEqualTo(50);
        assertThat(ResolvedConfig.hash(plateau, InterpolationExperiment.NAME, stopped))
                .isNotEqualTo(ResolvedConfig.hash(c, InterpolationExperiment.NAME, interpolation));
        assertThat(ResolvedConfig.toMap(c, Map.of(InterpolationExperiment.NAME, interpolation)).toString())
                .as("the resolved configuration still shows the setting").contains("plateau-epochs=0");
    }
}
