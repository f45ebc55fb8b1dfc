package io.github.losslab.app.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.experiment.edgeofstability.EdgeOfStabilityExperiment;
import io.github.losslab.app.experiment.fitfunction.FitFunctionExperiment;
import io.github.losslab.app.experiment.gradientnorm.GradientNormExperiment;
import io.github.losslab.app.experiment.hessianspectrum.HessianSpectrumExperiment;
import io.github.losslab.app.experiment.minimalratio.MinimalRatioExperiment;
import io.github.losslab.app.experiment.mnistdeepvsshallow.MnistDeepVsShallowExperiment;
import io.github.losslab.app.experiment.optimizationtrajectory.OptimizationTrajectoryExperiment;
import io.github.losslab.app.experiment.paramsvsgeneralization.ParamsVsGeneralizationExperiment;
import io.github.losslab.app.experiment.randomlabels.RandomLabelsExperiment;
import io.github.losslab.app.experiment.interpolation.InterpolationExperiment;
import io.github.losslab.app.experiment.losssurface.LossSurfaceExperiment;
import io.github.losslab.app.experiment.sensitivity.SensitivityExperiment;
import io.github.losslab.app.experiment.sharpness.SharpnessExperiment;

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
        experiments.addBinding().toInstance(MnistDeepVsShallowExperiment.TYPE);
        experiments.addBinding().toInstance(OptimizationTrajectoryExperiment.TYPE);
        experiments.addBinding().toInstance(GradientNormExperiment.TYPE);
        experiments.addBinding().toInstance(MinimalRatioExperiment.TYPE);
        experiments.addBinding().toInstance(RandomLabelsExperiment.TYPE);
        experiments.addBinding().toInstance(ParamsVsGeneralizationExperiment.TYPE);
        experiments.addBinding().toInstance(InterpolationExperiment.TYPE);
        experiments.addBinding().toInstance(SensitivityExperiment.TYPE);
        experiments.addBinding().toInstance(SharpnessExperiment.TYPE);
        experiments.addBinding().toInstance(LossSurfaceExperiment.TYPE);
        experiments.addBinding().toInstance(HessianSpectrumExperiment.TYPE);
        experiments.addBinding().toInstance(EdgeOfStabilityExperiment.TYPE);
    }

    @Provides
    ExperimentCatalog catalog(Set<ExperimentType<?>> types) {
        return new ExperimentCatalog(types);
    }
}
