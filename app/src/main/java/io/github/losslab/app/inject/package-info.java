/**
 * Guice wiring of the application: the configuration ({@link io.github.losslab.app.inject.ConfigModule}), the
 * backend chosen by name ({@link io.github.losslab.app.inject.BackendModules}) and the experiments
 * ({@link io.github.losslab.app.inject.ExperimentsModule}). Modules only bind; they run nothing and choose
 * nothing: the choice of backend module is made by configuration, outside them.
 */
package io.github.losslab.app.inject;
