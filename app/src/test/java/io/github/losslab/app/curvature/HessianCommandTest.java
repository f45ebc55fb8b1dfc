package io.github.losslab.app.curvature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Cifar10TestFiles;
import io.github.losslab.api.data.IdxTestFiles;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code losslab hessian} end to end on a 1-4-1 tanh net (13 parameters) saved in a temporary directory. */
class HessianCommandTest {

    private record Run(int status, String out, String err) {
    }

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void save() throws IOException {
        model = save("model", ModelSpec.mlp(1, new int[] {4}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR));
    }

    /** Saves a fresh model of {@code spec} in the directory {@code name}. */
    private static Path save(String name, ModelSpec spec) throws IOException {
        Path to = dir.resolve(name);
        try (Model m = Backends.create("tensorflow", BackendOptions.DEFAULT).createModel(spec, Precision.FLOAT64,
                5)) {
            ModelIo.save(m, to);
        }
        return to;
    }

    /** A 3-unit tanh classifier of 10 classes for images of {@code inputs} values. */
    private static ModelSpec classifier(int inputs) {
        return ModelSpec.mlp(inputs, new int[] {3}, 10, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void fullSpectrumAgreesWithLanczosAndTheTrace() throws IOException {
        Run full = run("hessian", "--model", model.toString(), "--data", "function:sin", "--samples", "50",
                "--full");
        assertThat(full.status()).as(full.err()).isZero();
        JsonNode f = new ObjectMapper().readTree(full.out());
        assertThat(f.get("parameters").asInt()).isEqualTo(13);
        assertThat(f.get("samples").asInt()).isEqualTo(50);
        assertThat(f.get("method").asText()).isEqualTo("exact");
        assertThat(f.get("eigenvalues").get("all")).hasSize(13);
        assertThat(f.get("minimalRatio").asDouble()).isBetween(0.0, 1.0);
        assertThat(f.get("gradientNorm").asDouble()).isPositive();
        assertThat(f.get("seconds").asDouble()).isPositive();
        double max = f.get("eigenvalues").get("all").get(12).asDouble();
        double min = f.get("eigenvalues").get("all").get(0).asDouble();

        Run lanczos = run("hessian", "--model", model.toString(), "--data", "function:sin", "--samples", "50",
                "--top", "2", "--density", "--probes", "10");
        assertThat(lanczos.status()).as(lanczos.err()).isZero();
        JsonNode l = new ObjectMapper().readTree(lanczos.out());
        assertThat(l.get("eigenvalues").get("top")).hasSize(2);
        assertThat(l.get("eigenvalues").get("top").get(0).asDouble()).isCloseTo(max, within(1e-6 * Math.abs(max)));
        assertThat(l.get("eigenvalues").get("bottom").get(0).asDouble()).isCloseTo(min,
                within(1e-6 * Math.abs(max)));
        assertThat(l.has("minimalRatio")).isFalse();
        assertThat(l.get("trace").get("probes").asInt()).isEqualTo(10);
        assertThat(l.get("density").get("grid")).hasSize(HessianCommand.DENSITY_POINTS);
        // each value is the density averaged over its point's bin: times the spacing they sum to 1 at 200 points
        JsonNode grid = l.get("density").get("grid");
        double spacing = grid.get(1).asDouble() - grid.get(0).asDouble();
        double mass = 0;
        for (JsonNode v : l.get("density").get("density")) {
            mass += v.asDouble() * spacing;
        }
        System.out.printf("density on %d points, spacing %.3g, sigma %.3g: mass %.12f%n", grid.size(), spacing,
                l.get("density").get("sigma").asDouble(), mass);
        assertThat(mass).isCloseTo(1, within(1e-9));
    }

    /**
     * {@code --per-layer} and {@code --block}: one JSON line for the whole model, then one per block, each with the
     * eigenvalues of its diagonal block of the full Hessian; the layers' exact traces add up to the whole's.
     */
    @Test
    void perLayerPrintsOneLinePerBlockWithItsDiagonalBlocksSpectrum() throws IOException {
        Run r = run("hessian", "--model", model.toString(), "--data", "function:sin", "--samples", "50", "--full",
                "--per-layer", "--block", "layer1/kernel+layer0/bias");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        ObjectMapper json = new ObjectMapper();
        JsonNode whole = json.readTree(lines.get(0));
        assertThat(whole.get("block").asText()).isEqualTo("all");
        assertThat(whole.get("parameters").asInt()).isEqualTo(13);
        JsonNode layer0 = json.readTree(lines.get(1));
        JsonNode layer1 = json.readTree(lines.get(2));
        JsonNode group = json.readTree(lines.get(3));
        assertThat(layer0.get("block").asText()).isEqualTo("layer0");
        assertThat(layer0.get("segments")).extracting(JsonNode::asText).containsExactly("layer0/kernel",
                "layer0/bias");
        assertThat(layer0.get("parameters").asInt()).isEqualTo(8);
        assertThat(layer1.get("parameters").asInt()).isEqualTo(5);
        assertThat(layer0.get("exactTrace").asDouble() + layer1.get("exactTrace").asDouble())
                .isCloseTo(whole.get("exactTrace").asDouble(), within(1e-12));
        assertThat(group.get("parameters").asInt()).isEqualTo(8);
        assertThat(group.get("segments")).extracting(JsonNode::asText).containsExactly("layer0/bias",
                "layer1/kernel");
        // a block's eigenvalues lie within the whole Hessian's range (Cauchy's interlacing)
        JsonNode all = whole.get("eigenvalues").get("all");
        for (JsonNode b : List.of(layer0, layer1, group)) {
            JsonNode e = b.get("eigenvalues").get("all");
            assertThat(e).hasSize(b.get("parameters").asInt());
            assertThat(e.get(0).asDouble()).isGreaterThanOrEqualTo(all.get(0).asDouble() - 1e-12);
            assertThat(e.get(e.size() - 1).asDouble()).isLessThanOrEqualTo(all.get(12).asDouble() + 1e-12);
        }

        Run unknown = run("hessian", "--model", model.toString(), "--data", "function:sin", "--block",
                "layer3/kernel");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--block layer3/kernel").contains("no parameter segment 'layer3/kernel'")
                .contains("layer0/kernel").doesNotContain("\tat ");
    }

    @Test
    void aMissingModelDirectoryIsAUsageError() {
        Run r = run("hessian", "--model", dir.resolve("nothing").toString(), "--data", "mnist");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("is not a directory").doesNotContain("\tat ");
        Run empty = run("hessian", "--model", dir.toString(), "--data", "mnist");
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("model.json").doesNotContain("\tat ");
    }

    @Test
    void aBadSourceListsTheValidForms() {
        Run r = run("hessian", "--model", model.toString(), "--data", "cifar");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("mnist:DIR").contains("fashion-mnist:DIR").contains("kmnist:DIR")
                .contains("cifar10:DIR").contains("function:NAME").doesNotContain("\tat ");
        Run prefix = run("hessian", "--model", model.toString(), "--data", "svhn:data");
        assertThat(prefix.status()).isEqualTo(2);
        assertThat(prefix.err()).contains("--data 'svhn:data' is not a data source").contains("cifar10:DIR");
        Run bare = run("hessian", "--model", model.toString(), "--data", "cifar10");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("--data cifar10: only an MNIST subset is bundled").contains("cifar10:DIR");
        Run f = run("hessian", "--model", model.toString(), "--data", "function:tan");
        assertThat(f.status()).isEqualTo(2);
        assertThat(f.err()).contains("unknown function 'tan'").contains("cube");
    }

    @Test
    void dataThatCannotBeReadIsAUsageErrorNamingTheFile() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        for (String f : MnistData.FILES) {
            // an unsigned-byte array of 3 dimensions whose header ends after the first size
            Files.write(idx.resolve(f), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
        }
        Run truncated = run("hessian", "--model", model.toString(), "--data", "mnist:" + idx);
        assertThat(truncated.status()).isEqualTo(2);
        assertThat(truncated.err()).contains("--data mnist:" + idx).contains(MnistData.TRAIN_IMAGES)
                .doesNotContain("--debug").doesNotContain("\tat ");
        Files.delete(idx.resolve(MnistData.TEST_LABELS));
        Run missing = run("hessian", "--model", model.toString(), "--data", "mnist:" + idx);
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("missing " + MnistData.TEST_LABELS).doesNotContain("--debug");
        Run empty = run("hessian", "--model", model.toString(), "--data", "mnist:");
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("--data mnist:: give the directory of the IDX files after 'mnist:'");
    }

    @Test
    void aModelFileThatIsNotUtf8IsNamed() throws IOException {
        Path latin1 = Files.createDirectories(dir.resolve("latin1"));
        Files.copy(model.resolve(ModelIo.PARAMS_FILE), latin1.resolve(ModelIo.PARAMS_FILE));
        Files.write(latin1.resolve(ModelIo.SPEC_FILE), "{\"name\": \"caf\u00e9\"}".getBytes(
                StandardCharsets.ISO_8859_1));
        Run r = run("hessian", "--model", latin1.toString(), "--data", "function:sin");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(latin1.resolve(ModelIo.SPEC_FILE) + " is not UTF-8 text (byte 0xe9 at line 1")
                .doesNotContain("Input length").doesNotContain("--debug");
    }

    @Test
    void moreSamplesThanTheDataHoldsAreRefused() {
        Run r = run("hessian", "--model", model.toString(), "--data", "mnist", "--samples", "100000");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--samples 100000: --data mnist holds 8000 samples; give at most 8000, or 0 "
                + "for all of them");
    }

    @Test
    void dataOfAnotherShapeIsAUsageError() {
        Run r = run("hessian", "--model", model.toString(), "--data", "mnist", "--samples", "10");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("takes 1 input values per sample (shape 1), but --data mnist has 784 (shape "
                + "28x28x1)").doesNotContain("\tat ");
    }

    /**
     * {@code fashion-mnist:DIR} and {@code kmnist:DIR} read the IDX files as {@code run --dataset} does, with the
     * data set's 10 classes: training labels of only 5 classes are refused for KMNIST but read as 5 classes for
     * {@code mnist:DIR}.
     */
    @Test
    void namedIdxDataSetsAreReadWithTheirClasses() throws IOException {
        Path small = save("small", classifier(16));
        Path ten = dir.resolve("ten-classes");
        IdxTestFiles.writeMnist(ten, 20, 5, 4, 4, false);
        Run fashion = run("hessian", "--model", small.toString(), "--data", "fashion-mnist:" + ten, "--probes", "2");
        assertThat(fashion.status()).as(fashion.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(fashion.out());
        assertThat(out.get("data").asText()).isEqualTo("fashion-mnist:" + ten);
        assertThat(out.get("samples").asInt()).isEqualTo(20);
        assertThat(out.get("eigenvalues").get("top").get(0).asDouble()).isFinite();

        Path five = dir.resolve("five-classes");
        IdxTestFiles.writeMnist(five, 5, 3, 4, 4, false);
        Run kmnist = run("hessian", "--model", small.toString(), "--data", "kmnist:" + five, "--probes", "2");
        assertThat(kmnist.status()).isEqualTo(2);
        assertThat(kmnist.err()).contains("--data kmnist:" + five).contains("class 5 never occurs")
                .contains("the 10 classes of Kuzushiji-MNIST").doesNotContain("\tat ");
        Run mnist = run("hessian", "--model", small.toString(), "--data", "mnist:" + five, "--probes", "2");
        assertThat(mnist.status()).as(mnist.err()).isZero();
        assertThat(new ObjectMapper().readTree(mnist.out()).get("samples").asInt()).isEqualTo(5);
        Run blank = run("hessian", "--model", small.toString(), "--data", "kmnist:");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("--data kmnist:: give the directory of the IDX files after 'kmnist:'");
    }

    /**
     * {@code cifar10:DIR} reads the training batches (50 records); a model of 16 inputs is refused naming both
     * shapes, and one of CIFAR-10's 3,072 takes them.
     */
    @Test
    void cifar10TrainingBatchesAndAModelOfAnotherShape() throws IOException {
        Path cifar = dir.resolve("cifar");
        Cifar10TestFiles.writeCifar(cifar);
        Path small = save("small-cifar", classifier(16));
        Run refused = run("hessian", "--model", small.toString(), "--data", "cifar10:" + cifar);
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("the model takes 16 input values per sample (shape 16), but --data cifar10:"
                + cifar + " has 3072 (shape 32x32x3)").doesNotContain("\tat ");
        Path wide = save("wide", classifier(3072));
        Run r = run("hessian", "--model", wide.toString(), "--data", "cifar10:" + cifar, "--probes", "2");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertThat(out.get("samples").asInt()).isEqualTo(50);
        assertThat(out.get("parameters").asInt()).isEqualTo(3072 * 3 + 3 + 3 * 10 + 10);
        Run missing = run("hessian", "--model", wide.toString(), "--data", "cifar10:"
                + Files.createDirectories(dir.resolve("not-cifar")));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("data_batch_1.bin").doesNotContain("\tat ");
    }
}
