package io.github.losslab.api.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The image classification data sets losslab knows by name: how their files are laid out and read, their class
 * names, where they are published and the checksums published with them. The three of the IDX family (MNIST,
 * Fashion-MNIST, KMNIST) share MNIST's four files; CIFAR-10 has its own binary batches ({@link Cifar10Data}).
 *
 * <p>{@link #MNIST} also stands for any data set in MNIST's file layout (EMNIST, a two-class subset): its classes are
 * those its training labels make, {@code 0..K-1}. The others have their 10 classes, and a label outside them is
 * refused.
 */
public enum ImageDataset {

    /** LeCun et al. 1998: handwritten digits, SHA-256 of the files as published with losslab's downloader. */
    MNIST("mnist", "MNIST", "digits", 0, digits(), DatasetDownloader.DEFAULT_MIRRORS,
            sha256(DatasetDownloader.MNIST_SHA256)),
    /**
     * Xiao, Rasul and Vollgraf 2017: Zalando's article images; the MD5 of the files as the data set's repository
     * (zalandoresearch/fashion-mnist) publishes them.
     */
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", "images", 10, List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
                    URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            md5(MnistData.FILES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310")),
    /**
     * Clanuwat et al. 2018, Kuzushiji-MNIST: ten cursive Japanese characters, named by their romanization; the MD5 of
     * the files as published for the data set's download (rois-codh/kmnist, and torchvision's KMNIST).
     */
    KMNIST("kmnist", "Kuzushiji-MNIST", "characters", 10, List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya",
            "re", "wo"),
            List.of(URI.create("https://codh.rois.ac.jp/kmnist/dataset/kmnist/")),
            md5(MnistData.FILES, "bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                    "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134")),
    /**
     * Krizhevsky 2009: 32x32 colour images of 10 classes; the MD5 of the binary version's archive as the CIFAR page
     * publishes it.
     */
    CIFAR10("cifar10", "CIFAR-10", "images", Cifar10Data.CLASSES, List.of("airplane", "automobile", "bird", "cat",
            "deer", "dog", "frog", "horse", "ship", "truck"),
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/")),
            Map.of(Cifar10Data.ARCHIVE, Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530")));

    /** CIFAR-10's archive is 170,052,171 bytes; a download may take this many. */
    static final long CIFAR_ARCHIVE_LIMIT = 256L << 20;

    private final String configName;
    private final String title;
    private final String samples;
    private final int classes;
    private final List<String> classNames;
    private final List<URI> mirrors;
    private final Map<String, Checksum> downloads;

    ImageDataset(String configName, String title, String samples, int classes, List<String> classNames,
                 List<URI> mirrors, Map<String, Checksum> downloads) {
        this.configName = configName;
        this.title = title;
        this.samples = samples;
        this.classes = classes;
        this.classNames = classNames;
        this.mirrors = mirrors;
        this.downloads = downloads;
    }

    /** The name in configuration files and commands, for example {@code fashion-mnist}. */
    public String configName() {
        return configName;
    }

    /** The name in figures and the report, for example {@code Fashion-MNIST}. */
    public String title() {
        return title;
    }

    /**
     * {@code n} samples in words for figure titles, for example {@code 8,000 MNIST digits} or
     * {@code 1,000 CIFAR-10 images}.
     */
    public String samples(int n) {
        return String.format(Locale.ROOT, "%,d %s %s", n, title, samples);
    }

    /** The number of classes, or 0 for {@link #MNIST}, whose classes are those its training labels make. */
    public int classes() {
        return classes;
    }

    /**
     * The names of {@code k} classes: this data set's when it has {@code k} of them ({@code T-shirt/top},
     * {@code Trouser}, ...), else the labels {@code 0..k-1}.
     */
    public List<String> classNames(int k) {
        if (k == classNames.size()) {
            return classNames;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    /** The class set in words for messages about labels, or null when the labels make it. */
    String classSet() {
        return classes == 0 ? null : "the " + classes + " classes of " + title;
    }

    /** The files a data directory of this data set holds, for messages. */
    public List<String> files() {
        return this == CIFAR10 ? Cifar10Data.FILES : MnistData.FILES;
    }

    /** The files {@code directory} lacks (for the IDX family each may be gzipped). */
    public List<String> missing(Path directory) {
        if (this == CIFAR10) {
            return Cifar10Data.missing(directory);
        }
        return MnistData.FILES.stream().filter(f -> !Files.isRegularFile(directory.resolve(f))
                && !Files.isRegularFile(directory.resolve(f + MnistData.GZIP_SUFFIX))).toList();
    }

    /**
     * Loads the files of {@code directory}, checking the labels against this data set's classes; the splits are
     * named {@code <configName>[train]} and {@code <configName>[test]}.
     *
     * @throws DataException naming the file and the problem
     */
    public MnistData.Splits load(Path directory) throws DataException {
        if (this == CIFAR10) {
            return Cifar10Data.load(directory, configName, classSet());
        }
        MnistData.Splits s = MnistData.load(directory, configName, classes, classSet());
        return this == MNIST ? s : new MnistData.Splits(s.train(), s.test(), title + " " + s.source());
    }

    /**
     * The downloader of this data set's published files with their published checksums, from its mirrors; for
     * CIFAR-10 its archive, which {@link #download} unpacks.
     */
    public DatasetDownloader downloader() {
        DatasetDownloader d = DatasetDownloader.defaults().withMirrors(mirrors).withChecksums(downloads);
        return this == CIFAR10 ? d.withMaxFileBytes(CIFAR_ARCHIVE_LIMIT) : d;
    }

    /**
     * Fetches this data set into {@code directory} with {@code downloader} (this data set's {@link #downloader()},
     * perhaps pointed elsewhere) and leaves there the files {@link #load} reads. CIFAR-10's archive is verified,
     * unpacked and then deleted; a directory that already holds the six files is left as it is.
     *
     * @return what happened to each downloaded file
     * @throws DataException when a download, its checksum or the unpacking fails
     */
    public DatasetDownloader.Result download(Path directory, DatasetDownloader downloader) throws DataException {
        if (this != CIFAR10) {
            return downloader.download(directory);
        }
        if (Files.isDirectory(directory) && Cifar10Data.missing(directory).isEmpty()) {
            return new DatasetDownloader.Result(directory, List.of());
        }
        DatasetDownloader.Result result = downloader.download(directory);
        for (DatasetDownloader.FileResult f : result.files()) {
            Cifar10Data.unpack(f.path(), directory);
            try {
                Files.deleteIfExists(f.path());
            } catch (java.io.IOException e) {
                throw new DataException(f.path() + ": unpacked, but cannot delete the archive (" + e + ")", e);
            }
        }
        return result;
    }

    /** The data set of a name, as configuration files and commands write it. */
    public static Optional<ImageDataset> find(String name) {
        return Stream.of(values()).filter(d -> d.configName.equals(name)).findFirst();
    }

    /** The names, for messages: {@code mnist, fashion-mnist, kmnist, cifar10}. */
    public static String names() {
        return Stream.of(values()).map(ImageDataset::configName).collect(Collectors.joining(", "));
    }

    private static List<String> digits() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            names.add(Integer.toString(c));
        }
        return List.copyOf(names);
    }

    private static Map<String, Checksum> sha256(Map<String, String> hashes) {
        Map<String, Checksum> m = new LinkedHashMap<>();
        hashes.forEach((file, hex) -> m.put(file, Checksum.sha256(hex)));
        return m;
    }

    private static Map<String, Checksum> md5(List<String> files, String... hex) {
        Map<String, Checksum> m = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            m.put(files.get(i) + MnistData.GZIP_SUFFIX, Checksum.md5(hex[i]));
        }
        return m;
    }
}
