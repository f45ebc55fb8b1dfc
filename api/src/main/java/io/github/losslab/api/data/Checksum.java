package io.github.losslab.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The published digest of a file, with the algorithm it was published in: SHA-256 where the data set's authors
 * publish one (MNIST's files), MD5 where MD5 is all that is published (Fashion-MNIST, KMNIST, CIFAR-10). MD5 still
 * catches a damaged or truncated download; it does not guard against a file forged to collide with it.
 *
 * @param algorithm {@value #SHA_256} or {@value #MD5}, as {@link MessageDigest} names it
 * @param hex       the digest as lower-case hexadecimal digits
 */
public record Checksum(String algorithm, String hex) {

    public static final String SHA_256 = "SHA-256";
    public static final String MD5 = "MD5";

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        int digits = switch (algorithm) {
            case SHA_256 -> 64;
            case MD5 -> 32;
            default -> throw new IllegalArgumentException("checksum algorithm must be " + SHA_256 + " or " + MD5
                    + ", was '" + algorithm + "'");
        };
        hex = Objects.requireNonNull(hex, "hex").toLowerCase(Locale.ROOT);
        if (hex.length() != digits || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(algorithm + " must be " + digits + " hex digits, was '"
                    + (hex.length() > 80 ? hex.substring(0, 80) + "..." : hex) + "'");
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum(SHA_256, hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum(MD5, hex);
    }

    /** The digest of {@code file} in this checksum's algorithm. */
    public Checksum of(Path file) throws DataException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + algorithm, e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, r);
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the file to check its " + algorithm + " (" + e + ")", e);
        }
        return new Checksum(algorithm, HexFormat.of().formatHex(digest.digest()));
    }

    /** Whether {@code file} has this digest. */
    public boolean matches(Path file) throws DataException {
        return of(file).equals(this);
    }
}
