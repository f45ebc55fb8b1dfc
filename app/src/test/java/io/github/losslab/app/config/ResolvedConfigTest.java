package io.github.losslab.app.config;

import io.github.losslab.api.Precision;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
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
}
