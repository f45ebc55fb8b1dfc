package io.github.losslab.app.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Writes the files of one experiment into its directory, each {@linkplain AtomicFiles atomically}, and
 * remembers what it wrote. Subdirectories get their own writer that reports to the same list.
 */
public final class OutputWriter {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private final Path directory;
    private final List<Path> written;

    public OutputWriter(Path directory) {
        this(directory, Collections.synchronizedList(new ArrayList<>()));
    }

    private OutputWriter(Path directory, List<Path> written) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.written = written;
    }

    /** The directory files are written into. */
    public Path directory() {
        return directory;
    }

    /** A writer for a subdirectory, sharing the list of written files. */
    public OutputWriter subdirectory(String name) {
        return new OutputWriter(directory.resolve(name), written);
    }

    /** Every file written through this writer or its subdirectories, in order. */
    public List<Path> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    /** Records a file that was written by other code (for example a figure), so that it is reported. */
    public Path record(Path file) {
        written.add(file);
        return file;
    }

    public Path write(String fileName, AtomicFiles.Content content) throws IOException {
        return record(AtomicFiles.write(directory.resolve(fileName), content));
    }

    public Path writeString(String fileName, String text) throws IOException {
        return write(fileName, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public Path writeCsv(String fileName, CsvTable table) throws IOException {
        return write(fileName, table::writeTo);
    }

    /** Writes a value as indented JSON (records, maps, lists, numbers; NaN and infinities as strings). */
    public Path writeJson(String fileName, Object value) throws IOException {
        return write(fileName, out -> {
            JSON.writeValue(out, value);
            out.write('\n');
        });
    }

    /** The JSON mapper used for summaries, for readers of them. */
    public static ObjectMapper json() {
        return JSON;
    }
}
