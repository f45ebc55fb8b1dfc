package io.github.losslab.api.data;

import static io.github.losslab.api.data.IdxTestFiles.gzip;
import static io.github.losslab.api.data.IdxTestFiles.ubyte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real HTTP server on the loopback interface, serving small generated IDX files. */
class DatasetDownloaderTest {

    private static final byte[] IMAGES = gzip(ubyte(new int[] {2, 2, 2}, 0, 1, 2, 3, 4, 5, 6, 7));
    private static final byte[] LABELS = gzip(ubyte(new int[] {2}, 3, 4));

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    /** Paths served chunked, without a Content-Length, in pieces of 4 KiB. */
    private final Set<String> chunked = ConcurrentHashMap.newKeySet();
    private final List<String> progress = new ArrayList<>();
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.merge(path, 1, Integer::sum);
        byte[] body = served.get(path);
        try (exchange) {
            if (path.startsWith("/stall/")) {
                exchange.sendResponseHeaders(200, 1000);
                exchange.getResponseBody().write(new byte[10]);
                exchange.getResponseBody().flush();
                sleep(5_000);
                return;
            }
            if (body == null) {
                byte[] message = "not found".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(404, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            if (chunked.contains(path)) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int from = 0; from < body.length; from += 4096) {
                        int n = Math.min(4096, body.length - from);
                        out.write(body, from, n);
                        out.flush();
                    }
                }
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> hashes(byte[] images, byte[] labels) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("images.gz", sha256(images));
        m.put("labels.gz", sha256(labels));
        return m;
    }

    private DatasetDownloader downloader(String... mirrors) {
        return DatasetDownloader.defaults()
                .withMirrors(Stream.of(mirrors).map(m -> m.startsWith("http") ? URI.create(m) : base.resolve(m))
                        .toList())
                .withFiles(hashes(IMAGES, LABELS))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withProgress(progress::add);
    }

    @Test
    void downloadsAndVerifiesEveryFile() throws Exception {
        served.put("/m1/images.gz", IMAGES);
        served.put("/m1/labels.gz", LABELS);

        DatasetDownloader.Result result = downloader("m1").download(dir);

        assertThat(result.files()).extracting(DatasetDownloader.FileResult::outcome)
                .containsExactly(DatasetDownloader.Outcome.DOWNLOADED, DatasetDownloader.Outcome.DOWNLOADED);
        assertThat(result.files().get(0).from()).isEqualTo(base.resolve("m1/images.gz"));
        assertThat(result.files().get(1).bytes()).isEqualTo(LABELS.length);
        assertThat(result.downloadedCount()).isEqualTo(2);
        assertThat(Files.readAllBytes(dir.resolve("images.gz"))).isEqualTo(IMAGES);
        assertThat(Files.readAllBytes(dir.resolve("labels.gz"))).isEqualTo(LABELS);
        assertThat(entries(dir)).containsExactlyInAnyOrder("images.gz", "labels.gz");
        assertThat(progress).anyMatch(line -> line.startsWith("labels.gz: done"));
    }

    @Test
    void hashMismatchLeavesNoFileBehind() throws Exception {
        served.put("/m1/images.gz", IMAGES);
        served.put("/m1/labels.gz", gzip(ubyte(new int[] {2}, 9, 9)));

        assertThatThrownBy(() -> downloader("m1").download(dir)).isInstanceOf(DataException.class)
                .hasMessageContaining("could not download labels.gz into " + dir)
                .hasMessageContaining(base.resolve("m1/labels.gz") + ": SHA-256 mismatch: expected "
                        + sha256(LABELS));
        assertThat(entries(dir)).containsExactly("images.gz");
    }

