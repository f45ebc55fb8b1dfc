package io.github.losslab.app.trial;

import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.DidYouMean;
import io.github.losslab.app.config.LosslabConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The trial engines of this build, by name: {@code local}, and those found through {@link TrialEngineProvider}. */
public final class TrialEngines {

    /** The name of the built-in engine. */
    public static final String LOCAL = LocalEngine.NAME;

    /** The engine of the {@code losslab-spark} module. */
    public static final String SPARK = "spark";

    private TrialEngines() {
    }

    /** The names of the engines this build has, {@code local} first. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(LOCAL));
        for (TrialEngineProvider p : ServiceLoader.load(TrialEngineProvider.class)) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * Checks that the configured engine is in this build.
     *
     * @throws ConfigException naming {@code engine}, the engines there are, and how to get the Spark engine
     */
    public static void check(LosslabConfig config) {
        String name = config.engine();
        if (LOCAL.equals(name) || provider(name) != null) {
            return;
        }
        if (SPARK.equals(name)) {
            throw new ConfigException("engine", "the spark engine is not in this jar: run through ./losslab with "
                    + "--engine spark (it then builds and uses the spark module's jar), or submit app/target/losslab.jar "
                    + "to spark-submit with --jars spark/target/losslab-spark.jar (see the README's section on Spark)");
        }
        List<String> known = new ArrayList<>(names());
        if (!known.contains(SPARK)) {
            known.add(SPARK);
        }
        throw ConfigException.invalidValue("engine", name, "one of " + String.join(", ", known)
                + DidYouMean.phrase(name, known));
    }

    /**
     * Opens the configured engine for a run.
     *
     * @throws ConfigException when it is not in this build
     */
    public static TrialEngine open(LosslabConfig config) {
        check(config);
        if (LOCAL.equals(config.engine())) {
            return new LocalEngine(config.trialsAtOnce());
        }
        return provider(config.engine()).open(config);
    }

    private static TrialEngineProvider provider(String name) {
        for (TrialEngineProvider p : ServiceLoader.load(TrialEngineProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
