package io.github.losslab.api.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.zip.ZipException;

/**
 * Reads arrays in the IDX format of MNIST and its relatives (LeCun et al., "Gradient-based learning applied to
 * document recognition", 1998; format described at http://yann.lecun.com/exdb/mnist/): a magic number
 * {@code 0x00 0x00 <type> <ndims>}, {@code ndims} big-endian int32 dimensions, then the elements big-endian in
 * row-major order. All {@link IdxType types} are supported. Gzipped input is recognised by its magic bytes
 * {@code 1f 8b}, not by the file name. It may consist of several gzip members back to back (as concatenating gzip
 * files makes it), which together hold the IDX data, but nothing may follow the last member: bytes after the gzip
 * data are trailing garbage, as bytes after the IDX data are.
 *
 * <p>Every problem with the content is an {@link IdxFormatException} naming the source and saying what was
 * expected and what was found; a file that cannot be opened at all raises the JDK's own {@link IOException}
 * (for example {@link java.nio.file.NoSuchFileException}), which names the path. A forged header never causes a
 * large allocation: for an uncompressed file the declared size is checked against the file length before the
 * data array is allocated, and compressed or streamed data is checked against what gzip can expand to and read
 * in growing steps, so memory stays within twice the bytes that really arrive.
 */
public final class IdxReader {

