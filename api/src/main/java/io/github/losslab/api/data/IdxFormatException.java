package io.github.losslab.api.data;

import java.util.Objects;

/**
 * A file whose bytes are not a valid IDX array: empty, a wrong magic number, an unknown type code, a header or
 * data shorter than the header declares, bytes after the data, a corrupt gzip stream, or dimensions that are
 * zero, negative or larger than the file can hold. It is the one error {@link IdxReader} raises for bad content;
 * the message is {@code "<source>: <problem>"}, where the problem says what was expected and what was found.
 */
public class IdxFormatException extends DataException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source  the file's path, or the name of the stream (for example a classpath resource)
     * @param problem what was expected and what was found
     */
    public IdxFormatException(String source, String problem) {
        this(source, problem, null);
    }

    public IdxFormatException(String source, String problem, Throwable cause) {
        super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file's path or the stream's name. */
    public String source() {
        return source;
    }

    /** The problem without the source. */
    public String problem() {
        return problem;
    }
}
