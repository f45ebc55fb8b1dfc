package io.github.losslab.app.run;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.TrainingDivergedException;
import io.github.losslab.app.config.Check;
import io.github.losslab.app.config.SettingsBinder;
import io.github.losslab.app.experiment.Experiment;
import io.github.losslab.app.experiment.ExperimentCatalog;
import io.github.losslab.app.experiment.ExperimentContext;
import io.github.losslab.app.experiment.ExperimentResult;
import io.github.losslab.app.experiment.ExperimentType;
import io.github.losslab.app.output.CsvTable;
import io.github.losslab.app.output.OutputWriter;
import io.github.losslab.plotting.Figures;
import io.github.losslab.plotting.LineChart;
import io.github.losslab.plotting.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Experiments that take milliseconds and need no native backend, for tests of the run machinery: one that
 * writes a figure, data and a summary; one that fails; one whose training diverges; one that runs until it is
 * stopped.
 */
public final class FakeExperiments {

    private FakeExperiments() {
    }

    /**
     * Settings of a fake experiment.
     *
     * @param epochs       epochs it reports
     * @param learningRate only checked, as real experiments do
     * @param batchSize    checked against the 100 samples of its pretend data set in {@code validate}
     */
    public record Settings(int epochs, double learningRate, int batchSize) {
        public Settings {
            Check.between("epochs", epochs, 1, 1_000_000);
            Check.positive("learningRate", learningRate);
        }

        static Settings defaults() {
            return new Settings(3, 0.1, 10);
        }
    }

    /** What a fake experiment does after reporting its epochs. */
    @FunctionalInterface
    public interface Behaviour {
        ExperimentResult finish(Settings settings, ExperimentContext context) throws IOException;
    }

    /** An experiment named {@code name} that reports its epochs for model {@code "model A"}, then behaves. */
    public static ExperimentType<Settings> type(String name, String description, Behaviour behaviour) {
        return new ExperimentType<>(name, description, Settings.class, p -> Settings.defaults(),
                s -> new Experiment() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public String description() {
                        return description;
                    }

                    @Override
                    public Record settings() {
                        return s;
                    }

                    @Override
                    public void validate(ExperimentContext context) {
                        Check.batchSize("batchSize", s.batchSize(), 100, "the pretend data set");
                    }

                    @Override
                    public ExperimentResult run(ExperimentContext context) throws IOException {
                        context.progress().plan(s.epochs());
                        context.progress().model("model A");
                        for (int e = 1; e <= s.epochs(); e++) {
                            context.progress().epoch(e, s.epochs(), 1.0 / e);
                        }
                        return behaviour.finish(s, context);
                    }
                });
    }

    /** Writes a figure (PNG and SVG), a CSV file and a summary; its key number is {@code 1 / epochs}. */
    public static ExperimentType<Settings> writing(String name) {
        return type(name, "writes a figure, a table and a summary", (s, context) -> {
            OutputWriter out = context.output();
            double[] x = new double[s.epochs()];
            double[] y = new double[s.epochs()];
            CsvTable table = CsvTable.of("epoch", "loss");
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
                y[i] = 1.0 / (i + 1);
                table.add(i + 1, y[i]);
            }
            for (Path p : Figures.save(LineChart.builder("Loss of " + name).xLabel("epoch").yLabel("loss")
                    .add(Series.line("model A", x, y)).build(), out.subdirectory("part").directory(), "loss", 480,
                    320)) {
                out.record(p);
            }
            out.subdirectory("part").writeCsv("history.csv", table);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("experiment", name);
            summary.put("settings", SettingsBinder.toMap(s));
            summary.put("finalLoss", y[y.length - 1]);
            summary.put("provenance", context.provenance(io.github.losslab.app.experiment.DataSource.of(
                    "pretend data", "train", 100), context.elapsedSeconds()));
            out.writeJson("summary.json", summary);
            Map<String, Double> keys = new LinkedHashMap<>();
            keys.put("model A / final loss", y[y.length - 1]);
            keys.put("model A / epochs", (double) s.epochs());
            return new ExperimentResult(name, out.directory(), out.written(), keys, context.elapsedSeconds());
        });
    }

    /** Fails with an error that names what was wrong. */
    public static ExperimentType<Settings> failing(String name) {
        return type(name, "fails", (s, context) -> {
            context.output().writeString("partial.txt", "written before the failure\n");
            throw new IllegalStateException("the widget broke: expected 3 widgets, found 2");
        });
    }

    /** Throws {@code error} (an {@link OutOfMemoryError}, say) after writing a file. */
    public static ExperimentType<Settings> erring(String name, Error error) {
        return type(name, "throws an error", (s, context) -> {
            context.output().writeString("partial.txt", "written before the error\n");
            throw error;
        });
    }

    /** Throws {@code error} in its check before the run, outside the runner's handling of experiments. */
    public static ExperimentType<Settings> erringInValidation(String name, Error error) {
        return new ExperimentType<>(name, "throws an error in its check", Settings.class, p -> Settings.defaults(),
                s -> new Experiment() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public String description() {
                        return "throws an error in its check";
                    }

                    @Override
                    public Record settings() {
                        return s;
                    }

                    @Override
                    public void validate(ExperimentContext context) {
                        throw error;
                    }

                    @Override
                    public ExperimentResult run(ExperimentContext context) {
                        throw new IllegalStateException("never run: its check fails");
                    }
                });
    }

    /** One of its trainings diverges, which it records and goes on; then it fails, for example on a figure of none. */
    public static ExperimentType<Settings> divergingThenFailing(String name) {
        return type(name, "diverges, then fails", (s, context) -> {
            context.diverged("wide net, SGD (lr 1e9)", new TrainingDivergedException(2, 17, Double.NaN,
                    "sgd(lr=1.0E9)"));
            throw new IllegalArgumentException("line chart 'Loss' has no series");
        });
    }

    /** Its training of {@code model A} diverges at epoch 2, step 17. */
    public static ExperimentType<Settings> diverging(String name) {
        return type(name, "diverges", (s, context) -> {
            context.progress().model("wide net, SGD (lr 1e9)");
            throw new TrainingDivergedException(2, 17, Double.NaN, "sgd(lr=1.0E9)");
        });
    }

    /** A Guice module binding these experiment types, in this order, in place of the built-in ones. */
    public static Module module(ExperimentType<?>... types) {
        List<ExperimentType<?>> list = List.of(types);
        return new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder<ExperimentType<?>> set = Multibinder.newSetBinder(binder(),
                        new TypeLiteral<ExperimentType<?>>() { });
                list.forEach(t -> set.addBinding().toInstance(t));
            }

            @Provides
            ExperimentCatalog catalog(Set<ExperimentType<?>> all) {
                return new ExperimentCatalog(all);
            }
        };
    }

    /** A backend that creates no models: enough for experiments that train nothing. */
    public static Backend backend() {
        return new Backend() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public String version() {
                return "1.0";
            }

            @Override
            public String device() {
                return "cpu";
            }

            @Override
            public BackendOptions options() {
                return BackendOptions.DEFAULT;
            }

            @Override
            public Model createModel(ModelSpec spec, Precision precision, long seed) {
                throw new UnsupportedOperationException("the fake backend trains nothing");
            }
        };
    }
}
