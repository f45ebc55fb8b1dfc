package io.github.losslab.api.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.github.losslab.api.data.Cifar10TestFiles.batch;
import static io.github.losslab.api.data.Cifar10TestFiles.pixel;
import static io.github.losslab.api.data.Cifar10TestFiles.writeCifar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CIFAR-10's binary version read from files the test writes with known content, its archive unpacked by the tar
 * reader, and its download verified against an MD5 over loopback HTTP.
 */
class Cifar10DataTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new java.util.concurrent.ConcurrentHashMap<>();
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void readsRecordsIntoHeightWidthChannels() throws IOException {
        writeCifar(dir);

        MnistData.Splits s = Cifar10Data.load(dir);

        Dataset train = s.train();
        assertThat(train.featureShape()).containsExactly(32, 32, 3);
        assertThat(train.size()).isEqualTo(50);
        assertThat(train.classes()).isEqualTo(10);
        assertThat(train.label(0)).isZero();
        assertThat(train.label(10)).isEqualTo(1); // batch 2 starts at label 1
        // sample 12 is record 2 of batch 2; its pixel at row 1, column 2 (plane position 34), channel 2 (blue)
        assertThat(train.feature(12, (32 + 2) * 3 + 2)).isEqualTo(pixel(2, 2, 34) / 255f);
        assertThat(s.test().labels()).containsExactly(7, 0, 9);
        assertThat(s.test().feature(1, 0)).isEqualTo(pixel(1, 0, 0) / 255f);
        assertThat(s.source()).startsWith("CIFAR-10 binary files in");
        assertThat(ImageDataset.CIFAR10.load(dir).train().name()).isEqualTo("cifar10[train]");
    }

    @Test
    void aFileThatIsNotWholeRecordsIsRefused() throws IOException {
        writeCifar(dir);
        byte[] whole = batch(0, 1, 2);
        Path cut = Files.write(dir.resolve(Cifar10Data.TEST_FILE), java.util.Arrays.copyOf(whole, whole.length - 5));

        assertThatThrownBy(() -> Cifar10Data.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut + ": 9,214 bytes are not a whole number of 3,073-byte records (1 label"
                        + " byte and 3 x 32 x 32 pixel bytes): 2 records and 3,068 bytes left over");

        Files.write(cut, new byte[0]);
        assertThatThrownBy(() -> Cifar10Data.load(dir)).hasMessageStartingWith(cut + ": the file is empty");
    }

    @Test
    void labelsOutsideTheTenClassesOrAMissingClassAreRefused() throws IOException {
        writeCifar(dir);
        Path third = Files.write(dir.resolve("data_batch_3.bin"), batch(0, 1, 12, 3));

        assertThatThrownBy(() -> Cifar10Data.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(third + ": label 2 is 12; expected a class of 0..9, the 10 classes of"
                        + " CIFAR-10");

        for (String f : Cifar10Data.TRAIN_FILES) {
            Files.write(dir.resolve(f), batch(0, 1, 2, 3, 4, 5, 6, 7, 8));
        }
        assertThatThrownBy(() -> Cifar10Data.load(dir)).hasMessageContaining(": class 9 never occurs among the 45"
                + " training labels (classes found: 0, 1, 2, 3, 4, 5, 6, 7, 8)");
    }

    @Test
    void missingFilesAreNamedAndTheArchivesDirectoryIsPointedTo() throws IOException {
        writeCifar(dir.resolve(Cifar10Data.ARCHIVE_DIRECTORY));

        assertThatThrownBy(() -> Cifar10Data.load(dir)).isInstanceOf(DataException.class)
                .hasMessageContaining(dir + ": missing data_batch_1.bin, data_batch_2.bin")
                .hasMessageContaining("give that directory as data-dir");
        assertThat(ImageDataset.CIFAR10.missing(dir)).hasSize(6);
    }

    @Test
    void downloadChecksTheMd5ThenUnpacksTheArchive() throws IOException {
        Path source = dir.resolve("source");
        writeCifar(source);
        byte[] archive = archive(source, true);
        served.put("/kriz/" + Cifar10Data.ARCHIVE, archive);
        Path target = dir.resolve("target");
        DatasetDownloader d = ImageDataset.CIFAR10.downloader().withMirrors(List.of(base.resolve("kriz/")))
                .withChecksums(Map.of(Cifar10Data.ARCHIVE, Checksum.md5(md5(archive))));

        DatasetDownloader.Result result = ImageDataset.CIFAR10.download(target, d);

        assertThat(result.downloadedCount()).isEqualTo(1);
        assertThat(result.files().get(0).checksum().algorithm()).isEqualTo("MD5");
        assertThat(Cifar10Data.missing(target)).isEmpty();
        assertThat(target.resolve(Cifar10Data.ARCHIVE)).doesNotExist();
        assertThat(Files.readAllBytes(target.resolve(Cifar10Data.TEST_FILE)))
                .isEqualTo(Files.readAllBytes(source.resolve(Cifar10Data.TEST_FILE)));
        assertThat(Cifar10Data.load(target).train().size()).isEqualTo(50);
        // the six files are there: nothing is fetched again
        assertThat(ImageDataset.CIFAR10.download(target, d).files()).isEmpty();
    }

    @Test
    void anArchiveWhoseMd5DoesNotMatchIsDiscardedBeforeUnpacking() throws IOException {
        Path source = dir.resolve("source");
        writeCifar(source);
        served.put("/kriz/" + Cifar10Data.ARCHIVE, archive(source, true));
        Path target = dir.resolve("target");
        DatasetDownloader d = ImageDataset.CIFAR10.downloader().withMirrors(List.of(base.resolve("kriz/")));

        assertThatThrownBy(() -> ImageDataset.CIFAR10.download(target, d)).isInstanceOf(DataException.class)
                .hasMessageContaining("MD5 mismatch: expected c32a1d4ab5d03f1284b67883e8d87530, found ");
        try (var entries = Files.list(target)) {
            assertThat(entries.toList()).isEmpty();
        }
    }

    @Test
    void unpackingRefusesDamagedOrIncompleteArchives() throws IOException {
        Path source = dir.resolve("source");
        writeCifar(source);
        Files.delete(source.resolve("data_batch_4.bin"));
        Path incomplete = Files.write(dir.resolve("incomplete.tar.gz"), archive(source, false));
        Path out = Files.createDirectories(dir.resolve("out"));

        assertThatThrownBy(() -> Cifar10Data.unpack(incomplete, out)).isInstanceOf(DataException.class)
                .hasMessage(incomplete + ": the archive lacks data_batch_4.bin; expected the six files"
                        + " data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin,"
                        + " test_batch.bin in its directory cifar-10-batches-bin/");

        writeCifar(source);
        byte[] tar = tar(source, false);
        tar[148] = '9'; // a checksum digit that is not octal
        Path damaged = Files.write(dir.resolve("damaged.tar.gz"), IdxTestFiles.gzip(tar));
        assertThatThrownBy(() -> Cifar10Data.unpack(damaged, out))
                .hasMessageStartingWith(damaged + ": the tar header of 'cifar-10-batches-bin/batches.meta.txt' has a"
                        + " checksum field that is not an octal number");

        byte[] cut = java.util.Arrays.copyOf(tar(source, false), 5000);
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), IdxTestFiles.gzip(cut));
        assertThatThrownBy(() -> Cifar10Data.unpack(truncated, out))
                .hasMessageContaining("truncated tar archive: it ends inside 'cifar-10-batches-bin/data_batch_1.bin'");

        Path notGzip = Files.write(dir.resolve("plain.tar.gz"), tar(source, false));
        assertThatThrownBy(() -> Cifar10Data.unpack(notGzip, out)).hasMessageContaining("not a gzip file");
    }

    /** The gzipped tar archive of the six files of {@code d}, in the official archive's layout. */
    private static byte[] archive(Path d, boolean ustar) throws IOException {
        return IdxTestFiles.gzip(tar(d, ustar));
    }

    /**
     * A tar of a text file, a directory entry and the files of {@code d} under {@code cifar-10-batches-bin/}; with
     * {@code ustar} the directory goes into the ustar prefix field, else a GNU long-name entry holds one name.
     */
    private static byte[] tar(Path d, boolean ustar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, "cifar-10-batches-bin/batches.meta.txt", '0', "airplane\n".getBytes(StandardCharsets.US_ASCII),
                ustar);
        entry(out, "cifar-10-batches-bin/", '5', new byte[0], ustar);
        for (String f : Cifar10Data.FILES) {
            Path p = d.resolve(f);
            if (Files.exists(p)) {
                String name = Cifar10Data.ARCHIVE_DIRECTORY + "/" + f;
                if (!ustar && f.equals(Cifar10Data.TEST_FILE)) {
                    entry(out, "././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8), false);
                    entry(out, "truncated-name", '0', Files.readAllBytes(p), false);
                } else {
                    entry(out, name, '0', Files.readAllBytes(p), ustar);
                }
            }
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, String name, char type, byte[] data, boolean ustar) {
        byte[] h = new byte[512];
        String stored = name;
        if (ustar && name.contains("/") && !name.endsWith("/")) {
            String prefix = name.substring(0, name.lastIndexOf('/'));
            stored = name.substring(name.lastIndexOf('/') + 1);
            put(h, 345, prefix);
        }
        put(h, 0, stored);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        if (ustar) {
            put(h, 257, "ustar");
            put(h, 263, "00");
        }
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
