package io.github.losslab.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.ImageDataset;
import io.github.losslab.app.UnknownNameException;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.cli.Converters;
import io.github.losslab.app.cli.VersionProvider;
import io.github.losslab.app.config.DataDirectory;
import io.github.losslab.app.inject.BackendModules;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code losslab bench}: prints one JSON line per measurement. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Measures training and analysis speed; prints one JSON line per measurement (median of "
                + "several repetitions after a warm-up).")
public final class BenchCommand implements Callable<Integer> {

    /** Benchmark names, in the order they run; the last runs only when named with {@code --only} (up to an hour). */
    public static final List<String> NAMES = List.of("mlp-epoch", "fit-function", "hessian-full", "hessian-top",
            "hessian-density", "hessian-per-layer", "curvature-tracker", "sweep", "run-all-quick", "run-all-full");

    @Option(names = "--only", paramLabel = "NAME", description = "Run one benchmark: ${COMPLETION-CANDIDATES} "
            + "(run-all-full, the whole full preset, runs only when named here).",
            completionCandidates = Names.class)
    String only;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "tensorflow",
            description = "Backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            converter = Converters.DeviceConverter.class, description = "Device (default: cpu).")
    String device;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "5",
            description = "Timed repetitions after the warm-up (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--fit-function-epochs", paramLabel = "N", defaultValue = "3000", hidden = true)
    int fitFunctionEpochs;

    @Option(names = "--hessian-full-points", paramLabel = "N", defaultValue = "1000", hidden = true)
    int hessianFullPoints;

    @Option(names = "--curvature-tracker-steps", paramLabel = "N", defaultValue = "400", hidden = true)
    int curvatureTrackerSteps;

    @Option(names = "--data-dir", paramLabel = "DIR", converter = Converters.PathConverter.class,
            description = "Directory with the full training set of --dataset for mlp-epoch and run-all-*; without "
                    + "it, data of MNIST's shape is generated.")
    Path dataDir;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "The data set --data-dir holds: mnist (default), fashion-mnist, kmnist or cifar10; for "
                    + "cifar10, mlp-epoch's MLP takes its 3,072 input values (3072-128-10).")
    String dataset;

    @Spec
    CommandSpec spec;

    /** Completion candidates for {@code --only}. */
    static final class Names extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(NAMES);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (only != null && !NAMES.contains(only)) {
            throw new UnknownNameException("benchmark", only, NAMES);
        }
        if (repetitions < 1) {
            throw new UsageException("--repetitions must be at least 1, was " + repetitions);
        }
        ImageDataset images = ImageDataset.find(dataset).orElseThrow(() -> new UnknownNameException("data set",
                dataset, Stream.of(ImageDataset.values()).map(ImageDataset::configName).toList()));
        if (dataDir != null) {
            DataDirectory.check(dataDir, "--data-dir", "time random data of MNIST's shape", images);
        } else if (images != ImageDataset.MNIST) {
            throw new UsageException("--dataset " + dataset + " needs --data-dir, the directory of its files (without"
                    + " one, random data of MNIST's shape is timed); 'losslab data download " + dataset
                    + " --dir DIR' fetches them");
        }
        Dataset mlpData = selected("mlp-epoch") ? mlpEpochData(images) : null;
        BackendOptions options = BackendOptions.DEFAULT.withDevice(device);
        Backend b = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(BackendOptions.class).toInstance(options);
            }
        }, BackendModules.forName(backend)).getInstance(Backend.class);
        Map<String, Object> machine = machine(b);
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        Benchmarks benchmarks = new Benchmarks(b, repetitions);
        if (selected("mlp-epoch")) {
            for (int batch : Benchmarks.MLP_EPOCH_BATCH_SIZES) {
                print(out, json, benchmarks.mlpEpoch(batch, mlpData), machine);
            }
        }
        if (selected("fit-function")) {
            print(out, json, new Benchmarks(b, Math.min(repetitions, 3)).fitFunction(fitFunctionEpochs), machine);
        }
        if (selected("hessian-full")) {
            print(out, json, benchmarks.hessianFull(hessianFullPoints), machine);
        }
        if (selected("hessian-top")) {
            print(out, json, new Benchmarks(b, Math.min(repetitions, 3)).hessianTop(), machine);
        }
        if (selected("hessian-density")) {
            print(out, json, new Benchmarks(b, Math.min(repetitions, 2)).hessianDensity(), machine);
        }
        if (selected("hessian-per-layer")) {
            print(out, json, new Benchmarks(b, Math.min(repetitions, 3)).hessianPerLayer(), machine);
        }
        if (selected("curvature-tracker")) {
            print(out, json, new Benchmarks(b, Math.min(repetitions, 3)).curvatureTracker(curvatureTrackerSteps),
                    machine);
        }
        if (selected("sweep")) {
            List<Measurement> local = SweepRun.measure(backend, Math.min(repetitions, 3));
            for (Measurement m : local) {
                print(out, json, m, machine);
            }
            for (BenchmarkProvider p : ServiceLoader.load(BenchmarkProvider.class)) {
                if (p.name().equals("sweep")) {
                    for (Measurement m : p.measure(local)) {
                        print(out, json, m, machine);
                    }
                }
            }
        }
        if (selected("run-all-quick")) {
            print(out, json, WholeRun.measure("quick", backend, dataDir, images), machine);
        }
        if ("run-all-full".equals(only)) {
            print(out, json, WholeRun.measure("full", backend, dataDir, images), machine);
        }
        return 0;
    }

    /**
     * The training set of {@code mlp-epoch}: the first 60,000 training samples of {@code dataset} in
     * {@code --data-dir}, read and its labels checked as {@code losslab run --dataset} reads them, or random data of
     * MNIST's shape without {@code --data-dir}. Data that is no MNIST epoch, because it holds fewer samples or
     * images of another size (CIFAR-10's 3,072 values, which the MLP then takes), is timed as it is, has no target,
     * and says so on standard error and in the JSON's {@code data} field.
     *
     * @throws UsageException naming the file of {@code --data-dir} that cannot be read, or for fewer training
     *                        samples than the largest batch
     */
    private Dataset mlpEpochData(ImageDataset images) {
        if (dataDir == null) {
            return Benchmarks.syntheticMnist();
        }
        Dataset train;
        try {
            train = images.load(dataDir).train();
        } catch (DataException e) {
            throw new UsageException("--data-dir: " + e.getMessage());
        }
        int largestBatch = Collections.max(Benchmarks.MLP_EPOCH_BATCH_SIZES);
        if (train.size() < largestBatch) {
            throw new UsageException("--data-dir " + dataDir + " holds " + train.size() + " training samples, fewer "
                    + "than mlp-epoch's largest batch of " + largestBatch + "; give a data set of at least "
                    + largestBatch + " training samples, or choose another benchmark with --only");
        }
        Dataset epoch = train.size() > Benchmarks.MNIST_TRAIN_SIZE ? train.head(Benchmarks.MNIST_TRAIN_SIZE) : train;
        String name = images.configName() + "-train";
        List<String> notes = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        if (epoch.size() < Benchmarks.MNIST_TRAIN_SIZE) {
            err.printf(Locale.ROOT, "losslab: --data-dir %s holds %d training samples, fewer than the %d of an MNIST "
                    + "epoch: mlp-epoch times an epoch of those %d, and has no target%n", dataDir, train.size(),
                    Benchmarks.MNIST_TRAIN_SIZE, train.size());
            notes.add("only " + train.size() + " samples, fewer than the " + Benchmarks.MNIST_TRAIN_SIZE
                    + " of an MNIST epoch");
        }
        if (epoch.featureSize() != Benchmarks.MNIST_INPUTS) {
            String model = Benchmarks.mlpEpochModel(epoch.featureSize());
            err.printf(Locale.ROOT, "losslab: --data-dir %s holds images of %d values, not MNIST's %d: mlp-epoch "
                    + "times the %s MLP, and has no target%n", dataDir, epoch.featureSize(),
                    Benchmarks.MNIST_INPUTS, model);
            notes.add(epoch.featureSize() + " input values per sample, not MNIST's " + Benchmarks.MNIST_INPUTS
                    + ", so the MLP is " + model);
        }
        err.flush();
        return epoch.named(notes.isEmpty() ? name : name + ": " + String.join("; ", notes));
    }

    private boolean selected(String name) {
        return only == null || only.equals(name);
    }

    private static void print(PrintWriter out, ObjectMapper json, Measurement m, Map<String, Object> machine)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        out.println(json.writeValueAsString(m.fields(machine)));
        out.flush();
    }

    /** Where the numbers came from: backend, device, cores, processor, Java. */
    static Map<String, Object> machine(Backend b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", b.name());
        m.put("backend_version", b.version());
        m.put("device", b.device());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (java.io.IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }
}
