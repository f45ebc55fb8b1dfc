/**
 * Training: optimizers ({@link io.github.losslab.api.train.Sgd}, {@link io.github.losslab.api.train.Adam}),
 * the {@link io.github.losslab.api.train.TrainingConfig}, listeners called per step and per epoch, and the
 * {@link io.github.losslab.api.train.TrainingHistory} they fill.
 */
package io.github.losslab.api.train;
