package io.github.losslab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.losslab.app.output.OutputWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two deterministic runs with one seed give identical numbers in every summary.json. */
class ReproducibleRunTest {

    /** What may differ between two runs: times, and where the run wrote (its command line and output directory). */
    private static final Set<String> VARYING = Set.of("wallSeconds", "trialSeconds", "startedAt", "finishedAt",
            "command", "out");

    @Test
    void twoDeterministicRunsWithOneSeedGiveIdenticalSummaries(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("tiny.yaml"), """
                seed: 11
                experiments:
                  fit-function:
                    functions: [cube, sin-5pi-x]
                    points: 200
                    hidden-layers: [1, 2]
                    optimizers: [sgd, adam]
                    epochs: 4
                    batch-size: 20
                    plot-points: 11
                """);
        for (String run : List.of("first", "second")) {
            CliTest.Run r = CliTest.run("run", "fit-function", "--config", config.toString(), "--deterministic",
                    "--quiet", "--out", dir.resolve(run).toString());
            assertThat(r.status()).as(r.err()).isZero();
        }
        List<Path> summaries;
        try (Stream<Path> files = Files.walk(dir.resolve("first"))) {
            summaries = files.filter(p -> p.getFileName().toString().equals("summary.json")).sorted().toList();
        }
        assertThat(summaries).hasSize(3);
        for (Path first : summaries) {
            Path second = dir.resolve("second").resolve(dir.resolve("first").relativize(first));
            JsonNode a = withoutVarying(OutputWriter.json().readTree(first.toFile()));
            JsonNode b = withoutVarying(OutputWriter.json().readTree(second.toFile()));
            assertThat(b).as(first.toString()).isEqualTo(a);
        }
        JsonNode cube = OutputWriter.json().readTree(dir.resolve("first/fit-function/cube/summary.json").toFile());
        assertThat(cube.get("models")).hasSize(4);
        assertThat(cube.get("models").get(0).get("finalMse").isNumber()).isTrue();
        assertThat(cube.get("provenance").get("deterministic").asBoolean()).isTrue();
        JsonNode top = OutputWriter.json().readTree(dir.resolve("first/fit-function/summary.json").toFile());
        assertThat(top.get("run").get("keyNumbers").size()).isEqualTo(8);
        assertThat(Files.readString(dir.resolve("first/report.html"))).contains("Deterministic run.");
    }

    private static JsonNode withoutVarying(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(VARYING);
            o.forEach(ReproducibleRunTest::withoutVarying);
        } else if (node.isArray()) {
            node.forEach(ReproducibleRunTest::withoutVarying);
        }
        return node;
    }
}
