/**
 * The loss landscape around trained models: linear interpolation between two models (Goodfellow et al. 2015) and
 * 2-D loss surfaces on filter-normalized random directions or on principal directions of a training trajectory
 * (Li et al. 2018).
 */
package io.github.losslab.analysis.landscape;
