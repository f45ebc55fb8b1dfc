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
    void leftoversOfAKilledWriteAreFoundAndRemoved(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Path leftover = Files.writeString(dir.resolve("sub/.loss.png.1f2e.tmp"), "half");
        Path kept = Files.writeString(dir.resolve("sub/data.tmp"), "a user's file");
        assertThat(AtomicFiles.removeLeftovers(dir)).containsExactly(leftover);
        assertThat(leftover).doesNotExist();
        assertThat(kept).exists();
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
