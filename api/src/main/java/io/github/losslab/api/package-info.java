/**
 * The backend-agnostic core of losslab: {@link io.github.losslab.api.Backend backends} found through
 * {@link java.util.ServiceLoader}, and the {@link io.github.losslab.api.Model} they build from a
 * {@link io.github.losslab.api.model.ModelSpec}. Nothing here depends on a numerical library; values cross
 * the api as Java arrays.
 */
package io.github.losslab.api;
