package io.github.losslab.app.experiment;

import io.github.losslab.app.config.SettingsBinder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every experiment shares: its {@link ExperimentType}, which gives its name and description, and the
 * settings it was created with. An experiment extends this and implements {@link #run} (and, where it checks
 * something, {@link #validate}); its name and description are always those of its type.
 *
 * @param <S> the experiment's settings record
 */
public abstract class AbstractExperiment<S extends Record> implements Experiment {

    private final ExperimentType<S> type;

    /** The settings this experiment runs with. */
    protected final S settings;

    protected AbstractExperiment(ExperimentType<S> type, S settings) {
        this.type = type;
        this.settings = settings;
    }

    @Override
    public final String name() {
        return type.name();
    }

    @Override
    public final String description() {
        return type.description();
    }

    @Override
    public final S settings() {
        return settings;
    }

    /**
     * A new {@code summary.json} map, in the order it is written, that starts with the experiment's name
     * ({@code experiment}) and its settings ({@code settings}); the experiment adds the rest.
     */
    protected Map<String, Object> newSummary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", name());
        summary.put("settings", SettingsBinder.toMap(settings));
        return summary;
    }
}
