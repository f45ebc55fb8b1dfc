package io.github.losslab.api.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A saved model file that exists but cannot be used: malformed, of an unknown format version, or not matching
 * the model it is read for. The message names the file and says what was expected and what was found.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
