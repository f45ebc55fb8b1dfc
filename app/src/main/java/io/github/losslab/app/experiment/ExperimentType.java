package io.github.losslab.app.experiment;

import io.github.losslab.app.config.Preset;
import io.github.losslab.app.config.SettingsBinder;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the command line knows of an experiment before creating it: its name, one line of description, its
 * settings record with one value per preset, and how to create it from settings.
 *
 * @param <S> the experiment's settings record
 */
public final class ExperimentType<S extends Record> {

    private final String name;
    private final String description;
    private final Class<S> settingsType;
    private final Function<Preset, S> presets;
    private final Function<S, ? extends Experiment> factory;
    private final String explanation;

    public ExperimentType(String name, String description, Class<S> settingsType, Function<Preset, S> presets,
                          Function<S, ? extends Experiment> factory) {
        this(name, description, settingsType, presets, factory, null);
    }

    private ExperimentType(String name, String description, Class<S> settingsType, Function<Preset, S> presets,
                           Function<S, ? extends Experiment> factory, String explanation) {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("experiment names are lower-case words joined by '-', was '" + name
                    + "'");
        }
        this.name = name;
        this.description = Objects.requireNonNull(description, "description");
        this.settingsType = Objects.requireNonNull(settingsType, "settingsType");
        this.presets = Objects.requireNonNull(presets, "presets");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.explanation = explanation;
    }

    /**
     * This type with a longer text of what the experiment shows and how to read its figures, a few sentences of
     * plain text (paragraphs separated by a blank line), which the report shows under the experiment's heading.
     */
    public ExperimentType<S> withExplanation(String text) {
        return new ExperimentType<>(name, description, settingsType, presets, factory, Objects.requireNonNull(text));
    }

    /** The longer text of {@link #withExplanation}, or the one-line description when there is none. */
    public String explanation() {
        return explanation == null ? description : explanation;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Class<S> settingsType() {
        return settingsType;
    }

    /** The settings of a preset. */
    public S settings(Preset preset) {
        return presets.apply(preset);
    }

    /**
     * The settings of a preset overridden by a configuration section.
     *
     * @throws io.github.losslab.app.config.ConfigException naming the key of an unknown or invalid value
     */
    public S settings(Preset preset, Map<String, ?> section) {
        return SettingsBinder.bind(settingsType, settings(preset), section, "experiments." + name);
    }

    public Experiment create(S settings) {
        return factory.apply(settings);
    }

    /** Creates the experiment with the settings of a preset overridden by a configuration section. */
    public Experiment create(Preset preset, Map<String, ?> section) {
        return create(settings(preset, section));
    }

    @Override
    public String toString() {
        return name;
    }
}
