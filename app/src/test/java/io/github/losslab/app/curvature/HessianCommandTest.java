package io.github.losslab.app.curvature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
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
        model = dir.resolve("model");
        ModelSpec spec = ModelSpec.mlp(1, new int[] {4}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        try (Model m = Backends.create("tensorflow", BackendOptions.DEFAULT).createModel(spec, Precision.FLOAT64,
                5)) {
            ModelIo.save(m, model);
        }
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
        assertThat(r.err()).contains("mnist:DIR").contains("function:NAME").doesNotContain("\tat ");
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
        assertThat(r.err()).contains("takes 1 input values per sample").contains("784")
                .doesNotContain("\tat ");
    }
}
