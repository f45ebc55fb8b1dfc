package io.github.losslab.app.config;

import io.github.losslab.api.Precision;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    private static final ExperimentCatalog CATALOG = new ExperimentCatalog(List.of(FitFunctionExperiment.TYPE));

    private static LosslabConfig load(String yaml) {
        return ConfigFile.apply(ConfigFile.parse(yaml, "test.yaml"), LosslabConfig.builder()).build();
    }

    /** Loads and binds every experiment section, as {@code losslab run} does before any work. */
    private static LosslabConfig loadAndCheck(String yaml) {
        LosslabConfig c = load(yaml);
        CATALOG.configure(List.of(), c);
        return c;
    }

    @Test
    void readsEveryTopLevelKey() {
        LosslabConfig c = load("""
                backend: tensorflow
                device: gpu
                seed: 7
                preset: full
                precision: float64
                data-dir: /data/mnist
                out: results
                deterministic: true
                """);
        assertThat(c.backend()).isEqualTo("tensorflow");
        assertThat(c.device()).isEqualTo("gpu");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.preset()).isEqualTo(Preset.FULL);
        assertThat(c.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/mnist"));
        assertThat(c.out()).isEqualTo(Path.of("results"));
        assertThat(c.deterministic()).isTrue();
        assertThat(c.backendOptions().intraOpThreads()).isEqualTo(1);
    }

    @Test
    void anEmptyFileGivesTheDefaults() {
        assertThat(load("")).isEqualTo(LosslabConfig.DEFAULT);
        assertThat(load("# nothing but a comment\n")).isEqualTo(LosslabConfig.DEFAULT);
    }

    @Test
    void unknownTopLevelKeyGetsASuggestion() {
        assertThatThrownBy(() -> load("sede: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sede")
                .hasMessageContaining("did you mean 'seed'?")
                .hasMessageContaining("valid keys are: backend, device, seed");
    }

    @Test
    void unknownExperimentKeyGetsASuggestion() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    epoch: 10
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("experiments.fit-function.epoch: unknown key")
                .hasMessageContaining("did you mean 'epochs'?");
    }

    @Test
    void aLearningRateWithoutItsOptimizerSuggestsBoth() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    learning-rate: 0.1
                """))
                .hasMessageContaining("did you mean")
                .hasMessageContaining("'adam-learning-rate'")
                .hasMessageContaining("'sgd-learning-rate'");
    }

    @Test
    void unknownExperimentGetsASuggestion() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-functions:
                    epochs: 10
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("experiments.fit-functions")
                .hasMessageContaining("did you mean 'fit-function'?");
    }

    @Test
    void negativeLearningRateNamesKeyValueAndRange() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    sgd-learning-rate: -0.01
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("experiments.fit-function.sgd-learning-rate: -0.01 is not allowed; "
                        + "expected a finite number > 0");
    }

    @Test
    void batchSizeZeroNamesKeyValueAndRange() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    batch-size: 0
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("experiments.fit-function.batch-size: 0 is not allowed; expected an integer in [1, ");
    }

    @Test
    void batchSizeLargerThanTheDataNamesTheLimit() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    points: 100
                    batch-size: 500
                """))
                .hasMessage("experiments.fit-function.batch-size: 500 is not allowed; expected an integer in [1, 100]");
    }

    @Test
    void wrongTypesNameKeyAndValue() {
        assertThatThrownBy(() -> load("seed: forty-two\n"))
                .hasMessageStartingWith("seed: 'forty-two' is not allowed; expected an integer");
        assertThatThrownBy(() -> load("deterministic: maybe\n"))
                .hasMessage("deterministic: 'maybe' is not allowed; expected true or false");
        assertThatThrownBy(() -> load("device: tpu\n"))
                .hasMessage("device: 'tpu' is not allowed; expected one of cpu, gpu");
        assertThatThrownBy(() -> load("preset: slow\n"))
                .hasMessage("preset: unknown preset 'slow': expected quick or full");
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    epochs: ten
                """))
                .hasMessage("experiments.fit-function.epochs: 'ten' is not allowed; expected an integer");
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    epochs: 2.5
                """))
                .hasMessage("experiments.fit-function.epochs: 2.5 is not allowed; expected an integer");
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    functions: [cube, tan]
                """))
                .hasMessageStartingWith("experiments.fit-function.functions[1]: unknown function 'tan'");
    }

    @Test
    void experimentSectionsOverrideThePreset() {
        LosslabConfig c = loadAndCheck("""
                preset: full
                experiments:
                  fit-function:
                    epochs: 3
                    hidden-layers: [1, 3, 5]
                    optimizers: adam
                    adam-learning-rate: 1e-2
                """);
        FitFunctionExperiment.Settings s = FitFunctionExperiment.TYPE.settings(c.preset(),
                c.experiment(FitFunctionExperiment.NAME));
        assertThat(s.epochs()).isEqualTo(3);
        assertThat(s.points()).isEqualTo(FitFunctionExperiment.Settings.full().points());
        assertThat(s.hiddenLayers()).containsExactly(1, 3, 5);
        assertThat(s.optimizers()).extracting(Enum::name).containsExactly("ADAM");
        assertThat(s.adamLearningRate()).isEqualTo(0.01);
    }

    @Test
    void invalidYamlNamesTheFile() {
        assertThatThrownBy(() -> load("seed: [1,\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml is not valid YAML");
        assertThatThrownBy(() -> load("seed: 1\nseed: 2\n"))
                .hasMessageContaining("test.yaml is not valid YAML")
                .hasMessageContaining("seed");
        assertThatThrownBy(() -> load("- a list\n"))
                .hasMessageContaining("must hold a mapping");
    }

    @Test
    void aMissingFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigFile.apply(dir.resolve("nope.yaml"), LosslabConfig.builder()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml does not exist");
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "seed: 5\nout: there\n");
        LosslabConfig c = ConfigFile.apply(file, LosslabConfig.builder()).build();
        assertThat(c.seed()).isEqualTo(5);
        assertThat(c.out()).isEqualTo(Path.of("there"));
    }
}
