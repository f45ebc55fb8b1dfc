package io.github.losslab.app.cli;

import io.github.losslab.app.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code losslab data ...}: managing data sets. */
@Command(name = "data", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Manages data sets.",
        subcommands = {DownloadCommand.class})
final class DataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return UsageException.EXIT_CODE;
    }
}
