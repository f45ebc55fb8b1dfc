package io.github.losslab.djl;

import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.BackendProvider;

/** Registers the PyTorch backend with {@link java.util.ServiceLoader} under the name {@code pytorch}. */
public final class PtBackendProvider implements BackendProvider {

    public static final String NAME = "pytorch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Backend create(BackendOptions options) {
        return PtBackend.create(options);
    }
}
