package io.github.losslab.api.data;

import static io.github.losslab.api.data.IdxTestFiles.gzip;
import static io.github.losslab.api.data.IdxTestFiles.raw;
import static io.github.losslab.api.data.IdxTestFiles.ubyte;
import static io.github.losslab.api.data.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsUnsignedBytesWithDims() throws IOException {
        Path file = write(dir, "a.idx", ubyte(new int[] {2, 2, 3}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 254, 255));

        IdxArray a = IdxReader.read(file);

        assertThat(a.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
        assertThat(a.dims()).containsExactly(2, 2, 3);
        assertThat(a.rank()).isEqualTo(3);
        assertThat(a.length()).isEqualTo(12);
        assertThat(a.toIntArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 254, 255);
        assertThat(a.intAt(11)).isEqualTo(255);
        assertThat(a.doubleAt(10)).isEqualTo(254.0);
    }

    @Test
    void readsEveryTypeBigEndian() throws IOException {
        assertThat(read(IdxType.SIGNED_BYTE, new byte[] {-1, 127}).toIntArray()).containsExactly(-1, 127);
        assertThat(read(IdxType.SHORT, ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 513).array())
                .toIntArray()).containsExactly(-300, 513);
        assertThat(read(IdxType.INT, ByteBuffer.allocate(8).putInt(70_000).putInt(-2).array()).toIntArray())
                .containsExactly(70_000, -2);
        assertThat(read(IdxType.FLOAT, ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f).array())
                .toDoubleArray()).containsExactly(1.5, -0.25);
        assertThat(read(IdxType.DOUBLE, ByteBuffer.allocate(16).putDouble(-2.25).putDouble(1e300).array())
                .toDoubleArray()).containsExactly(-2.25, 1e300);
    }

    private IdxArray read(IdxType type, byte[] data) throws IOException {
        int n = data.length / type.bytes();
        return IdxReader.read(write(dir, type + ".idx", IdxArray.of(type, new int[] {n}, data).toIdxBytes()));
    }

    @Test
    void realValuesAreNotReadAsInts() throws IOException {
        IdxArray floats = read(IdxType.FLOAT, ByteBuffer.allocate(4).putFloat(1.5f).array());
        assertThatThrownBy(floats::toIntArray).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0x0D (float)");
    }

    @Test
    void gzipAndPlainFilesGiveTheSameArray() throws IOException {
        int[] values = new int[4 * 5 * 6];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 37) % 256;
        }
        byte[] plain = ubyte(new int[] {4, 5, 6}, values);
        // gzip is recognised by its magic bytes, not the name: the names here say the opposite.
        IdxArray fromPlain = IdxReader.read(write(dir, "plain.gz", plain));
        IdxArray fromGzip = IdxReader.read(write(dir, "packed.idx", gzip(plain)));
        IdxArray fromStream = IdxReader.read(new ByteArrayInputStream(gzip(plain)), "stream");

        assertThat(fromGzip).isEqualTo(fromPlain).isEqualTo(fromStream);
        assertThat(fromGzip.toIntArray()).containsExactly(values);
    }

    @Test
    void writesWhatItReads() throws IOException {
        byte[] bytes = ubyte(new int[] {3}, 7, 8, 9);
        assertThat(IdxReader.read(write(dir, "x", bytes)).toIdxBytes()).isEqualTo(bytes);
    }

    @Test
    void missingFileIsTheJdksError() {
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void emptyFile() throws IOException {
        assertFormatError("empty", new byte[0]).hasMessageContaining("empty (0 bytes)");
    }

    @Test
    void emptyGzipContent() throws IOException {
        assertFormatError("empty.gz", gzip(new byte[0])).hasMessageContaining("decompressed data is empty");
    }

    @Test
    void badMagic() throws IOException {
        assertFormatError("gif", "GIF89a....".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .hasMessageContaining("bad magic number").hasMessageContaining("found 0x47 0x49 0x46 0x38");
        assertFormatError("page.html", "<!DOCTYPE html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .hasMessageContaining("bad magic number").hasMessageContaining("HTML");
    }

    @Test
    void gzipInsideGzip() throws IOException {
        assertFormatError("twice.gz", gzip(gzip(ubyte(new int[] {1}, 1))))
                .hasMessageContaining("bad magic number").hasMessageContaining("compressed twice");
    }

    @Test
    void unknownTypeCode() throws IOException {
        assertFormatError("type", raw(0x0A, new int[] {1}, (byte) 1))
                .hasMessageContaining("unknown IDX type code 0x0A").hasMessageContaining("0x08 (unsigned byte)");
    }

    @Test
    void zeroDimensionsDeclared() throws IOException {
        assertFormatError("rank0", raw(0x08, new int[0], (byte) 1))
                .hasMessageContaining("declares 0 dimensions; expected at least 1");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertFormatError("short-magic", new byte[] {0, 0, 8})
                .hasMessageContaining("truncated header").hasMessageContaining("ends after 3 bytes");
        byte[] cut = Arrays.copyOf(raw(0x08, new int[] {2, 2, 2}), 10);
        assertFormatError("short-dims", cut)
                .hasMessageContaining("truncated header").hasMessageContaining("declares 3 dimensions")
                .hasMessageContaining("ends 6 bytes after");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] full = ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertFormatError("cut", Arrays.copyOf(full, full.length - 2))
                .hasMessageContaining("truncated data").hasMessageContaining("declare 6 bytes of data")
                .hasMessageContaining("holds only 4 bytes");
    }

    @Test
    void truncatedDataInsideGzip() throws IOException {
        byte[] full = ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertFormatError("cut.gz", gzip(Arrays.copyOf(full, full.length - 2)))
                .hasMessageContaining("truncated data").hasMessageContaining("ends after 4 bytes");
    }

    @Test
    void trailingGarbage() throws IOException {
        byte[] full = ubyte(new int[] {2}, 1, 2);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        assertFormatError("long", longer).hasMessageContaining("trailing garbage")
                .hasMessageContaining("3 bytes more after the data");
        assertFormatError("long.gz", gzip(longer)).hasMessageContaining("trailing garbage")
                .hasMessageContaining("3 bytes more after the data");
    }

    @Test
    void bytesAfterTheGzipDataAreTrailingGarbage() throws IOException {
        byte[] packed = gzip(ubyte(new int[] {2, 2}, 1, 2, 3, 4));
        for (int extra = 1; extra <= 30; extra++) {
            byte[] junk = new byte[extra];
            new java.util.SplittableRandom(extra).nextBytes(junk);
            // Not the gzip magic number, which would start another member.
            junk[0] = (byte) (extra % 2 == 0 ? 0 : 'x');
            assertFormatError("junk" + extra + ".gz", concat(packed, junk))
                    .hasMessageContaining("trailing garbage: the file holds " + extra + " byte"
                            + (extra == 1 ? "" : "s") + " more after its gzip data, which ends at byte "
                            + packed.length)
                    .hasMessageContaining("Re-download");
        }
        byte[] stream = concat(packed, new byte[3]);
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(stream), "stream"))
                .isInstanceOf(IdxFormatException.class).hasMessageStartingWith("stream: trailing garbage")
                .hasMessageContaining("3 bytes more after its gzip data");
    }

    @Test
    void concatenatedGzipMembersHoldOneFile() throws IOException {
        byte[] plain = ubyte(new int[] {3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // Split inside the header and inside the data; the middle member is empty.
        byte[] members = concat(concat(gzip(Arrays.copyOfRange(plain, 0, 6)), gzip(new byte[0])),
                gzip(Arrays.copyOfRange(plain, 6, plain.length)));

        IdxArray a = IdxReader.read(write(dir, "members.gz", members));

        assertThat(a.dims()).containsExactly(3, 4);
        assertThat(a.toIntArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // A member whose header is damaged is corrupt data, not junk to skip.
        byte[] damaged = concat(gzip(plain), new byte[] {0x1f, (byte) 0x8b, 7, 0});
        assertFormatError("damaged.gz", damaged).hasMessageContaining("corrupt gzip data");
        byte[] cut = concat(gzip(plain), Arrays.copyOf(gzip(new byte[0]), 12));
        assertFormatError("cut-member.gz", cut).hasMessageContaining("corrupt gzip data");
    }

    @Test
    void gzipHeaderFieldsAreSkippedAndChecked() throws IOException {
        byte[] plain = ubyte(new int[] {2}, 7, 9);
        byte[] simple = gzip(plain);
        // The same member with FEXTRA (2 bytes), FNAME "a.idx", FCOMMENT "c" and FHCRC set.
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(simple, 0, 3);
        b.write(2 | 4 | 8 | 16);
        b.write(simple, 4, 6);
        b.writeBytes(new byte[] {2, 0, 'x', 'y'});
        b.writeBytes(new byte[] {'a', '.', 'i', 'd', 'x', 0, 'c', 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.toByteArray());
        b.write((int) crc.getValue() & 0xFF);
        b.write((int) (crc.getValue() >> 8) & 0xFF);
        b.write(simple, 10, simple.length - 10);
        byte[] fields = b.toByteArray();

        assertThat(IdxReader.read(write(dir, "fields.gz", fields)).toIntArray()).containsExactly(7, 9);
        byte[] badHeaderCrc = fields.clone();
        badHeaderCrc[22] ^= 1;
        assertFormatError("hcrc.gz", badHeaderCrc).hasMessageContaining("corrupt gzip data");
        byte[] badLength = simple.clone();
        badLength[badLength.length - 1] ^= 1;
        assertFormatError("length.gz", badLength).hasMessageContaining("corrupt gzip data");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void zeroOrNegativeDims() throws IOException {
        assertFormatError("zero", raw(0x08, new int[] {3, 0}))
                .hasMessageContaining("dimension 1 of [3, 0] is 0; expected every dimension to be at least 1");
        assertFormatError("negative", raw(0x08, new int[] {-1}, (byte) 1))
                .hasMessageContaining("dimension 0 of [-1] is -1");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] good = gzip(ubyte(new int[] {100}, new int[100]));
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 0x55;
        assertFormatError("crc.gz", badCrc).hasMessageContaining("corrupt gzip data")
                .hasMessageContaining("Re-download");
        assertFormatError("cut.gz", Arrays.copyOf(good, good.length - 12)).hasMessageContaining("corrupt gzip data");
        assertFormatError("magic-only.gz", new byte[] {0x1f, (byte) 0x8b}).hasMessageContaining("corrupt gzip data");
        byte[] badMethod = good.clone();
        badMethod[2] = 7;
        assertFormatError("method.gz", badMethod).hasMessageContaining("corrupt gzip data");
    }

    @Test
    void forgedHugeDimsInAPlainFileAllocateNothingLarge() throws Exception {
        // 60000 x 28 x 28 declared, 10 bytes present: refused by comparing with the file length.
        Path mnistSized = write(dir, "forged", raw(0x08, new int[] {60_000, 28, 28}, new byte[10]));
        long allocated = IdxTestFiles.allocatedBytes(() -> assertThatThrownBy(() -> IdxReader.read(mnistSized))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("truncated data")
                .hasMessageContaining("47,040,000 bytes of data").hasMessageContaining("holds only 10 bytes"));
        assertThat(allocated).isLessThan(4L << 20);

        assertFormatError("overflow", raw(0x0E, new int[] {65_535, 65_535, 65_535}))
                .hasMessageContaining("more than one array can hold");
    }

    @Test
    void forgedHugeDimsInAGzipFileAllocateNothingLarge() throws Exception {
        // Beyond what the compressed size can expand to: refused before reading data.
        Path beyond = write(dir, "beyond.gz", gzip(raw(0x08, new int[] {1 << 30}, new byte[10])));
        long allocated = IdxTestFiles.allocatedBytes(() -> assertThatThrownBy(() -> IdxReader.read(beyond))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("can hold at most"));
        assertThat(allocated).isLessThan(4L << 20);

        // Within that bound but short: read in growing steps, so memory follows the bytes that really arrive.
        byte[] noise = new byte[20_000];
        new java.util.SplittableRandom(1).nextBytes(noise);
        Path within = write(dir, "within.gz", gzip(raw(0x08, new int[] {10_000_000}, noise)));
        allocated = IdxTestFiles.allocatedBytes(() -> assertThatThrownBy(() -> IdxReader.read(within))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("truncated data")
                .hasMessageContaining("ends after 20,000 bytes"));
        assertThat(allocated).isLessThan(8L << 20);
    }

    @Test
    void exceptionCarriesSourceAndProblem() throws IOException {
        Path file = write(dir, "bad", new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> IdxReader.read(file)).isInstanceOfSatisfying(IdxFormatException.class, e -> {
            assertThat(e.source()).isEqualTo(file.toString());
            assertThat(e.problem()).startsWith("bad magic number");
            assertThat(e.getMessage()).isEqualTo(file + ": " + e.problem());
        });
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertFormatError(String name, byte[] content)
            throws IOException {
        Path file = write(dir, name, content);
        return assertThatThrownBy(() -> IdxReader.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": ");
    }
}
