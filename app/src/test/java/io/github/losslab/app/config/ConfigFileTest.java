package io.github.losslab.app.config;

import com.google.inject.Guice;
import io.github.losslab.api.Precision;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import io.github.losslab.app.inject.ExperimentsModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    void integersWrittenInFloatingPointFormAreIntegersForEveryKey() {
        assertThat(load("seed: 1e3\n").seed()).isEqualTo(1000);
        assertThat(load("seed: 1.0e3\n").seed()).isEqualTo(1000);
        LosslabConfig c = loadAndCheck("""
                experiments:
                  fit-function:
                    epochs: 1.0e2
                """);
        assertThat(FitFunctionExperiment.TYPE.settings(c.preset(), c.experiment(FitFunctionExperiment.NAME))
                .epochs()).isEqualTo(100);
        assertThatThrownBy(() -> load("seed: 1.5\n"))
                .hasMessageStartingWith("seed: 1.5 is not allowed; expected an integer");
    }

    @Test
    void anIntegerBeyondIntNamesTheKeysOwnRange() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    points: 2147483648
                """))
                .hasMessage("experiments.fit-function.points: 2147483648 is not allowed; expected an integer in [2, "
                        + Limits.POINTS + "]");
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    hidden-layers: [1, -4294967296]
                """))
                .hasMessage("experiments.fit-function.hidden-layers: [1, -4294967296] is not allowed; expected a "
                        + "list of integers in [1, " + Limits.LAYERS + "]");
    }

    @Test
    void sizesThatWouldExhaustMemoryOrTimeAreRefusedWithTheirRange() {
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    plot-points: 1000000000
                """))
                .hasMessage("experiments.fit-function.plot-points: 1000000000 is not allowed; expected an integer in "
                        + "[2, " + Limits.PLOT_POINTS + "]");
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    epochs: 1000000
                """))
                .hasMessageStartingWith("experiments.fit-function.epochs: 1000000 is not allowed");
        // 2 * depth + 2 overflowed int, so that any budget passed
        assertThatThrownBy(() -> loadAndCheck("""
                experiments:
                  fit-function:
                    hidden-layers: [1073741824]
                """))
                .hasMessageStartingWith("experiments.fit-function.hidden-layers: [1073741824] is not allowed");
    }

    @Test
    void everyPresetIsWithinTheLimits() {
        ExperimentCatalog all = Guice.createInjector(new ExperimentsModule()).getInstance(ExperimentCatalog.class);
        for (ExperimentType<?> t : all.types()) {
            for (Preset p : Preset.values()) {
                // the presets are built through the records' checks; binding them again checks once more
                assertThat(t.settings(p, SettingsBinder.toMap(t.settings(p)))).as("%s %s", t, p)
                        .isEqualTo(t.settings(p));
            }
        }
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
    void aFileThatIsNotUtf8IsNamedWithWhereItStopsBeingUtf8(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("latin1.yaml"), "seed: 5\n# caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigFile.apply(file, LosslabConfig.builder()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + file + " is not UTF-8 text (byte 0xe9 at line 2, column 6); "
                        + "save it as UTF-8");
    }

    @Test
    void keyErrorsOfAFileNameTheFileAndTheLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "# seeds\nout: there\nseed: many\n");
        assertThatThrownBy(() -> ConfigFile.apply(file, LosslabConfig.builder()))
                .hasMessage(file + ", line 3: seed: 'many' is not allowed; expected an integer between "
                        + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
        Files.writeString(file, "experiments:\n  fit-function:\n    epochs: 3\n    hidden-layers: [1, 0]\n");
        assertThat(ConfigFile.location(file, "experiments.fit-function.hidden-layers")).isEqualTo(file + ", line 4");
        assertThat(ConfigFile.location(file, "experiments.fit-function.hidden-layers[1]"))
                .isEqualTo(file + ", line 4");
        assertThat(ConfigFile.location(file, "experiments.fit-function.points")).isEqualTo(file.toString());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "seed: 5\nout: there\n");
        LosslabConfig c = ConfigFile.apply(file, LosslabConfig.builder()).build();
        assertThat(c.seed()).isEqualTo(5);
        assertThat(c.out()).isEqualTo(Path.of("there"));
    }
}
