/**
 * Configuration: the YAML file ({@link io.github.losslab.app.config.ConfigFile}), the resolved
 * {@link io.github.losslab.app.config.LosslabConfig}, the binding of per-experiment sections onto settings
 * records ({@link io.github.losslab.app.config.SettingsBinder}), and errors that name the key, the value and
 * the allowed range, with a "did you mean" for unknown keys.
 */
package io.github.losslab.app.config;
