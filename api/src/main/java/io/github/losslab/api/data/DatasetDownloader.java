package io.github.losslab.api.data;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Fetches the files of a data set into a directory: by default the four gzipped MNIST files that
 * {@link MnistData#load} then reads; {@link ImageDataset#downloader()} configures it for the other data sets, and
 * the command {@code losslab data download NAME} calls it. For each file it tries the mirrors in order, writes to
 * a temporary name in the target directory, checks the published {@link Checksum} (SHA-256, or MD5 where that is
 * all that is published) and only then moves the file into place atomically, so the directory never holds a
 * partial or wrong file under the real name. Files already there with the right checksum are skipped. When every
 * mirror fails for a file, the {@link DataException} lists each mirror's failure.
 *
 * <p>Immutable; the {@code with*} methods return changed copies, so tests can point it at a loopback server with
 * their own files and hashes.
 */
public final class DatasetDownloader {

    /** Mirrors of the original files, tried in this order (the original site no longer serves them reliably). */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));

    /** SHA-256 of the four original gzipped files, by file name, in download order. */
    public static final Map<String, String> MNIST_SHA256 = mnistHashes();

    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(20);
    /** The longest one file's whole transfer may take (the largest MNIST file is 9.9 MB). */
    public static final Duration TRANSFER_TIMEOUT_DEFAULT = Duration.ofMinutes(5);
    /**
     * The most bytes one file may have: a response that announces more in its Content-Length is refused, and one
     * that sends more (a chunked response announces nothing) is cut off there and its partial file deleted.
     */
    public static final long MAX_FILE_BYTES_DEFAULT = 64L << 20;

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** What happened to one file. */
    public enum Outcome {
        DOWNLOADED, ALREADY_PRESENT
    }

    /**
     * One file in the target directory with its verified checksum; {@code from} is the URL it came from, or null
     * when it was already present.
     */
    public record FileResult(String name, Path path, Outcome outcome, URI from, long bytes, Checksum checksum) {
    }

    /** The directory and what happened to each file, in download order. */
    public record Result(Path directory, List<FileResult> files) {
        public Result {
            files = List.copyOf(files);
        }

        public long downloadedCount() {
            return files.stream().filter(f -> f.outcome() == Outcome.DOWNLOADED).count();
        }
    }

    private final List<URI> mirrors;
    private final Map<String, Checksum> files;
    private final Duration connectTimeout;
    private final Duration transferTimeout;
    private final long maxFileBytes;
    private final Consumer<String> progress;

    private DatasetDownloader(List<URI> mirrors, Map<String, Checksum> files, Duration connectTimeout,
                            Duration transferTimeout, long maxFileBytes, Consumer<String> progress) {
        this.mirrors = mirrors;
        this.files = files;
        this.connectTimeout = connectTimeout;
        this.transferTimeout = transferTimeout;
        this.maxFileBytes = maxFileBytes;
        this.progress = progress;
    }

    /** The default mirrors, the MNIST files and hashes, the default timeouts, and no progress messages. */
    public static DatasetDownloader defaults() {
        return new DatasetDownloader(DEFAULT_MIRRORS, Map.of(), CONNECT_TIMEOUT_DEFAULT, TRANSFER_TIMEOUT_DEFAULT,
                MAX_FILE_BYTES_DEFAULT, message -> { }).withFiles(MNIST_SHA256);
    }

    /** A copy that tries these base URLs in order; a missing trailing slash is added. */
    public DatasetDownloader withMirrors(List<URI> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one mirror is needed, the list was empty");
        }
        List<URI> normalized = new ArrayList<>();
        for (URI u : baseUrls) {
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("mirror " + u + " must be an absolute http or https URL");
            }
            String s = u.toString();
            normalized.add(URI.create(s.endsWith("/") ? s : s + "/"));
        }
        return new DatasetDownloader(List.copyOf(normalized), files, connectTimeout, transferTimeout, maxFileBytes,
                progress);
    }

    /** A copy that fetches these files (plain names, resolved against each mirror), checked against these SHA-256. */
    public DatasetDownloader withFiles(Map<String, String> sha256ByFileName) {
        Map<String, Checksum> checksums = new LinkedHashMap<>();
        sha256ByFileName.forEach((name, hash) -> {
            try {
                checksums.put(name, Checksum.sha256(hash));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SHA-256 of " + name + " must be 64 hex digits, was '" + hash
                        + "'", e);
            }
        });
        return withChecksums(checksums);
    }

    /** A copy that fetches these files (plain names, resolved against each mirror), checked against these checksums. */
    public DatasetDownloader withChecksums(Map<String, Checksum> checksumByFileName) {
        if (checksumByFileName.isEmpty()) {
            throw new IllegalArgumentException("at least one file is needed, the map was empty");
        }
        Map<String, Checksum> copy = new LinkedHashMap<>();
        checksumByFileName.forEach((name, checksum) -> {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("file name '" + name + "' must be a plain name such as"
                        + " train-images-idx3-ubyte.gz, without directories");
            }
            copy.put(name, Objects.requireNonNull(checksum, "checksum"));
        });
        return new DatasetDownloader(mirrors, Collections.unmodifiableMap(copy), connectTimeout, transferTimeout,
                maxFileBytes, progress);
    }

    /** A copy with other timeouts: to connect, and for the whole transfer of one file from one mirror. */
    public DatasetDownloader withTimeouts(Duration connect, Duration transfer) {
        if (connect.isNegative() || connect.isZero() || transfer.isNegative() || transfer.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive, were " + connect + " and " + transfer);
        }
        return new DatasetDownloader(mirrors, files, connect, transfer, maxFileBytes, progress);
    }

    /**
     * A copy that accepts files of at most {@code bytes} bytes, counted as they arrive (see
     * {@link #MAX_FILE_BYTES_DEFAULT}).
     */
    public DatasetDownloader withMaxFileBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the file size limit must be at least 1 byte, was " + bytes);
        }
        return new DatasetDownloader(mirrors, files, connectTimeout, transferTimeout, bytes, progress);
    }

    /** The most bytes one file may have. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** A copy that reports each step (skipped, fetching, failed on a mirror, done) as a line of text. */
    public DatasetDownloader withProgress(Consumer<String> listener) {
        return new DatasetDownloader(mirrors, files, connectTimeout, transferTimeout, maxFileBytes,
                Objects.requireNonNull(listener, "listener"));
    }

    public List<URI> mirrors() {
        return mirrors;
    }

    /** The files to fetch and their checksums, in download order. */
    public Map<String, Checksum> files() {
        return files;
    }

    /**
     * Makes sure {@code directory} (created if needed) holds every file with its expected hash, downloading those
     * that are missing or wrong. Stops at the first file that no mirror could deliver; files finished before stay.
     *
     * @throws DataException naming the file and each mirror's failure, or the directory that cannot be written
     */
    public Result download(Path directory) throws DataException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DataException(directory + ": cannot create the download directory (" + e + "); choose a"
                    + " writable directory", e);
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        HttpClient client = builder.build();
        List<FileResult> results = new ArrayList<>();
        for (Map.Entry<String, Checksum> f : files.entrySet()) {
            results.add(fetch(client, directory, f.getKey(), f.getValue()));
        }
        return new Result(directory, results);
    }

    private FileResult fetch(HttpClient client, Path directory, String name, Checksum expected) throws DataException {
        Path target = directory.resolve(name);
        String algorithm = expected.algorithm();
        if (Files.isRegularFile(target)) {
            Checksum found = expected.of(target);
            if (found.equals(expected)) {
                progress.accept(name + ": already present with the expected " + algorithm + ", skipped");
                return new FileResult(name, target, Outcome.ALREADY_PRESENT, null, size(target), found);
            }
            progress.accept(name + ": present but its " + algorithm + " is " + found.hex() + ", expected "
                    + expected.hex() + "; downloading it again");
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : mirrors) {
            URI url = mirror.resolve(name);
            progress.accept(name + ": fetching " + url);
            Path temp;
            try {
                temp = Files.createTempFile(directory, "." + name + ".", ".part");
            } catch (IOException e) {
                throw new DataException(directory + ": cannot write a temporary file (" + e + "); choose a"
                        + " writable directory", e);
            }
            try {
                String failure = transfer(client, url, temp, expected);
                if (failure == null) {
                    moveIntoPlace(temp, target);
                    long bytes = size(target);
                    progress.accept(name + ": done, " + bytes + " bytes, " + algorithm + " verified");
                    return new FileResult(name, target, Outcome.DOWNLOADED, url, bytes, expected);
                }
                progress.accept(name + ": failed on " + url + ": " + failure);
                failures.add(url + ": " + failure);
            } finally {
                deleteQuietly(temp);
            }
        }
        throw new DataException("could not download " + name + " into " + directory + " from any of "
                + mirrors.size() + " mirror" + (mirrors.size() == 1 ? "" : "s") + ":\n  "
                + String.join("\n  ", failures)
                + "\nCheck the network connection (and proxy settings such as -Dhttps.proxyHost), try again later,"
                + " or put the file into that directory by hand; files already downloaded are kept");
    }

    /** Downloads {@code url} into {@code temp} and checks its hash; returns null on success, else the reason. */
    private String transfer(HttpClient client, URI url, Path temp, Checksum expected) throws DataException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(transferTimeout).GET().build();
        HttpResponse.BodyHandler<Path> handler = info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > maxFileBytes) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new LimitedFileSubscriber(temp, maxFileBytes);
        };
        CompletableFuture<HttpResponse<Path>> future = client.sendAsync(request, handler);
        HttpResponse<Path> response;
        try {
            response = future.get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return "timed out after " + transferTimeout.toSeconds() + " s";
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DataException("download of " + url + " was interrupted; nothing was written under the real"
                    + " name", e);
        } catch (ExecutionException e) {
            return describe(e.getCause());
        }
        if (response.statusCode() != 200) {
            return "HTTP " + response.statusCode() + "; expected 200";
        }
        if (response.body() == null) {
            return "the response announces " + response.headers().firstValue("Content-Length").orElse("?")
                    + " bytes, more than the limit of " + count(maxFileBytes);
        }
        Checksum found = expected.of(temp);
        if (!found.equals(expected)) {
            return expected.algorithm() + " mismatch: expected " + expected.hex() + ", found " + found.hex() + " ("
                    + size(temp) + " bytes); the file was discarded";
        }
        return null;
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TooLargeException tooLarge) {
                return tooLarge.getMessage();
            }
        }
        if (t instanceof HttpTimeoutException) {
            return "timed out (" + t.getMessage() + ")";
        }
        if (t instanceof ConnectException) {
            return "cannot connect (" + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()) + ")";
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String count(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    /** The body went past the size limit; the message says so for the list of mirror failures. */
    private static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Writes a response body to a file and counts the bytes as they arrive: once the next piece would take the
     * file past {@code limit}, it cancels the transfer and fails with a {@link TooLargeException}, so the file
     * never holds more than {@code limit} bytes. The caller deletes the file after a failure.
     */
    private static final class LimitedFileSubscriber implements HttpResponse.BodySubscriber<Path> {
        private final Path file;
        private final long limit;
        private final CompletableFuture<Path> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private FileChannel channel;
        private long written;

        LimitedFileSubscriber(Path file, long limit) {
            this.file = file;
            this.limit = limit;
        }

        @Override
        public CompletionStage<Path> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            try {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                fail(e);
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    if (written + b.remaining() > limit) {
                        fail(new TooLargeException("the response sent more than the limit of " + count(limit)
                                + " without announcing its length (no Content-Length); stopped after "
                                + count(written) + " and deleted the partial file"));
                        return;
                    }
                    while (b.hasRemaining()) {
                        written += channel.write(b);
                    }
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            try {
                channel.close();
                result.complete(file);
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }

        private void fail(IOException e) {
            subscription.cancel();
            close();
            result.completeExceptionally(e);
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // The transfer has failed already; the caller deletes the file.
                }
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws DataException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DataException(target + ": cannot move the verified download into place (" + e + ")", e);
        }
    }

    private static long size(Path file) throws DataException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the file size (" + e + ")", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover hidden .part file is harmless; the next download makes a new one.
        }
    }

    private static Map<String, String> mnistHashes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
        m.put("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c");
        m.put("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6");
        m.put("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
        return Collections.unmodifiableMap(m);
    }
}
