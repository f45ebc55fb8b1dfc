/**
 * Sharpness of minima as Keskar, Mudigere, Nocedal, Smelyanskiy and Tang (2017, "On Large-Batch Training for Deep
 * Learning: Generalization Gap and Sharp Minima") define it: the largest relative loss increase in a small box
 * around the parameters.
 */
package io.github.losslab.analysis.sharpness;
