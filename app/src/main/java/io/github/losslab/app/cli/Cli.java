package io.github.losslab.app.cli;

import com.google.inject.CreationException;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import io.github.losslab.app.UnknownNameException;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.inject.ExperimentsModule;
import io.github.losslab.app.run.ExperimentRunner;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * Builds the picocli command line with losslab's error handling: usage mistakes print one message (no stack
 * trace) and exit with status 2; other failures print their message and exit with 1; {@code --debug} adds stack
 * traces and debug logging.
 */
public final class Cli {

    /** Exit status of a failure that is not the user's mistake. */
    public static final int EXIT_FAILURE = 1;

    private Cli() {
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new ExperimentsModule());
    }

    /**
     * The command line with the experiments of {@code experiments} (a module that binds the set of
     * {@code ExperimentType}s, as {@link ExperimentsModule} does) in place of the built-in ones: for tests, and
     * for programs that add experiments of their own.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Module experiments) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == RunCommand.class) {
                    return type.cast(new RunCommand(experiments));
                }
                if (type == ListCommand.class) {
                    return type.cast(new ListCommand(experiments));
                }
                return defaults.create(type);
            }
        };
        CommandLine cl = new CommandLine(new LosslabCommand(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parseResult -> {
            try {
                if (!debug(parseResult)) {
                    return new CommandLine.RunLast().execute(parseResult);
                }
                Level before = LogManager.getLogger("io.github.losslab").getLevel();
                Configurator.setLevel("io.github.losslab", Level.DEBUG);
                try {
                    return new CommandLine.RunLast().execute(parseResult);
                } finally {
                    Configurator.setLevel("io.github.losslab", before);
                }
            } catch (Error e) {
                // picocli hands only exceptions to the handler: an OutOfMemoryError would escape with a stack trace
                throw new CommandLine.ExecutionException(cl, ExperimentRunner.describe(e), e);
            }
        });
        cl.setParameterExceptionHandler(Cli::handleParameterException);
        cl.setExecutionExceptionHandler(Cli::handleExecutionException);
        return cl;
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        Optional<String> command = unknownCommand(ex);
        if (command.isPresent()) {
            err.println("losslab: " + new UnknownNameException("command", command.get(),
                    List.copyOf(cmd.getSubcommands().keySet())).getMessage());
        } else {
            err.println("losslab: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        }
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (debug(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        return UsageException.EXIT_CODE;
    }

    /** The word given where a command with subcommands expected one of them: {@code rnu} in {@code losslab rnu}. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || ex.getCommandLine().getSubcommands().isEmpty()
                || u.getUnmatched().isEmpty()) {
            return Optional.empty();
        }
        String first = u.getUnmatched().get(0);
        return first.startsWith("-") ? Optional.empty() : Optional.of(first);
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Throwable t = unwrap(ex);
        boolean debug = debug(parseResult);
        if (t instanceof UsageException) {
            err.println("losslab: " + t.getMessage());
            if (debug) {
                t.printStackTrace(err);
            }
            return UsageException.EXIT_CODE;
        }
        err.println("losslab: error: " + ExperimentRunner.describe(t));
        if (debug) {
            t.printStackTrace(err);
        } else {
            err.println("(run again with --debug to see where it happened)");
        }
        return EXIT_FAILURE;
    }

    /** The cause that matters: Guice wraps what a provider throws, and the execution strategy wraps errors. */
    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof ProvisionException || cur instanceof CreationException
                || cur instanceof CommandLine.ExecutionException && cur.getCause() instanceof Error)
                && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    static boolean debug(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
