package io.github.losslab.app;

import io.github.losslab.app.cli.Cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of {@code losslab.jar}: the {@code losslab} command line. Results and paths go to standard output,
 * log lines to standard error. Exit status: 0 success, 1 failure, 2 a usage mistake (unknown experiment or
 * backend, invalid configuration).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs the command line with the given streams and returns its exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int status = Cli.commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return status;
    }
}
