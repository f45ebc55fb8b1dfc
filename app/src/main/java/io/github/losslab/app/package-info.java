/**
 * The losslab application: the experiments of the course assignment as classes that Java callers can run with
 * their own settings, the YAML configuration, the Guice wiring of the backend chosen by configuration, and the
 * {@code losslab} command line ({@link io.github.losslab.app.Main}).
 */
package io.github.losslab.app;
