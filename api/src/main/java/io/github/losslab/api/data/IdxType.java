package io.github.losslab.api.data;

import java.util.Locale;
import java.util.Optional;

/**
 * The element types of the IDX format (the third byte of its magic number), with the size of one element.
 * Multi-byte values are stored big-endian. MNIST and its relatives (Fashion-MNIST, KMNIST, EMNIST) use
 * {@link #UNSIGNED_BYTE} for both images and labels.
 */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The type code in the file's magic number, for example {@code 0x08}. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether the values are integers (every type but {@link #FLOAT} and {@link #DOUBLE}). */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type with this code, or empty for a code the format does not define. */
    public static Optional<IdxType> ofCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The code and name, for example {@code "0x08 (unsigned byte)"}. */
    public String describe() {
        return String.format(Locale.ROOT, "0x%02X (%s)", code, name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
