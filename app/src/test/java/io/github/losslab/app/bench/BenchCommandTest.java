package io.github.losslab.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.app.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    @Test
    void unknownBenchmarkListsTheValidNames() {
        Run r = run("bench", "--only", "mlp");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("mlp-epoch").contains("fit-function").contains("hessian-full")
                .contains("hessian-top").contains("run-all-quick").contains("run-all-full");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(new Measurement("x", new double[] {3, 1, 2}, null, Map.of()).median()).isEqualTo(2);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).median()).isEqualTo(2.5);
        assertThat(new Measurement("x", new double[] {4, 1, 2, 3}, 2.0, Map.of()).fields(Map.of()))
                .containsEntry("meets_target", false);
    }
}
