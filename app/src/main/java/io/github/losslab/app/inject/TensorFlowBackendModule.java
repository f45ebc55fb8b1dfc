package io.github.losslab.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;
import jakarta.inject.Singleton;

/**
 * Provides the TensorFlow Java backend. The backend is created on first use (loading the native library then),
 * not when the injector is built. It holds no native resources itself, so it is a singleton; the models it
 * creates are closed by the experiments that create them.
 */
public final class TensorFlowBackendModule extends AbstractModule {

    /** The backend's name in configuration and in its ServiceLoader registration. */
    public static final String NAME = "tensorflow";

    @Provides
    @Singleton
    Backend backend(BackendOptions options) {
        return Backends.create(NAME, options);
    }
}