    @Test
    void triesTheNextMirrorWhenOneFails() throws Exception {
        served.put("/m2/images.gz", IMAGES);
        served.put("/m2/labels.gz", LABELS);

        DatasetDownloader.Result result = downloader("m1/", "m2/").download(dir);

        assertThat(result.files()).extracting(DatasetDownloader.FileResult::from)
                .containsExactly(base.resolve("m2/images.gz"), base.resolve("m2/labels.gz"));
        assertThat(hits).containsEntry("/m1/images.gz", 1).containsEntry("/m1/labels.gz", 1);
        assertThat(progress).anyMatch(line -> line.contains("failed on " + base.resolve("m1/images.gz")
                + ": HTTP 404"));
        assertThat(Files.readAllBytes(dir.resolve("labels.gz"))).isEqualTo(LABELS);
    }

    @Test
    void skipsAFileAlreadyPresentWithTheRightHash() throws Exception {
        Files.write(dir.resolve("images.gz"), IMAGES);
        served.put("/m1/images.gz", IMAGES);
        served.put("/m1/labels.gz", LABELS);

        DatasetDownloader.Result result = downloader("m1").download(dir);

        assertThat(result.files()).extracting(DatasetDownloader.FileResult::outcome)
                .containsExactly(DatasetDownloader.Outcome.ALREADY_PRESENT, DatasetDownloader.Outcome.DOWNLOADED);
        assertThat(result.files().get(0).from()).isNull();
        assertThat(hits).doesNotContainKey("/m1/images.gz").containsEntry("/m1/labels.gz", 1);
    }

    @Test
    void replacesAFilePresentWithAWrongHash() throws Exception {
        Files.write(dir.resolve("images.gz"), new byte[] {1, 2, 3});
        served.put("/m1/images.gz", IMAGES);
        served.put("/m1/labels.gz", LABELS);

        DatasetDownloader.Result result = downloader("m1").download(dir);

        assertThat(result.files().get(0).outcome()).isEqualTo(DatasetDownloader.Outcome.DOWNLOADED);
        assertThat(Files.readAllBytes(dir.resolve("images.gz"))).isEqualTo(IMAGES);
    }

    @Test
    void listsEveryMirrorsFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closedPort + "/mnist/";

        assertThatThrownBy(() -> downloader("m1", refused).download(dir.resolve("new")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("could not download images.gz into " + dir.resolve("new")
                        + " from any of 2 mirrors")
                .hasMessageContaining(base.resolve("m1/images.gz") + ": HTTP 404; expected 200")
                .hasMessageContaining(refused + "images.gz: cannot connect")
                .hasMessageContaining("put the file into that directory by hand");
        assertThat(entries(dir.resolve("new"))).isEmpty();
    }

    @Test
    void aStalledTransferTimesOut() throws Exception {
        served.put("/m2/images.gz", IMAGES);
        served.put("/m2/labels.gz", LABELS);
        DatasetDownloader d = downloader("stall", "m2").withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));

        DatasetDownloader.Result result = d.download(dir);

