package io.github.losslab.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void printsOneJsonLinePerMeasurementWithTheMachine() throws Exception {
        Run r = run("bench", "--only", "fit-function", "--fit-function-epochs", "3", "--repetitions", "2");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.get("benchmark").asText()).isEqualTo("fit-function");
        assertThat(line.get("repetitions").asInt()).isEqualTo(2);
        assertThat(line.get("median_s").asDouble()).isPositive();
        assertThat(line.get("epochs").asInt()).isEqualTo(3);
        assertThat(line.get("backend").asText()).isEqualTo("tensorflow");
        assertThat(line.get("device").asText()).isEqualTo("cpu");
        assertThat(line.has("cores")).isTrue();
        // no target for a shortened run
        assertThat(line.has("target_s")).isFalse();
        // the fields in the same order every run: the benchmark's own, then the timings, then the machine
        List<String> names = new java.util.ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        assertThat(names.subList(0, 5)).containsExactly("benchmark", "epochs", "points", "parameters", "median_s");
    }

    @Test
    void fullHessianAtATinySize() throws Exception {
        Run r = run("bench", "--only", "hessian-full", "--hessian-full-points", "20", "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(r.out().strip());
        assertThat(line.get("benchmark").asText()).isEqualTo("hessian-full");
        assertThat(line.get("parameters").asInt()).isEqualTo(321);
        assertThat(line.get("points").asInt()).isEqualTo(20);
        assertThat(line.get("method").asText()).isEqualTo("exact");
        assertThat(line.get("median_s").asDouble()).isPositive();
        assertThat(line.has("target_s")).isFalse();
    }

    /** The tracker's overhead at a tiny size: its fields, and the warm start's Lanczos steps against a cold start's. */
    @Test
    void curvatureTrackerAtATinySize() throws Exception {
        Run r = run("bench", "--only", "curvature-tracker", "--curvature-tracker-steps", "60", "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode line = new ObjectMapper().readTree(r.out().strip());
        assertThat(line.get("benchmark").asText()).isEqualTo("curvature-tracker");
        assertThat(line.get("steps").asInt()).isEqualTo(60);
        assertThat(line.get("parameters").asInt()).isEqualTo(27_562);
        assertThat(line.get("without_tracker_median_s").asDouble()).isPositive();
        assertThat(line.has("overhead")).isTrue();
        assertThat(line.has("eigenvalue_only_overhead")).isTrue();
        // 3 measurements (after steps 20, 40 and 60) of at least one Lanczos step and 8 trace probes each
        assertThat(line.get("hessian_vector_products").asLong()).isGreaterThan(27);
        assertThat(line.get("lanczos_iterations_warm").asDouble())
                .isLessThanOrEqualTo(line.get("lanczos_iterations_cold").asDouble());
    }

    @Test
    void unknownBenchmarkListsTheValidNames() {
        Run r = run("bench", "--only", "mlp");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("mlp-epoch").contains("fit-function").contains("hessian-full")
                .contains("hessian-top").contains("run-all-quick").contains("run-all-full");
    }

    @Test
    void aDataDirectoryWithoutMnistIsAUsageErrorNamingWhatIsMissing(@TempDir Path dir) {
        Run r = run("bench", "--only", "mlp-epoch", "--data-dir", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--data-dir: '" + dir + "' does not hold the four IDX files")
                .contains(MnistData.TRAIN_IMAGES).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDataDirectoryWithFewerSamplesThanAnEpochSaysSo(@TempDir Path dir) throws Exception {
        writeIdx(dir, "train", 1_100);
        writeIdx(dir, "t10k", 50);
        Run r = run("bench", "--only", "mlp-epoch", "--data-dir", dir.toString(), "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("--data-dir " + dir + " holds 1100 training samples, fewer than the 60000 of "
                + "an MNIST epoch");
        for (String line : r.out().strip().split("\n")) {
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("samples").asInt()).isEqualTo(1_100);
            assertThat(json.get("data").asText()).isEqualTo("mnist-train: only 1100 samples, fewer than the 60000 "
                    + "of an MNIST epoch");
            assertThat(json.has("target_s")).isFalse();
        }
    }

    /** {@code n} 28×28 images of one grey level and labels 0 to 9, as IDX files of one split. */
    private static void writeIdx(Path dir, String split, int n) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                images.put((byte) (i % 10 * 25));
            }
            labels.put((byte) (i % 10));
        }
        Files.write(dir.resolve(split + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(split + "-labels-idx1-ubyte"), labels.array());
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(new Measurement("x", new double[] {3, 1, 2}, null, Map.of()).median()).isEqualTo(2);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).median()).isEqualTo(2.5);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).fields(Map.of()))
                .containsEntry("meets_target", false);
    }
}
