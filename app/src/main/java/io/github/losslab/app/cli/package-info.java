/**
 * The {@code losslab} command line (picocli): {@code list}, {@code run <experiment...>|all}, {@code data download}
 * and {@code --version}. Usage mistakes exit with status 2 and one message, never a stack trace.
 */
package io.github.losslab.app.cli;
