package io.github.losslab.app.config;

import io.github.losslab.app.UsageException;

import java.util.Collection;

/**
 * An invalid configuration: a key that does not exist, a value of the wrong type or out of range. The message
 * names the key (as a dotted path, for example {@code experiments.fit-function.batch-size}), the value and what
 * is allowed.
 */
public class ConfigException extends UsageException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(key.isEmpty() ? message : key + ": " + message);
        this.key = key;
    }

    /** The dotted path of the offending key; empty for a problem with the whole file. */
    public String key() {
        return key;
    }

    /** A key that is not one of {@code validKeys}. */
    public static ConfigException unknownKey(String parent, String key, Collection<String> validKeys) {
        return new ConfigException(join(parent, key), "unknown key" + DidYouMean.phrase(key, validKeys)
                + "; valid keys" + (parent.isEmpty() ? "" : " of " + parent) + " are: " + String.join(", ", validKeys));
    }

    /** A value that is not of the expected type or not in the allowed range. */
    public static ConfigException invalidValue(String key, Object value, String allowed) {
        return new ConfigException(key, describe(value) + " is not allowed; expected " + allowed);
    }

    /** Joins a parent path and a key with a dot. */
    public static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** A value as the user wrote it, strings quoted. */
    static String describe(Object value) {
        if (value == null) {
            return "an empty value";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value.toString();
    }
}
