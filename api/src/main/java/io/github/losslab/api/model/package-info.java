/**
 * Immutable descriptions of network architectures ({@link io.github.losslab.api.model.ModelSpec}) that count
 * their own parameters, lay them out as one flat vector, and size models of different depth to one budget.
 */
package io.github.losslab.api.model;
