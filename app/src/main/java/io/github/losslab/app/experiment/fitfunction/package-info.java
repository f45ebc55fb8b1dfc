/**
 * The {@code fit-function} experiment (assignment part 1-1, simulate a function): deep vs shallow ReLU networks
 * of one parameter budget fitting functions of one variable.
 */
package io.github.losslab.app.experiment.fitfunction;
