package io.github.losslab.app.experiment;

import io.github.losslab.app.UnknownNameException;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.DidYouMean;
import io.github.losslab.app.config.LosslabConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The experiments that exist, in the order {@code run all} runs them. */
public final class ExperimentCatalog {

    /** The selection that means every experiment. */
    public static final String ALL = "all";

    private final Map<String, ExperimentType<?>> types = new LinkedHashMap<>();

    public ExperimentCatalog(Iterable<? extends ExperimentType<?>> types) {
        for (ExperimentType<?> t : types) {
            if (this.types.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two experiments are named '" + t.name() + "'");
            }
        }
    }

    public List<ExperimentType<?>> types() {
        return List.copyOf(types.values());
    }

    public List<String> names() {
        return List.copyOf(types.keySet());
    }

    /**
     * The experiment called {@code name}.
     *
     * @throws UnknownNameException listing the valid names
     */
    public ExperimentType<?> type(String name) {
        ExperimentType<?> t = types.get(name);
        if (t == null) {
            throw unknown(name);
        }
        return t;
    }

    /**
     * The experiments named on the command line, in catalog order without repeats; {@value #ALL} selects every
     * experiment.
     *
     * @throws UnknownNameException for the first name that is neither an experiment nor {@value #ALL}
     */
    public List<ExperimentType<?>> select(List<String> names) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String n : names) {
            if (ALL.equals(n)) {
                wanted.addAll(types.keySet());
            } else if (types.containsKey(n)) {
                wanted.add(n);
            } else {
                throw unknown(n);
            }
        }
        List<ExperimentType<?>> out = new ArrayList<>();
        for (String n : types.keySet()) {
            if (wanted.contains(n)) {
                out.add(types.get(n));
            }
        }
        return out;
    }

    /**
     * Creates the selected experiments with their settings from the configuration, after checking the
     * configuration's section of every experiment (selected or not), so that a mistake is reported before any
     * work starts.
     */
    public List<Experiment> configure(List<ExperimentType<?>> selected, LosslabConfig config) {
        for (String name : config.experiments().keySet()) {
            if (!types.containsKey(name)) {
                throw new ConfigException("experiments." + name, "unknown experiment"
                        + DidYouMean.phrase(name, names()) + "; valid experiments are: "
                        + String.join(", ", names()));
            }
            types.get(name).settings(config.preset(), config.experiment(name));
        }
        List<Experiment> out = new ArrayList<>();
        for (ExperimentType<?> t : selected) {
            out.add(t.create(config.preset(), config.experiment(t.name())));
        }
        return out;
    }

    private UnknownNameException unknown(String name) {
        List<String> valid = new ArrayList<>(types.keySet());
        valid.add(ALL);
        return new UnknownNameException("experiment", name, valid);
    }
}
