package io.github.losslab.api;

/**
 * Service-provider interface of a backend. An implementation is listed in
 * {@code META-INF/services/io.github.losslab.api.BackendProvider} of the backend's jar.
 */
public interface BackendProvider {

    /** The name used in configuration, lower case, for example {@code tensorflow}. */
    String name();

    /**
     * Creates the backend.
     *
     * @throws BackendException when the native library cannot be loaded, with what to install
     */
    Backend create(BackendOptions options);
}
