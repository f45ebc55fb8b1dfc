package io.github.losslab.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds backends on the class path through {@link ServiceLoader}. */
public final class Backends {

    private Backends() {
    }

    /** Names of the backends on the class path, sorted. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, classLoader())) {
            names.add(p.name());
        }
        Collections.sort(names);
        return names;
    }

    /**
     * The provider registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the backends that exist when none has that name
     */
    public static BackendProvider provider(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, classLoader())) {
            if (p.name().equals(wanted)) {
                return p;
            }
        }
        List<String> names = available();
        throw new IllegalArgumentException("unknown backend '" + name + "': "
                + (names.isEmpty()
                        ? "no backend is on the class path; add losslab-tf-backend as a dependency"
                        : "available backends are " + String.join(", ", names)));
    }

    /** Creates the backend registered under {@code name}. */
    public static Backend create(String name, BackendOptions options) {
        return provider(name).create(options);
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Backends.class.getClassLoader();
    }
}
