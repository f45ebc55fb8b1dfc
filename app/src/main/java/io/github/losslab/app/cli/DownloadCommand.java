package io.github.losslab.app.cli;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.MnistDownloader;
import io.github.losslab.app.UnknownNameException;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.output.OutputDirectory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code losslab data download mnist [--dir DIR]}: fetches the four MNIST files from public mirrors, checks
 * their SHA-256 and moves each into place only when it is complete and correct.
 */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Downloads a data set and checks its SHA-256; files already present and correct are kept.")
final class DownloadCommand implements Callable<Integer> {

    /** The data sets that can be downloaded. */
    static final List<String> DATASETS = List.of("mnist");

    private static final Logger LOG = LogManager.getLogger(DownloadCommand.class);

    @Parameters(index = "0", paramLabel = "DATASET", description = "The data set: mnist.")
    String dataset;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "losslab-data/mnist",
            converter = Converters.PathConverter.class,
            description = "Directory to download into (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DataException {
        if (!DATASETS.contains(dataset)) {
            throw new UnknownNameException("data set", dataset, DATASETS);
        }
        // a directory that cannot take the files is the user's to change, not a failed download
        OutputDirectory.problem(dir).ifPresent(problem -> {
            throw new UsageException("--dir: " + problem + "; choose a directory the download can be written to");
        });
        MnistDownloader.Result result = MnistDownloader.defaults().withProgress(LOG::info).download(dir);
        PrintWriter out = spec.commandLine().getOut();
        for (MnistDownloader.FileResult f : result.files()) {
            out.println(f.path());
        }
        out.println("MNIST is in " + result.directory() + " (" + result.downloadedCount() + " of "
                + result.files().size() + " files downloaded); use it with: losslab run all --data-dir "
                + result.directory());
        out.flush();
        return 0;
    }
}
