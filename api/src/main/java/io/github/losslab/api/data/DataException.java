package io.github.losslab.api.data;

import java.io.IOException;

/**
 * A dataset that cannot be loaded or fetched: a missing directory or file, files that disagree with each other
 * (image and label counts), labels out of range, or a download that failed on every mirror. The message names
 * the file or directory, says what was expected and what was found, and what to do. It is checked because a
 * caller can recover, for example by downloading the data or falling back to the {@link BundledMnist bundled
 * subset}. {@link IdxFormatException} is the subtype for a file whose bytes are not valid IDX.
 */
public class DataException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