        assertThat(progress).anyMatch(line -> line.contains(base.resolve("stall/images.gz") + ": timed out"));
        assertThat(result.files().get(0).from()).isEqualTo(base.resolve("m2/images.gz"));
        assertThat(entries(dir)).containsExactlyInAnyOrder("images.gz", "labels.gz");
    }

    @Test
    void aChunkedResponseIsCutOffAtTheSizeLimit() throws Exception {
        // 1 MiB without a Content-Length, against a limit of 64 KiB; its hash is the expected one, so that only the
        // limit can refuse it.
        byte[] large = new byte[1 << 20];
        new SplittableRandom(5).nextBytes(large);
        served.put("/m1/images.gz", large);
        chunked.add("/m1/images.gz");
        DatasetDownloader d = downloader("m1").withFiles(hashes(large, LABELS)).withMaxFileBytes(64 << 10);

        assertThatThrownBy(() -> d.download(dir)).isInstanceOf(DataException.class)
                .hasMessageContaining("could not download images.gz into " + dir)
                .hasMessageContaining(base.resolve("m1/images.gz") + ": the response sent more than the limit of"
                        + " 65,536 bytes")
                .hasMessageContaining("deleted the partial file");
        assertThat(entries(dir)).as("no file, partial or whole, is left").isEmpty();
        assertThat(progress).anyMatch(line -> line.startsWith("images.gz: failed on " + base.resolve("m1/images.gz")
                + ": the response sent more than the limit of 65,536 bytes"));
    }

    @Test
    void chunkedResponsesUpToTheLimitAreAccepted() throws Exception {
        served.put("/m1/images.gz", IMAGES);
        served.put("/m1/labels.gz", LABELS);
        chunked.add("/m1/images.gz");
        chunked.add("/m1/labels.gz");
        DatasetDownloader d = downloader("m1").withMaxFileBytes(Math.max(IMAGES.length, LABELS.length));

        DatasetDownloader.Result result = d.download(dir);

        assertThat(result.downloadedCount()).isEqualTo(2);
        assertThat(Files.readAllBytes(dir.resolve("images.gz"))).isEqualTo(IMAGES);
        assertThat(Files.readAllBytes(dir.resolve("labels.gz"))).isEqualTo(LABELS);
        assertThat(entries(dir)).containsExactlyInAnyOrder("images.gz", "labels.gz");
    }

    @Test
    void anAnnouncedLengthOverTheLimitIsRefusedBeforeTheBody() throws Exception {
        served.put("/m1/images.gz", IMAGES);

        assertThatThrownBy(() -> downloader("m1").withMaxFileBytes(IMAGES.length - 1).download(dir))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(base.resolve("m1/images.gz") + ": the response announces " + IMAGES.length
                        + " bytes, more than the limit of " + String.format(java.util.Locale.ROOT, "%,d",
                        IMAGES.length - 1) + " bytes");
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void downloadedMnistFilesLoad() throws Exception {
        Path source = dir.resolve("source");
        IdxTestFiles.writeMnist(source, 6, 4, 3, 3, true);
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : MnistData.FILES) {
            byte[] bytes = Files.readAllBytes(source.resolve(name + ".gz"));
            served.put("/mnist/" + name + ".gz", bytes);
            files.put(name + ".gz", sha256(bytes));
        }
        Path target = dir.resolve("target");

        DatasetDownloader.defaults().withMirrors(List.of(base.resolve("mnist/"))).withFiles(files).download(target);
        MnistData.Splits splits = MnistData.load(target);

        assertThat(splits.train().size()).isEqualTo(6);
        assertThat(splits.test().size()).isEqualTo(4);
    }

    @Test
    void defaultsNameTheFourMnistFiles() {
        DatasetDownloader d = DatasetDownloader.defaults();
        assertThat(d.files().keySet()).containsExactly(MnistData.FILES.stream().map(f -> f + ".gz")
                .toArray(String[]::new));
        assertThat(d.files().values()).allMatch(h -> h.algorithm().equals(Checksum.SHA_256)
                && h.hex().matches("[0-9a-f]{64}"));
        assertThat(d.mirrors()).allMatch(u -> u.getScheme().equals("https") && u.getPath().endsWith("/mnist/"));
    }

    @Test
    void rejectsBadConfiguration() {
        DatasetDownloader d = DatasetDownloader.defaults();
        assertThatThrownBy(() -> d.withMirrors(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMirrors(List.of(URI.create("ftp://example.org/"))))
                .hasMessageContaining("ftp://example.org/ must be an absolute http or https URL");
        assertThatThrownBy(() -> d.withFiles(Map.of("../evil.gz", sha256(IMAGES))))
                .hasMessageContaining("must be a plain name");
        assertThatThrownBy(() -> d.withFiles(Map.of("a.gz", "abc"))).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("timeouts must be positive");
        assertThatThrownBy(() -> d.withMaxFileBytes(0))
                .hasMessage("the file size limit must be at least 1 byte, was 0");
        assertThat(d.maxFileBytes()).isEqualTo(DatasetDownloader.MAX_FILE_BYTES_DEFAULT);
    }

    private static List<String> entries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
