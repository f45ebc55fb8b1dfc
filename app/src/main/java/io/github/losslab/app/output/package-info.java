/**
 * Writing results: every file (CSV, JSON, text) goes to a temporary name and is moved into place atomically
 * ({@link io.github.losslab.app.output.AtomicFiles}), so an interrupted run never leaves a truncated file.
 */
package io.github.losslab.app.output;
