package io.github.losslab.api;

/** A failure inside a backend's native code, or a backend that cannot be loaded. Carries the cause. */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
