/**
 * {@code losslab bench}: speed measurements of training, curvature and the whole quick preset, one JSON line per
 * measurement (after warm-up; the median of several repetitions), each with the machine it ran on.
 */
package io.github.losslab.app.bench;
