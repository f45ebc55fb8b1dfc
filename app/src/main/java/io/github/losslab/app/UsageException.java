package io.github.losslab.app;

/**
 * A mistake in what the user asked for (an unknown name, an invalid configuration value). The command line
 * prints its message without a stack trace and exits with status {@value #EXIT_CODE}.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit status of a usage error, as for a command-line syntax error. */
    public static final int EXIT_CODE = 2;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
