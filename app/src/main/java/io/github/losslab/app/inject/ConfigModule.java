package io.github.losslab.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.app.config.LosslabConfig;

/** Binds the resolved configuration of a run and what is derived from it. */
public final class ConfigModule extends AbstractModule {

    private final LosslabConfig config;

    public ConfigModule(LosslabConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(LosslabConfig.class).toInstance(config);
    }

    @Provides
    BackendOptions backendOptions(LosslabConfig c) {
        return c.backendOptions();
    }
}
