package io.github.losslab.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Backends;

/**
 * Provides the PyTorch backend (through Deep Java Library). Like the TensorFlow module, it creates the backend on
 * first use; the native library is unpacked from the bundled jar into the DJL cache the first time.
 */
public final class PyTorchBackendModule extends AbstractModule {

    /** The backend's name in configuration and in its ServiceLoader registration. */
    public static final String NAME = "pytorch";

    @Provides
    @Singleton
    Backend backend(BackendOptions options) {
        return Backends.create(NAME, options);
    }
}
