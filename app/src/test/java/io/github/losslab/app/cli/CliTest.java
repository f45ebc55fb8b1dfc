package io.github.losslab.app.cli;

import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.Main;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.experiment.BuildInfo;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.inject.ExperimentsModule;
import com.google.inject.Guice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's exit codes and messages, for mistakes caught before any backend is loaded. */
class CliTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void listPrintsEveryExperimentOnItsOwnLine() {
        Run r = run("list");
        assertThat(r.status()).isZero();
        ExperimentCatalog catalog = Guice.createInjector(new ExperimentsModule()).getInstance(ExperimentCatalog.class);
        assertThat(r.out().lines().toList()).hasSize(catalog.names().size());
        for (String name : catalog.names()) {
            assertThat(r.out()).containsPattern("(?m)^" + name + " +\\S");
        }
    }

    @Test
    void unknownExperimentExitsWith2AndListsTheValidNames() {
        Run r = run("run", "fit-fuction");
        assertThat(r.status()).isEqualTo(2);
        ExperimentCatalog catalog = Guice.createInjector(new ExperimentsModule()).getInstance(ExperimentCatalog.class);
        assertThat(r.err()).contains("unknown experiment 'fit-fuction'").contains("did you mean 'fit-function'?")
                .contains("valid experiments are: " + String.join(", ", catalog.names()) + ", all")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownBackendExitsWith2AndListsTheValidNames() {
        Run r = run("run", "fit-function", "--backend", "jax");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown backend 'jax'").contains("valid backends are: tensorflow, pytorch")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownBackendInTheConfigFileExitsWith2(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "backend: torch\n");
        Run r = run("run", "all", "--config", config.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown backend 'torch'").contains("tensorflow");
    }

    @Test
    void invalidConfigValuesExitWith2NamingKeyAndValue(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                experiments:
                  fit-function:
                    adam-learning-rate: -0.5
                """);
        Run r = run("run", "fit-function", "--config", config.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("experiments.fit-function.adam-learning-rate").contains("-0.5")
                .contains("> 0").doesNotContain("\tat ");
        assertThat(dir.resolve("out")).doesNotExist();

        Files.writeString(config, "experiments:\n  fit-function:\n    batch-size: 0\n");
        r = run("run", "fit-function", "--config", config.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("experiments.fit-function.batch-size: 0 is not allowed");
    }

    @Test
    void aMissingDataDirectoryIsAUsageError(@TempDir Path dir) {
        Run r = run("run", "all", "--data-dir", dir.resolve("nothing-here").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("data-dir").contains("nothing-here").contains("is not a directory");
    }

    @Test
    void aDataDirectoryWithoutTheIdxFilesIsAUsageError(@TempDir Path dir) {
        Run r = run("run", "all", "--data-dir", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("does not hold the four IDX files").contains("train-images-idx3-ubyte");
    }

    @Test
    void unknownDataSetExitsWith2AndListsTheValidNames() {
        Run r = run("data", "download", "cifar");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown data set 'cifar'").contains("valid data sets are: mnist, fashion-mnist, kmnist, cifar10");
    }

    @Test
    void anUnknownDatasetListsTheKnownOnesAndADatasetNeedsItsDirectory(@TempDir Path dir) throws IOException {
        Run unknown = run("run", "all", "--dataset", "cifar100");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("dataset: 'cifar100' is not allowed; expected one of mnist, fashion-mnist,"
                + " kmnist, cifar10");

        Path config = Files.writeString(dir.resolve("c.yaml"), "dataset: svhn\n");
        assertThat(run("run", "all", "--config", config.toString()).err()).contains("c.yaml, line 1")
                .contains("'svhn' is not allowed; expected one of mnist, fashion-mnist, kmnist, cifar10");

        Run bundled = run("run", "all", "--dataset", "fashion-mnist");
        assertThat(bundled.status()).isEqualTo(2);
        assertThat(bundled.err()).contains("'fashion-mnist' needs data-dir")
                .contains("losslab data download fashion-mnist --dir DIR");

        Run cifar = run("run", "all", "--dataset", "cifar10", "--data-dir", dir.toString());
        assertThat(cifar.status()).isEqualTo(2);
        assertThat(cifar.err()).contains("does not hold the six files data_batch_1.bin")
                .contains("losslab data download cifar10 --dir " + dir);
    }

    @Test
    void badFlagValuesExitWith2() {
        assertThat(run("run", "all", "--preset", "fast").err()).contains("unknown preset 'fast'");
        assertThat(run("run", "all", "--precision", "float16").status()).isEqualTo(2);
        assertThat(run("run", "all", "--seed", "x").status()).isEqualTo(2);
        assertThat(run("run", "all", "--device", "tpu").err())
                .contains("Invalid value for option '--device': 'tpu' is not a device; expected one of cpu, gpu");
        assertThat(run("run").status()).isEqualTo(2);
        assertThat(run("frobnicate").status()).isEqualTo(2);
    }

    @Test
    void aMisspelledCommandGetsTheClosestAndTheValidOnes() {
        Run r = run("rnu");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("losslab: unknown command 'rnu' (did you mean 'run'?); valid commands are: "
                + "list, run, data, bench, hessian");
        assertThat(run("data", "dowload").err()).contains("unknown command 'dowload' (did you mean 'download'?)");
    }

    @Test
    void emptyPathsAreRefusedRatherThanTakenForTheCurrentDirectory() {
        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("--out", new String[] {"run", "all", "--out", ""});
        commands.put("--data-dir", new String[] {"run", "all", "--data-dir", " "});
        commands.put("--config", new String[] {"run", "all", "--config", ""});
        commands.put("--dir", new String[] {"data", "download", "mnist", "--dir", ""});
        commands.put("--model", new String[] {"hessian", "--model", "", "--data", "mnist"});
        commands.put("--data-dir ", new String[] {"bench", "--data-dir", ""});
        commands.forEach((option, command) -> {
            Run r = run(command);
            assertThat(r.status()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", command)).contains("Invalid value for option '" + option.strip()
                    + "': an empty path is not allowed");
        });
    }

    @Test
    void benchChecksItsDeviceAsRunDoes() {
        Run r = run("bench", "--device", "tpu");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--device': 'tpu' is not a device; expected one of "
                + "cpu, gpu").doesNotContain("\tat ");
    }

    @Test
    void aDataDirectoryLackingOneFileNamesIt(@TempDir Path dir) throws IOException {
        for (String f : MnistData.FILES.subList(0, 3)) {
            Files.writeString(dir.resolve(f), "x");
        }
        Run r = run("run", "all", "--data-dir", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("losslab: --data-dir: '" + dir + "' lacks " + MnistData.TEST_LABELS
                + " (plain or .gz), of the four IDX files");
    }

    @Test
    void configurationMistakesNameTheFileAndTheLine(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                seed: 3
                experiments:
                  fit-function:
                    points: 2147483648
                """);
        Run r = run("run", "fit-function", "--config", config.toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("losslab: " + config + ", line 4: experiments.fit-function.points: 2147483648 "
                + "is not allowed; expected an integer in [2, " + Limits.POINTS + "]");
        Files.writeString(config, "experiments:\n  gradient-norm:\n    function-hidden-layers: 1073741824\n");
        r = run("run", "gradient-norm", "--config", config.toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(config + ", line 3: experiments.gradient-norm.function-hidden-layers: "
                + "1073741824 is not allowed; expected an integer in [1, " + Limits.LAYERS + "]");
        Files.write(config, new byte[] {'s', 'e', 'e', 'd', ':', ' ', (byte) 0xff, '\n'});
        r = run("run", "fit-function", "--config", config.toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("configuration file " + config + " is not UTF-8 text (byte 0xff at line 1, "
                + "column 7)");
    }

    @Test
    void modelsThatCannotBeBuiltAreRefusedByTheDryRunNamingTheKey(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                experiments:
                  mnist-deep-vs-shallow:
                    cnn-conv-layers: [1, 8]
                """);
        Run r = run("run", "mnist-deep-vs-shallow", "--config", config.toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("losslab: experiments.mnist-deep-vs-shallow.cnn-parameter-budget: 10000 is "
                + "not allowed; expected an integer >= 25383 (the smallest CNN of 8 convolutional layers on 28×28×1 "
                + "images), or fewer cnn-conv-layers").doesNotContain("\tat ");
        Files.writeString(config, "experiments:\n  mnist-deep-vs-shallow:\n    dense-parameter-budget: 10\n");
        r = run("run", "mnist-deep-vs-shallow", "--config", config.toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(config + ", line 3: experiments.mnist-deep-vs-shallow.dense-parameter-budget: "
                + "10 is not allowed; expected an integer >= 811");
    }

    @Test
    void everyTrainingDivergingEndsAsDivergedWithWhereAndTheHint(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                experiments:
                  fit-function:
                    functions: [cube]
                    points: 200
                    hidden-layers: [1]
                    optimizers: [sgd]
                    sgd-learning-rate: 1.0e9
                    epochs: 3
                    batch-size: 50
                    plot-points: 11
                """);
        Path out = dir.resolve("out");
        Run r = run("run", "fit-function", "--config", config.toString(), "--out", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("fit-function: model 'cube, 1 hidden layer, SGD, seed 0': ")
                .contains("try a smaller learning rate").doesNotContain("no series").doesNotContain("failed");
        assertThat(r.out()).contains("fit-function: diverged after");
        String summary = Files.readString(out.resolve("fit-function/summary.json"));
        assertThat(summary).contains("\"status\" : \"diverged\"");
    }

    @Test
    void debugShowsTheStackTrace() {
        Run r = run("run", "fit-fuction", "--debug");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void runWritesTheExperimentsOutputsAndPrintsWhereTheyAre(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("tiny.yaml"), """
                seed: 3
                deterministic: true
                experiments:
                  fit-function:
                    functions: [cube]
                    points: 200
                    hidden-layers: [1, 2]
                    optimizers: [adam]
                    epochs: 3
                    batch-size: 50
                    plot-points: 11
                  minimal-ratio:
                    runs: 1
                    points: 20
                    hidden-widths: [3]
                    stages: [0, 5]
                    batch-size: 10
                    search-steps: 5
                """);
        Path out = dir.resolve("results");
        // one real experiment: "run all" over every experiment's quick preset would take minutes
        Run r = run("run", "fit-function", "--config", config.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(out.resolve("fit-function/cube/summary.json")).isRegularFile();
        assertThat(out.resolve("fit-function/cube/loss.png")).isRegularFile();
        assertThat(r.out()).contains("fit-function: done in").contains(out.resolve("fit-function").toString())
                .contains("1 hidden layer, Adam");
        assertThat(Files.readString(out.resolve("fit-function/summary.json"))).contains("\"seed\" : 3")
                .contains("\"deterministic\" : true");
    }

    @Test
    void versionPrintsTheLosslabVersion() {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("losslab " + BuildInfo.version()).contains("Java ");
        assertThat(BuildInfo.version()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void everySubcommandPrintsTheVersionItsHelpPromises() {
        String[][] commands = {{"run", "--version"}, {"list", "-V"}, {"hessian", "-V"}, {"bench", "--version"},
                {"data", "-V"}, {"data", "download", "--version"}};
        for (String[] command : commands) {
            Run r = run(command);
            assertThat(r.status()).as(String.join(" ", command)).isZero();
            assertThat(r.out()).as(String.join(" ", command)).startsWith("losslab " + BuildInfo.version());
        }
    }
}
