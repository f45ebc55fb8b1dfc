package io.github.losslab.app.cli;

import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.DatasetDownloader;
import io.github.losslab.api.data.ImageDataset;
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
import java.util.stream.Stream;

/**
 * {@code losslab data download mnist|fashion-mnist|kmnist|cifar10 [--dir DIR]}: fetches a data set's published
 * files from public mirrors, checks the checksums published with them (SHA-256 for MNIST, MD5 where only MD5 is
 * published) and moves each into place only when it is complete and correct; CIFAR-10's archive is then unpacked.
 */
@Command(name = "download", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Downloads a data set and checks its published checksum; files already present and correct"
                + " are kept.")
final class DownloadCommand implements Callable<Integer> {

    /** The data sets that can be downloaded. */
    static final List<String> DATASETS = Stream.of(ImageDataset.values()).map(ImageDataset::configName).toList();

    private static final Logger LOG = LogManager.getLogger(DownloadCommand.class);

    @Parameters(index = "0", paramLabel = "DATASET", description = "The data set: mnist, fashion-mnist, kmnist or"
            + " cifar10.")
    String dataset;

    @Option(names = "--dir", paramLabel = "DIR", converter = Converters.PathConverter.class,
            description = "Directory to download into (default: losslab-data/DATASET).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws DataException {
        ImageDataset data = ImageDataset.find(dataset).orElseThrow(() ->
                new UnknownNameException("data set", dataset, DATASETS));
        Path dir = this.dir != null ? this.dir : Path.of("losslab-data", data.configName());
        // a directory that cannot take the files is the user's to change, not a failed download
        OutputDirectory.problem(dir).ifPresent(problem -> {
            throw new UsageException("--dir: " + problem + "; choose a directory the download can be written to");
        });
        DatasetDownloader.Result result = data.download(dir, data.downloader().withProgress(LOG::info));
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = data == ImageDataset.CIFAR10 ? data.files().stream().map(dir::resolve).toList()
                : result.files().stream().map(DatasetDownloader.FileResult::path).toList();
        files.forEach(out::println);
        String flag = data == ImageDataset.MNIST ? "" : " --dataset " + data.configName();
        out.println(data.title() + " is in " + dir + " (" + result.downloadedCount() + " of " + result.files().size()
                + " files downloaded); use it with: losslab run all" + flag + " --data-dir " + dir);
        out.flush();
        return 0;
    }
}
