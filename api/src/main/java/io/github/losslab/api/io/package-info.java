/**
 * Saving and loading models as a directory that Python tools read too: {@code model.json} (the
 * {@link io.github.losslab.api.model.ModelSpec} and precision) and {@code params.npz} (NumPy's npz format, one
 * array per parameter tensor). See {@link io.github.losslab.api.io.ModelIo}.
 */
package io.github.losslab.api.io;
