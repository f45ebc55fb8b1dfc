package io.github.losslab.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the regular files of a tar archive (POSIX ustar headers, with GNU long names), one after the other, from a
 * stream: enough to unpack a data set's archive, such as CIFAR-10's {@code cifar-10-binary.tar.gz}, without a
 * library. Every 512-byte header's checksum is verified; links, directories and other entries are skipped with
 * their data. A header that is damaged, or an archive that ends inside an entry, is a {@link DataException} naming
 * the archive and the entry.
 */
public final class TarArchive {

    /** Size of a header and of the blocks the data is padded to. */
    static final int BLOCK = 512;
    /** The longest GNU long name read, in bytes. */
    private static final long MAX_LONG_NAME = 4096;

    /** What to do with one regular file of the archive. */
    @FunctionalInterface
    public interface EntryHandler {
        /**
         * Called once per regular file with its path in the archive and its size; {@code data} holds exactly its
         * bytes and may be read partly or not at all.
         */
        void entry(String name, long size, InputStream data) throws IOException;
    }

    private TarArchive() {
    }

    /**
     * Calls {@code handler} for each regular file of the uncompressed tar stream {@code in}, in archive order, up
     * to the end-of-archive blocks (or the end of the stream after a whole entry).
     *
     * @param source names the archive in messages
     * @throws DataException when a header is damaged or the archive ends inside an entry
     */
    public static void read(InputStream in, String source, EntryHandler handler) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        long offset = 0;
        while (true) {
            int got = in.readNBytes(header, 0, BLOCK);
            if (got == 0 || isZero(header, got)) {
                return;
            }
            if (got < BLOCK) {
                throw new DataException(source + ": truncated tar archive: a header at byte " + offset + " has only "
                        + got + " of its " + BLOCK + " bytes; re-download the archive");
            }
            String name = longName != null ? longName : name(header);
            longName = null;
            checkSum(header, source, name, offset);
            long size = octal(header, 124, 12, source, name, "size");
            char type = (char) header[156];
            offset += BLOCK;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            BoundedStream data = new BoundedStream(in, size, source, name);
            if (type == 'L') {
                if (size > MAX_LONG_NAME) {
                    throw new DataException(source + ": a GNU long name of " + size + " bytes at byte " + offset
                            + "; expected at most " + MAX_LONG_NAME + " (the archive is damaged)");
                }
                longName = cString(data.readAllBytes(), 0, (int) size);
            } else if (type == '0' || type == 0) {
                handler.entry(name, size, data);
            }
            data.skipRest();
            skipFully(in, padded - size, source, name);
            offset += padded;
        }
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static void checkSum(byte[] header, String source, String name, long offset) throws DataException {
        long declared = octal(header, 148, 8, source, name, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xFF;
        }
        if (sum != declared) {
            throw new DataException(source + ": the tar header of '" + shorten(name) + "' at byte " + offset
                    + " has checksum " + sum + " but declares " + declared + "; the archive is damaged or not a tar"
                    + " file. Re-download it");
        }
    }

    /** An octal number field, NUL- or space-terminated. */
    private static long octal(byte[] h, int from, int length, String source, String name, String field)
            throws DataException {
        long value = 0;
        boolean digits = false;
        for (int i = from; i < from + length; i++) {
            int c = h[i];
            if (c == 0 || (c == ' ' && digits)) {
                break;
            }
            if (c == ' ' && !digits) {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new DataException(source + ": the tar header of '" + shorten(name) + "' has a " + field
                        + " field that is not an octal number (byte 0x" + Integer.toHexString(c & 0xFF) + "); the"
                        + " archive is damaged or not a tar file. Re-download it");
            }
            value = value * 8 + (c - '0');
            digits = true;
        }
        return value;
    }

    private static String cString(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return n == BLOCK;
    }

    private static void skipFully(InputStream in, long n, String source, String name) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw truncated(source, name);
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static DataException truncated(String source, String name) {
        return new DataException(source + ": truncated tar archive: it ends inside '" + shorten(name)
                + "'; re-download the archive");
    }

    private static String shorten(String name) {
        return name.length() > 120 ? name.substring(0, 120) + "..." : name;
    }

    /** The data of one entry: at most its size, and an error when the archive ends before it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private final String source;
        private final String name;
        private long left;

        BoundedStream(InputStream in, long size, String source, String name) {
            this.in = in;
            this.left = size;
            this.source = source;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r < 0) {
                throw truncated(source, name);
            }
            left -= r;
            return r;
        }

        void skipRest() throws IOException {
            skipFully(in, left, source, name);
            left = 0;
        }

        @Override
        public void close() {
            // the archive's stream stays open for the next entry
        }
    }
}
