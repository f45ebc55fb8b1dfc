package io.github.losslab.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment;

import java.util.Set;

/**
 * The experiments the command line knows, in the order {@code run all} runs them. A new experiment adds its
 * {@link ExperimentType} here.
 */
public final class ExperimentsModule extends AbstractModule {

    @Override
    protected void configure() {
        Multibinder<ExperimentType<?>> experiments = Multibinder.newSetBinder(binder(),
                new TypeLiteral<ExperimentType<?>>() { });
        experiments.addBinding().toInstance(FitFunctionExperiment.TYPE);
        experiments.addBinding().toInstance(MinimalRatioExperiment.TYPE);
    }

    @Provides
    ExperimentCatalog catalog(Set<ExperimentType<?>> types) {
        return new ExperimentCatalog(types);
    }
}
