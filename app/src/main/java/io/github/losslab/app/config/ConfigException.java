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
    private final String detail;
    private final String location;

    public ConfigException(String key, String message) {
        this(key, message, "");
    }

    private ConfigException(String key, String detail, String location) {
        super((location.isEmpty() ? "" : location + ": ") + (key.isEmpty() ? detail : key + ": " + detail));
        this.key = key;
        this.detail = detail;
        this.location = location;
    }

    /** The dotted path of the offending key; empty for a problem with the whole file. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key: for example {@code 0 is not allowed; expected an integer >= 1}. */
    public String detail() {
        return detail;
    }

    /** Where the key is written, for example {@code run.yaml, line 4}; empty when not known. */
    public String location() {
        return location;
    }

    /**
     * The same problem under another name, for a value given on the command line rather than in the file: the
     * key {@code out} becomes the option {@code --out}.
     */
    public ConfigException withKey(String name) {
        ConfigException e = new ConfigException(name, detail, location);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The same problem with where it is in front, for example {@code run.yaml, line 4}. */
    public ConfigException at(String where) {
        ConfigException e = new ConfigException(key, detail, where);
        e.setStackTrace(getStackTrace());
        return e;
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
