package io.github.losslab.app.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @Test
    void writesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub/a.txt");
        AtomicFiles.write(target, out -> out.write("hello".getBytes()));
        assertThat(target).hasContent("hello");
        assertThat(listing(target.getParent())).containsExactly("a.txt");
    }

    @Test
    void writtenFilesHaveThePermissionsOfAnyNewFile(@TempDir Path dir) throws IOException {
        Path target = AtomicFiles.write(dir.resolve("a.txt"), out -> out.write(1));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void temporaryFilesHaveALosslabName(@TempDir Path dir) throws IOException {
        AtomicFiles.write(dir.resolve("a.csv"), out -> assertThat(listing(dir)).singleElement().asString()
                .matches("\\.losslab-a\\.csv\\.[0-9a-f]+\\.tmp"));
    }

    @Test
    void leftoversOfAKilledWriteAreRemovedOnlyWhereLosslabWrites(@TempDir Path dir) throws IOException {
        Path experiment = Files.createDirectories(dir.resolve("fit-function/cube"));
        Path report = Files.writeString(dir.resolve(".losslab-report.html.3c9a.tmp"), "half");
        Path csv = Files.writeString(experiment.resolve(".losslab-history.csv.1f2e.tmp"), "half");
        Path figure = Files.writeString(experiment.resolve(".losslab-loss.png.1f2e.tmp"), "half");
        Path model = Files.writeString(Files.createDirectories(experiment.resolve("models/adam"))
                .resolve(".losslab-params.npz.a07.tmp"), "half");
        // other programs' temporary files, beside the results and elsewhere under the output directory
        Path other = Files.writeString(experiment.resolve(".notes.txt.77.tmp"), "an editor's file");
        Path editor = Files.writeString(experiment.resolve(".loss.png.1f2e.tmp"), "an image editor's file");
        Path user = Files.writeString(experiment.resolve("data.tmp"), "a user's file");
        Path top = Files.writeString(dir.resolve(".session.1f2e.tmp"), "another program's");
        Path elsewhere = Files.writeString(Files.createDirectories(dir.resolve("Downloads"))
                .resolve(".losslab-loss.png.1f2e.tmp"), "not under an experiment");
        assertThat(AtomicFiles.removeLeftovers(dir, List.of("fit-function", "gradient-norm")))
                .containsExactlyInAnyOrder(report, csv, figure, model);
        assertThat(List.of(report, csv, figure, model)).noneMatch(Files::exists);
        assertThat(List.of(other, editor, user, top, elsewhere)).allMatch(Files::exists);
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("a.csv"), "old complete content");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("new half".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(target).hasContent("old complete content");
        assertThat(listing(dir)).containsExactly("a.csv");
    }

    @Test
    void theTargetNeverHoldsPartOfTheNewContent(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("a.json"), "old");
        AtomicFiles.write(target, out -> {
            out.write("new".getBytes());
            // while the new content is being written, the target still holds the old one
            assertThat(target).hasContent("old");
        });
        assertThat(target).hasContent("new");
    }

    @Test
    void outputWriterWritesCsvAndJsonAndRemembersThem(@TempDir Path dir) throws IOException {
        OutputWriter w = new OutputWriter(dir);
        w.writeCsv("t.csv", CsvTable.of("name", "value").add("a, b", 1.5).add("say \"hi\"", Double.NaN));
        w.subdirectory("s").writeJson("s.json", Map.of("loss", Double.NaN, "n", 3));
        assertThat(dir.resolve("t.csv")).hasContent("name,value\n\"a, b\",1.5\n\"say \"\"hi\"\"\",NaN\n");
        assertThat(Files.readString(dir.resolve("s/s.json"))).contains("\"loss\" : \"NaN\"").contains("\"n\" : 3");
        assertThat(w.written()).containsExactly(dir.resolve("t.csv"), dir.resolve("s/s.json"));
    }

    @Test
    void csvRowsMustMatchTheHeader() {
        assertThatThrownBy(() -> CsvTable.of("a", "b").add(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2 values");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
