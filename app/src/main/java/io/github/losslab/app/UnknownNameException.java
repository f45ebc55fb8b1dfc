package io.github.losslab.app;

import io.github.losslab.app.config.DidYouMean;

import java.util.List;

/** A name (of an experiment, a backend, a data set) that is not one of the valid names, which it lists. */
public class UnknownNameException extends UsageException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;
    private final List<String> validNames;

    /**
     * @param kind       what the name names, singular, for example {@code experiment}
     * @param name       the name that was given
     * @param validNames every valid name, in the order to show them
     */
    public UnknownNameException(String kind, String name, List<String> validNames) {
        super("unknown " + kind + " '" + name + "'" + DidYouMean.phrase(name, validNames) + "; valid " + kind
                + (kind.endsWith("s") ? "es" : "s") + " are: " + String.join(", ", validNames));
        this.kind = kind;
        this.name = name;
        this.validNames = List.copyOf(validNames);
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public List<String> validNames() {
        return validNames;
    }
}
