package io.github.losslab.app.cli;

import com.google.inject.Guice;
import com.google.inject.Module;
import io.github.losslab.app.config.Preset;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code losslab list}: the experiments, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Lists the experiments, one line each.")
final class ListCommand implements Callable<Integer> {

    @Option(names = {"-v", "--verbose"}, description = "Also show the settings of each preset, as configuration keys.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final Module experimentsModule;

    ListCommand(Module experimentsModule) {
        this.experimentsModule = experimentsModule;
    }

    @Override
    public Integer call() {
        ExperimentCatalog catalog = Guice.createInjector(experimentsModule).getInstance(ExperimentCatalog.class);
        PrintWriter out = spec.commandLine().getOut();
        int width = catalog.names().stream().mapToInt(String::length).max().orElse(0);
        for (ExperimentType<?> t : catalog.types()) {
            out.printf("%-" + width + "s  %s%n", t.name(), t.description());
            if (verbose) {
                for (Preset p : Preset.values()) {
                    out.printf("  %s:%n", p.configName());
                    for (Map.Entry<String, Object> e : SettingsBinder.toMap(t.settings(p)).entrySet()) {
                        out.printf("    %s: %s%n", e.getKey(), e.getValue());
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
