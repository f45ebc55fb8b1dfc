package io.github.losslab.api.data;

import static io.github.losslab.api.data.IdxTestFiles.gzip;
import static io.github.losslab.api.data.IdxTestFiles.ubyte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever bytes the reader gets (random ones, or a valid file with random mutations, gzipped before
 * or after mutating), it returns an array or throws {@link IdxFormatException}, nothing else, and allocates only
 * a few MiB. The cases come from a fixed seed, so a failure names a case that reruns the same way.
 */
class IdxReaderFuzzTest {

    private static final long SEED = 20170707L;
    private static final int CASES = 500;
    /** Far below what a forged header could ask for (up to 2 GiB), far above what a small input needs. */
    private static final long ALLOCATION_LIMIT = 16L << 20;
    private static final int[] TYPE_CODES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};

    @TempDir
    Path dir;

    @Test
    void anyInputGivesAnArrayOrIdxFormatExceptionWithinBoundedMemory() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] values = new int[3 * 4 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 53) % 256;
        }
        byte[] valid = ubyte(new int[] {3, 4, 5}, values);
        byte[] validGz = gzip(valid);
        int parsed = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] input;
            switch (c % 5) {
                case 0 -> input = randomHeaderAndBytes(random);
                case 1 -> input = randomBytes(random, random.nextInt(300));
                case 2 -> input = mutate(valid, random);
                case 3 -> input = gzip(mutate(valid, random));
                default -> input = mutate(validGz, random);
            }
            parsed += check(c, input) ? 1 : 0;
        }
        // Some mutations keep the file valid (a changed pixel); most must be refused.
        assertThat(parsed).isBetween(1, CASES / 2);
    }

    /** Reads the input from a file and from a stream; true when it parsed. */
    private boolean check(int c, byte[] input) throws Exception {
        Path file = Files.write(dir.resolve("case"), input);
        boolean[] ok = new boolean[2];
        long fromFile = IdxTestFiles.allocatedBytes(() -> ok[0] = readsOrRefuses(c, input, () -> IdxReader.read(file)));
        long fromStream = IdxTestFiles.allocatedBytes(() -> ok[1] = readsOrRefuses(c, input,
                () -> IdxReader.read(new ByteArrayInputStream(input), "case " + c)));
        assertThat(ok[0]).as("file and stream agree on case %d: %s", c, hex(input)).isEqualTo(ok[1]);
        assertThat(Math.max(fromFile, fromStream)).as("bytes allocated for case %d: %s", c, hex(input))
                .isLessThan(ALLOCATION_LIMIT);
        return ok[0];
    }

    private interface Read {
        IdxArray read() throws Exception;
    }

    private static boolean readsOrRefuses(int c, byte[] input, Read read) {
        try {
            IdxArray a = read.read();
            assertThat(a.length()).isPositive();
            return true;
        } catch (IdxFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        } catch (Throwable t) {
            return fail("case %d threw %s instead of IdxFormatException for input %s", c, t, hex(input), t);
        }
    }

    /** A plausible magic number (valid type, 1 to 4 dims) followed by random bytes. */
    private static byte[] randomHeaderAndBytes(SplittableRandom random) {
        byte[] b = randomBytes(random, 4 + random.nextInt(60));
        b[0] = 0;
        b[1] = 0;
        b[2] = (byte) TYPE_CODES[random.nextInt(TYPE_CODES.length)];
        b[3] = (byte) (1 + random.nextInt(4));
        return b;
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int kind = random.nextInt(10);
            if (kind < 6 && b.length > 0) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            } else if (kind < 8) {
                b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            } else {
                byte[] extra = randomBytes(random, 1 + random.nextInt(8));
                byte[] longer = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, longer, b.length, extra.length);
                b = longer;
            }
        }
        return b;
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
