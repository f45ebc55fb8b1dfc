package io.github.losslab.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.data.Cifar10TestFiles;
import io.github.losslab.api.data.IdxTestFiles;
import io.github.losslab.api.data.MnistData;
import io.github.losslab.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** The JSON objects a run printed, one per line. */
    private static List<JsonNode> jsonLines(Run r) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        return lines;
    }

    @Test
    void printsOneJsonLinePerMeasurementWithTheMachine() throws Exception {
        Run r = run("bench", "--only", "fit-function", "--fit-function-epochs", "3", "--repetitions", "2");
        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> lines = jsonLines(r);
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
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
        IdxTestFiles.writeMnist(dir, 1_100, 50, 28, 28, false);
        Run r = run("bench", "--only", "mlp-epoch", "--data-dir", dir.toString(), "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("--data-dir " + dir + " holds 1100 training samples, fewer than the 60000 of "
                + "an MNIST epoch");
        for (JsonNode json : jsonLines(r)) {
            assertThat(json.get("samples").asInt()).isEqualTo(1_100);
            assertThat(json.get("data").asText()).isEqualTo("mnist-train: only 1100 samples, fewer than the 60000 "
                    + "of an MNIST epoch");
            assertThat(json.has("target_s")).isFalse();
        }
    }

    /** {@code --dataset fashion-mnist} reads the same layout with Fashion-MNIST's classes, and says so. */
    @Test
    void aNamedIdxDataSetIsTimedAndNamed(@TempDir Path dir) throws Exception {
        IdxTestFiles.writeMnist(dir, 1_030, 10, 28, 28, false);
        Run r = run("bench", "--only", "mlp-epoch", "--dataset", "fashion-mnist", "--data-dir", dir.toString(),
                "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        for (JsonNode json : jsonLines(r)) {
            assertThat(json.get("samples").asInt()).isEqualTo(1_030);
            assertThat(json.get("data").asText()).isEqualTo("fashion-mnist-train: only 1030 samples, fewer than the "
                    + "60000 of an MNIST epoch");
        }
        IdxTestFiles.writeMnist(dir, 5, 3, 28, 28, false);
        Run five = run("bench", "--only", "mlp-epoch", "--dataset", "kmnist", "--data-dir", dir.toString());
        assertThat(five.status()).isEqualTo(2);
        assertThat(five.err()).contains("class 5 never occurs").contains("Kuzushiji-MNIST").doesNotContain("\tat ");
    }

    /** CIFAR-10's 3,072 input values: the MLP takes them, without a target, and the data field says so. */
    @Test
    void cifar10ImagesAreTimedWithAnMlpOfTheirSize(@TempDir Path dir) throws Exception {
        Cifar10TestFiles.writeCifar(dir, 206);
        Run r = run("bench", "--only", "mlp-epoch", "--dataset", "cifar10", "--data-dir", dir.toString(),
                "--repetitions", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("holds images of 3072 values, not MNIST's 784: mlp-epoch times the "
                + "3072-128-10 MLP, and has no target");
        List<JsonNode> lines = jsonLines(r);
        assertThat(lines).hasSize(2);
        for (JsonNode json : lines) {
            assertThat(json.get("samples").asInt()).isEqualTo(1_030);
            assertThat(json.get("data").asText()).isEqualTo("cifar10-train: only 1030 samples, fewer than the 60000 "
                    + "of an MNIST epoch; 3072 input values per sample, not MNIST's 784, so the MLP is 3072-128-10");
            assertThat(json.has("target_s")).isFalse();
        }
    }

    @Test
    void anUnknownDataSetOrOneWithoutItsDirectoryIsRefused(@TempDir Path dir) throws Exception {
        Run unknown = run("bench", "--only", "mlp-epoch", "--dataset", "cifar100");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown data set 'cifar100'").contains("fashion-mnist, kmnist, cifar10");
        Run bare = run("bench", "--only", "mlp-epoch", "--dataset", "kmnist");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("--dataset kmnist needs --data-dir");
        Run empty = run("bench", "--only", "mlp-epoch", "--dataset", "cifar10", "--data-dir", dir.toString());
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("does not hold the six files data_batch_1.bin").doesNotContain("\tat ");
        IdxTestFiles.writeMnist(dir, 200, 10, 28, 28, false);
        Run small = run("bench", "--only", "mlp-epoch", "--data-dir", dir.toString());
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err()).contains("holds 200 training samples, fewer than mlp-epoch's largest batch of 1024");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(new Measurement("x", new double[] {3, 1, 2}, null, Map.of()).median()).isEqualTo(2);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).median()).isEqualTo(2.5);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).fields(Map.of()))
                .containsEntry("meets_target", false);
    }
}
