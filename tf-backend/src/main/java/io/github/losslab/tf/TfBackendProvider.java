package io.github.losslab.tf;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.BackendProvider;

/** Registers the TensorFlow backend with {@link java.util.ServiceLoader} under the name {@code tensorflow}. */
public final class TfBackendProvider implements BackendProvider {

    public static final String NAME = "tensorflow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Backend create(BackendOptions options) {
        return TfBackend.create(options);
    }
}
