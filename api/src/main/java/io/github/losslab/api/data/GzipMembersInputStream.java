package io.github.losslab.api.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data (RFC 1952) that must end where its last member ends. A gzip file is a series of members,
 * each a header, deflate data and a trailer with the CRC-32 and length of what it holds; members written back to
 * back (as {@code cat a.gz b.gz} or {@code gzip} appending to a file make them) decompress to their contents one
 * after the other, as {@code gzip -d} reads them. Anything else after a member is an error, a
 * {@link TrailingDataException}: {@link java.util.zip.GZIPInputStream} instead stops quietly at bytes that do not
 * start another member, so a file with junk appended read as if it were intact.
 *
 * <p>Bytes after a member that start with the gzip magic number {@code 1f 8b} are read as the next member, so a
 * damaged one fails as corrupt data ({@link ZipException}); a stream cut short fails with an {@link EOFException}.
 * Closing this stream frees its inflater but does not close the underlying stream.
 */
final class GzipMembersInputStream extends InputStream {

    private static final int ID1 = 0x1F;
    private static final int ID2 = 0x8B;
    private static final int DEFLATE = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED_FLAGS = 0xE0;

    /** Bytes found after the last gzip member that do not start another one. */
    static final class TrailingDataException extends IOException {
        private static final long serialVersionUID = 1L;

        private final long offset;
        private final long bytes;
        private final boolean atLeast;

        TrailingDataException(long offset, long bytes, boolean atLeast) {
            super((atLeast ? "at least " : "") + bytes + " byte" + (bytes == 1 ? "" : "s")
                    + " after the gzip data, which ends at byte offset " + offset);
            this.offset = offset;
            this.bytes = bytes;
            this.atLeast = atLeast;
        }

        /** Where the gzip data ends and the trailing bytes begin, counted from the start of the stream. */
        long offset() {
            return offset;
        }

        /** How many bytes follow the gzip data, or how many were counted before giving up. */
        long bytes() {
            return bytes;
        }

        /** True when counting stopped at a cap and more bytes may follow. */
        boolean atLeast() {
            return atLeast;
        }
    }

    private final InputStream in;
    private final long trailingCap;
    private final byte[] buf;
    private int bufPos;
    private int bufLen;
    /** Bytes of the underlying stream consumed so far: read as header or trailer, or used by the inflater. */
    private long position;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private long memberBytes;
    private boolean ended;
    private boolean closed;

    /**
     * Reads the first member's header.
     *
     * @param in          the gzip data, from its first byte
     * @param bufferSize  bytes read from {@code in} at a time
     * @param trailingCap the most trailing bytes counted for the error message before giving up
     * @throws ZipException when the data does not start with a valid gzip header
     * @throws EOFException when the data ends inside the header
     */
    GzipMembersInputStream(InputStream in, int bufferSize, long trailingCap) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.buf = new byte[bufferSize];
        this.trailingCap = trailingCap;
        try {
            if (headerByte() != ID1 || headerByte() != ID2) {
                throw new ZipException("Not in GZIP format");
            }
            readHeaderAfterMagic();
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                int unused = inflater.getRemaining();
                bufPos = bufLen - unused;
                position -= unused;
                readTrailer();
                ended = !nextMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("the deflate data asks for a preset dictionary, which gzip does not allow");
            } else if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("Unexpected end of ZLIB input stream");
                }
                inflater.setInput(buf, bufPos, bufLen - bufPos);
                position += bufLen - bufPos;
                bufPos = bufLen;
            }
        }
        return -1;
    }

    /** Frees the inflater; the underlying stream stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inflater.end();
        }
    }

    /** Checks the member's trailer: the CRC-32 and the length (mod 2^32) of what it decompressed to. */
    private void readTrailer() throws IOException {
        long storedCrc = trailerInt();
        long storedSize = trailerInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException(String.format(Locale.ROOT, "Corrupt GZIP trailer: CRC-32 %08x stored, %08x computed",
                    storedCrc, crc.getValue()));
        }
        if (storedSize != (memberBytes & 0xFFFF_FFFFL)) {
            throw new ZipException("Corrupt GZIP trailer: length " + storedSize + " stored, " + memberBytes
                    + " decompressed");
        }
    }

    /**
     * After a member: false at the end of the data, true when another member follows (its header read), and a
     * {@link TrailingDataException} for anything else.
     */
    private boolean nextMember() throws IOException {
        long end = position;
        int b0 = rawByte();
        if (b0 < 0) {
            return false;
        }
        int b1 = rawByte();
        if (b0 == ID1 && b1 == ID2) {
            headerCrc.reset();
            headerCrc.update(ID1);
            headerCrc.update(ID2);
            readHeaderAfterMagic();
            inflater.reset();
            crc.reset();
            memberBytes = 0;
            return true;
        }
        long extra = b1 < 0 ? 1 : 2;
        while (extra < trailingCap && rawByte() >= 0) {
            extra++;
        }
        boolean more = extra >= trailingCap && rawByte() >= 0;
        throw new TrailingDataException(end, extra, more);
    }

    /** The rest of a member header after the magic number, through its optional fields and header CRC. */
    private void readHeaderAfterMagic() throws IOException {
        if (headerByte() != DEFLATE) {
            throw new ZipException("Unsupported compression method");
        }
        int flags = headerByte();
        if ((flags & RESERVED_FLAGS) != 0) {
            throw new ZipException(String.format(Locale.ROOT, "reserved gzip header flags set: 0x%02x", flags));
        }
        for (int i = 0; i < 6; i++) {
            headerByte();
        }
        if ((flags & FEXTRA) != 0) {
            int extra = headerByte() | headerByte() << 8;
            for (int i = 0; i < extra; i++) {
                headerByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte() != 0) {
                // skip the file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte() != 0) {
                // skip the comment
            }
        }
        if ((flags & FHCRC) != 0) {
            int expected = (int) (headerCrc.getValue() & 0xFFFF);
            int stored = headerByte() | headerByte() << 8;
            if (stored != expected) {
                throw new ZipException("Corrupt GZIP header");
            }
        }
    }

    private int headerByte() throws IOException {
        int b = rawByte();
        if (b < 0) {
            throw new EOFException("Unexpected end of gzip header");
        }
        headerCrc.update(b);
        return b;
    }

    private long trailerInt() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = rawByte();
            if (b < 0) {
                throw new EOFException("Unexpected end of gzip trailer");
            }
            v |= (long) b << (8 * i);
        }
        return v;
    }

    private int rawByte() throws IOException {
        if (!fill()) {
            return -1;
        }
        position++;
        return buf[bufPos++] & 0xFF;
    }

    /** Makes sure unread bytes are buffered; false at the end of the underlying stream. */
    private boolean fill() throws IOException {
        while (bufPos == bufLen) {
            int r = in.read(buf, 0, buf.length);
            if (r < 0) {
                return false;
            }
            bufPos = 0;
            bufLen = r;
        }
        return true;
    }
}
