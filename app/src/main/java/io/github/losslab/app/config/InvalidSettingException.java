package io.github.losslab.app.config;

/**
 * A setting of an experiment that is out of its allowed range, thrown by the settings records' constructors.
 * It names the record component so that configuration errors can name the key the user wrote.
 */
public class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final transient Object value;
    private final String allowed;

    /**
     * @param setting the record component, for example {@code batchSize}
     * @param value   the value that was given
     * @param allowed what is allowed, for example {@code an integer >= 1}
     */
    public InvalidSettingException(String setting, Object value, String allowed) {
        super(setting + " must be " + allowed + ", was " + value);
        this.setting = setting;
        this.value = value;
        this.allowed = allowed;
    }

    public String setting() {
        return setting;
    }

    public Object value() {
        return value;
    }

    public String allowed() {
        return allowed;
    }
}
