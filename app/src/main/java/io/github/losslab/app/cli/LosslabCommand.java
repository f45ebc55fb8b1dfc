package io.github.losslab.app.cli;

import io.github.losslab.app.UsageException;
import io.github.losslab.app.bench.BenchCommand;
import io.github.losslab.app.curvature.HessianCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The {@code losslab} command: its subcommands do the work. */
@Command(name = "losslab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Studies how neural networks train and generalize: runs the experiments of a deep-learning "
                + "course assignment and writes their figures, data and summaries.",
        subcommands = {ListCommand.class, RunCommand.class, DataCommand.class, BenchCommand.class,
                HessianCommand.class},
        footer = {"", "Examples:", "  losslab list", "  losslab run all", "  losslab run fit-function --preset full "
                + "--out results"})
public final class LosslabCommand implements Callable<Integer> {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log debug details and print stack traces of errors.")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return UsageException.EXIT_CODE;
    }
}