    /** Deflate expands at most about 1032-fold, so a gzip file of n bytes holds at most this many times n. */
    static final long MAX_GZIP_EXPANSION = 1032;
    /** The largest data array the reader allocates: the practical limit on a Java byte array. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    /** The first step of the growing buffer for data of unknown real length. */
    static final int FIRST_CHUNK = 1 << 20;

    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * Reads the IDX file at {@code file}, gzipped or not.
     *
     * @throws IdxFormatException when the content is not a valid IDX array
     * @throws IOException        when the file cannot be opened or read
     */
    public static IdxArray read(Path file) throws IOException {
        String source = file.toString();
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            return read(in, source, size);
        }
    }

    /**
     * Reads one IDX array from {@code in}, gzipped or not, up to the end of the stream; {@code source} names the
     * stream in messages (for example a classpath resource). The stream is not closed.
     *
     * @throws IdxFormatException when the content is not a valid IDX array
     * @throws IOException        when the stream cannot be read
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        return read(in.markSupported() ? in : new BufferedInputStream(in, BUFFER), source, -1);
    }

    private static IdxArray read(InputStream in, String source, long length) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 < 0) {
            throw new IdxFormatException(source, "the file is empty (0 bytes); expected an IDX header of at least"
                    + " 8 bytes (magic number and one dimension). Re-download or regenerate the file");
        }
        if (b0 != 0x1F || b1 != 0x8B) {
            return new Parser(in, source, "the file", length, length).parse();
        }
        long bound = length < 0 ? MAX_DATA_BYTES : Math.min(MAX_DATA_BYTES, length * MAX_GZIP_EXPANSION);
        try (GzipMembersInputStream gz = new GzipMembersInputStream(in, BUFFER, FIRST_CHUNK)) {
            return new Parser(gz, source, "the decompressed data", -1, bound).parse();
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(source, "corrupt gzip data (" + e.getMessage() + "); expected a complete,"
                    + " intact gzip stream. Re-download the file or compress it again", e);
        } catch (GzipMembersInputStream.TrailingDataException e) {
            throw new IdxFormatException(source, "trailing garbage: the file holds " + (e.atLeast() ? "at least " : "")
                    + count(e.bytes()) + " more after its gzip data, which ends at byte " + String.format(Locale.ROOT,
                    "%,d", e.offset()) + "; expected it to end with the gzip data. Re-download the file or"
                    + " compress it again", e);
        }
    }

    /** Parses one IDX array from an uncompressed stream. */
    private static final class Parser {
        private final InputStream in;
        private final String source;
        private final String what;
        /** Exact number of bytes the stream holds, or -1 when unknown. */
        private final long exactLength;
        /** Upper bound on the bytes the stream can hold. */
        private final long bound;

        Parser(InputStream in, String source, String what, long exactLength, long bound) {
            this.in = in;
            this.source = source;
            this.what = what;
            this.exactLength = exactLength;
            this.bound = bound < 0 ? MAX_DATA_BYTES : bound;
        }

        IdxArray parse() throws IOException {
            byte[] magic = new byte[4];
            int got = readUpTo(magic, 0, 4);
            if (got == 0) {
                throw fail(what + " is empty (0 bytes); expected an IDX header of at least 8 bytes");
            }
            if (magic[0] != 0 || (got > 1 && magic[1] != 0)) {
                throw fail("bad magic number: expected an IDX file starting with 0x00 0x00, found "
                        + hex(magic, Math.min(got, 4)) + hint(magic, got)
                        + ". Check that this is an IDX file of the MNIST kind, gzipped or not");
            }
            if (got < 4) {
                throw fail("truncated header: expected a 4-byte magic number, but " + what + " ends after "
                        + got + " byte" + (got == 1 ? "" : "s"));
            }
            int code = magic[2] & 0xFF;
            Optional<IdxType> maybeType = IdxType.ofCode(code);
            if (maybeType.isEmpty()) {
                StringJoiner known = new StringJoiner(", ");
                for (IdxType t : IdxType.values()) {
                    known.add(t.describe());
                }
                throw fail(String.format(Locale.ROOT, "unknown IDX type code 0x%02X in byte 2 of the magic number;"
                        + " expected one of %s", code, known));
            }
            IdxType type = maybeType.get();
            int rank = magic[3] & 0xFF;
            if (rank == 0) {
                throw fail("the magic number declares 0 dimensions; expected at least 1");
            }
            byte[] dimBytes = new byte[4 * rank];
            got = readUpTo(dimBytes, 0, dimBytes.length);
            if (got < dimBytes.length) {
                throw fail("truncated header: the magic number declares " + rank + " dimension"
                        + (rank == 1 ? "" : "s") + ", which take " + dimBytes.length + " bytes, but " + what
                        + " ends " + got + " bytes after the magic number");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = ((dimBytes[4 * i] & 0xFF) << 24) | ((dimBytes[4 * i + 1] & 0xFF) << 16)
                        | ((dimBytes[4 * i + 2] & 0xFF) << 8) | (dimBytes[4 * i + 3] & 0xFF);
            }
            for (int i = 0; i < rank; i++) {
                if (dims[i] < 1) {
                    throw fail("dimension " + i + " of " + IdxArray.describeDims(dims) + " is " + dims[i]
                            + "; expected every dimension to be at least 1 (the header is corrupt)");
                }
            }
            long headerBytes = 4L + 4L * rank;
            long need = type.bytes();
            for (int d : dims) {
                need *= d;
                if (need > MAX_DATA_BYTES) {
                    throw fail("dims " + IdxArray.describeDims(dims) + " of type " + type.describe() + " declare more than "
                            + count(MAX_DATA_BYTES) + " of data, more than one array can hold"
                            + " (the header is corrupt or forged)");
                }
            }
            String declared = "dims " + IdxArray.describeDims(dims) + " of type " + type.describe() + " declare "
                    + count(need) + " of data";
            if (exactLength >= 0) {
                long available = exactLength - headerBytes;
                if (need > available) {
                    throw fail("truncated data: " + declared + ", but " + what + " holds only " + count(available)
                            + " after its " + headerBytes + "-byte header. The file is cut short or its header"
                            + " forged; re-download it");
                }
                if (need < available) {
                    throw fail("trailing garbage: " + declared + ", but " + what + " holds " + count(available - need)
                            + " more after the data; expected it to end with the data");
                }
            } else if (need > bound - headerBytes) {
                throw fail(declared + ", but " + what + " can hold at most " + count(bound)
                        + " (a gzip file expands at most " + MAX_GZIP_EXPANSION + "-fold); the header is corrupt"
                        + " or forged");
            }
            byte[] data = readData((int) need, declared);
            long extra = countRemaining();
            if (extra > 0) {
                throw fail("trailing garbage: " + declared + ", but " + what + " holds "
                        + (extra >= FIRST_CHUNK ? "at least " : "") + count(extra) + " more after the data;"
                        + " expected it to end with the data");
            }
            return new IdxArray(type, dims, data);
        }

        /** Reads {@code need} bytes, growing the buffer only as data arrives. */
        private byte[] readData(int need, String declared) throws IOException {
            byte[] buf = new byte[exactLength >= 0 ? need : Math.min(need, FIRST_CHUNK)];
            int filled = 0;
            while (filled < need) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(need, 2L * buf.length));
                }
                int r = in.read(buf, filled, buf.length - filled);
                if (r < 0) {
                    throw fail("truncated data: " + declared + ", but " + what + " ends after " + count(filled)
                            + " of it. The file is cut short or its header forged; re-download it");
                }
                filled += r;
            }
            return buf;
        }

        /** Counts the bytes left, reading to the end (which also checks a gzip trailer) up to a cap. */
        private long countRemaining() throws IOException {
            byte[] skip = new byte[BUFFER];
            long total = 0;
            int r;
            while (total < FIRST_CHUNK && (r = in.read(skip)) >= 0) {
                total += r;
            }
            return total;
        }

        private int readUpTo(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int r = in.read(b, off + total, len - total);
                if (r < 0) {
                    break;
                }
                total += r;
            }
            return total;
        }

        private IdxFormatException fail(String problem) {
            return new IdxFormatException(source, problem);
        }
    }

    private static String hex(byte[] b, int n) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < n; i++) {
            j.add(String.format(Locale.ROOT, "0x%02X", b[i] & 0xFF));
        }
        return j.toString();
    }

    private static String hint(byte[] b, int n) {
        if (b[0] == '<') {
            return " ('<', the start of an HTML or XML page, perhaps an error page saved in place of the data)";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return " (gzip data inside gzip: the file was compressed twice)";
        }
        return "";
    }

    private static String count(long bytes) {
        return String.format(Locale.ROOT, "%,d", bytes) + (bytes == 1 ? " byte" : " bytes");
    }
}
