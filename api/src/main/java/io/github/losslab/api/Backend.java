package io.github.losslab.api;

import io.github.losslab.api.model.ModelSpec;

/**
 * A numerical engine that builds {@link Model}s. Obtain one with {@link Backends#create(String, BackendOptions)}.
 * A backend holds no native resources itself; each model it creates does and must be closed.
 */
public interface Backend {

    /** The name used in configuration, for example {@code tensorflow}. */
    String name();

    /** Version of the underlying engine, for provenance (for example {@code TensorFlow 2.18.0}). */
    String version();

    /** The device computations run on, in words (for example {@code cpu} or {@code gpu: NVIDIA H100}). */
    String device();

    /** The options this backend was created with. */
    BackendOptions options();

    /**
     * Builds a model with freshly initialised parameters.
     *
     * @param spec      the architecture
     * @param precision parameter and arithmetic precision
     * @param seed      seed of the parameter initialisation: equal seeds give equal parameters
     */
    Model createModel(ModelSpec spec, Precision precision, long seed);
}
