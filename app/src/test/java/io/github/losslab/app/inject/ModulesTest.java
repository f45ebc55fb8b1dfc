package io.github.losslab.app.inject;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.github.losslab.api.Backend;
import io.github.losslab.app.UnknownNameException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModulesTest {

    @Test
    void theConfiguredBackendIsProvidedWithTheConfiguredOptions() {
        LosslabConfig config = LosslabConfig.builder().deterministic(true).build();
        Injector injector = Guice.createInjector(new ConfigModule(config), BackendModules.forName("tensorflow"),
                new ExperimentsModule());
        Backend backend = injector.getInstance(Backend.class);
        assertThat(backend.name()).isEqualTo("tensorflow");
        assertThat(backend.options().deterministic()).isTrue();
        assertThat(injector.getInstance(Backend.class)).isSameAs(backend);
        assertThat(injector.getInstance(ExperimentCatalog.class).names()).startsWith(FitFunctionExperiment.NAME);
    }

    @Test
    void pytorchIsChosenByConfiguration() {
        LosslabConfig config = LosslabConfig.builder().backend("pytorch").build();
        Injector injector = Guice.createInjector(new ConfigModule(config), BackendModules.forName(config.backend()));
        Backend backend = injector.getInstance(Backend.class);
        assertThat(backend.name()).isEqualTo("pytorch");
        assertThat(backend.version()).contains("PyTorch");
    }

    @Test
    void unknownBackendNamesListTheValidOnes() {
        assertThat(BackendModules.names()).containsExactly("tensorflow", "pytorch");
        assertThatThrownBy(() -> BackendModules.forName("tensorflw"))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("unknown backend 'tensorflw' (did you mean 'tensorflow'?); valid backends are: tensorflow, pytorch");
    }
}
