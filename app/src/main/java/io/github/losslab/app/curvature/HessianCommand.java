package io.github.losslab.app.curvature;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import io.github.losslab.analysis.hessian.BlockHessian;
import io.github.losslab.analysis.hessian.FullHessian;
import io.github.losslab.analysis.hessian.HessianOperator;
import io.github.losslab.analysis.hessian.HessianSpectrum;
import io.github.losslab.analysis.hessian.HutchinsonTrace;
import io.github.losslab.analysis.hessian.LanczosEigensolver;
import io.github.losslab.analysis.hessian.LanczosResult;
import io.github.losslab.analysis.hessian.ParameterBlock;
import io.github.losslab.analysis.hessian.SpectralDensity;
import io.github.losslab.analysis.hessian.TraceEstimate;
import io.github.losslab.analysis.linalg.SymmetricOperator;
import io.github.losslab.api.Backend;
import io.github.losslab.api.BackendOptions;
import io.github.losslab.api.LossAndGradient;
import io.github.losslab.api.Model;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.io.ModelFormatException;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.ParameterLayout;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.cli.Converters;
import io.github.losslab.app.cli.VersionProvider;
import io.github.losslab.app.config.TextFiles;
import io.github.losslab.app.inject.BackendModules;
import io.github.losslab.app.output.OutputDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code losslab hessian --model DIR --data SOURCE}: the curvature of a model saved by {@link ModelIo} at its saved
 * parameters, over the mean loss of a data source, printed as one JSON object: the top and bottom eigenvalues by
 * Lanczos (or every eigenvalue and the minimal ratio with {@code --full}), Hutchinson's trace estimate, the
 * gradient norm, the eigenvalue density with {@code --density}, the wall time, and whether Hessian-vector products
 * were exact or finite differences. With {@code --per-layer} or {@code --block}, the same for the Hessian restricted to
 * each layer's parameters or to the named segments ({@link BlockHessian}: the block's rows and columns of H), one
 * JSON object per line after the whole model's, which then says {@code "block": "all"}.
 */
@Command(name = "hessian", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Prints the Hessian spectrum, trace and gradient norm of a saved model on a data set as JSON.",
        footer = {"", "A saved model comes from 'losslab run fit-function' with save-models: true in its configuration, "
                + "or from ModelIo.save in Java.", "", "Examples:",
                "  losslab hessian --model losslab-out/fit-function/cube/models/4-hidden-layers-adam "
                        + "--data function:cube --full",
                "  losslab hessian --model my-mnist-model --data mnist --samples 2000 --top 5 --density",
                "  losslab hessian --model my-mnist-model --data mnist --samples 2000 --top 3 --per-layer"})
public final class HessianCommand implements Callable<Integer> {

    /** Hutchinson probes unless {@code --probes} says otherwise. */
    static final int PROBES_DEFAULT = 20;
    /** Points of the printed density. */
    static final int DENSITY_POINTS = 200;

    @Option(names = "--model", paramLabel = "DIR", required = true, converter = Converters.PathConverter.class,
            description = "Directory of a saved model (model.json and params.npz).")
    Path model;

    @Option(names = "--data", paramLabel = "SOURCE", required = true,
            description = "mnist (the bundled subset's training split), NAME:DIR (the training split of the data "
                    + "set NAME's files in DIR: mnist, fashion-mnist, kmnist or cifar10) or function:NAME (cube, "
                    + "sin-5pi-x, sin).")
    String data;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
            description = "Use the first N samples, at most the data's (a function: N points); 0, the default: all "
                    + "samples, 1000 points of a function.")
    int samples;

    @Option(names = "--top", paramLabel = "K", defaultValue = "1",
            description = "Largest and smallest eigenvalues to find by Lanczos (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--full", description = "Build the full Hessian: every eigenvalue and the minimal ratio "
            + "(models up to " + FullHessian.DEFAULT_MAX_PARAMETERS + " parameters).")
    boolean full;

    @Option(names = "--density", description = "Add the eigenvalue density (stochastic Lanczos quadrature).")
    boolean density;

    @Option(names = "--per-layer", description = "Also the Hessian restricted to each layer's parameters (kernel and "
            + "bias): one JSON line per layer after the whole model's.")
    boolean perLayer;

    @Option(names = "--block", paramLabel = "SEGMENTS",
            description = "Also the Hessian restricted to these parameter segments, joined by '+' (for example "
                    + "layer0/kernel or layer1/kernel+layer1/bias): one JSON line per --block; repeatable.")
    List<String> blocks = new ArrayList<>();

    @Option(names = "--probes", paramLabel = "N", defaultValue = "20",
            description = "Hutchinson probes of the trace estimate (default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random vectors (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "tensorflow",
            description = "Backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new UsageException("--top must be at least 1, was " + top);
        }
        if (probes < 2) {
            throw new UsageException("--probes must be at least 2, was " + probes);
        }
        if (samples < 0) {
            throw new UsageException("--samples must be at least 0 (0: all samples), was " + samples);
        }
        if (!Files.isDirectory(model)) {
            throw new UsageException("--model '" + model + "' is not a directory; it should hold a saved model ("
                    + ModelIo.SPEC_FILE + " and " + ModelIo.PARAMS_FILE + ")");
        }
        ModelIo.Header header = header(model);
        Dataset dataset = HessianData.load(data, samples);
        HessianData.checkFits(header.spec(), dataset, data);
        if (full) {
            try {
                FullHessian.checkSize(header.spec().parameterCount(), FullHessian.DEFAULT_MAX_PARAMETERS);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--full: " + e.getMessage());
            }
        }
        Backend b = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(BackendOptions.class).toInstance(BackendOptions.DEFAULT);
            }
        }, BackendModules.forName(backend)).getInstance(Backend.class);
        long start = System.nanoTime();
        List<Map<String, Object>> outs = new ArrayList<>();
        try (Model m = load(model, b)) {
            List<ParameterBlock> restricted = blocks(m.layout());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model.toString());
            out.put("spec", m.spec().describe());
            out.put("parameters", m.parameterCount());
            out.put("precision", m.precision().configName());
            out.put("data", data);
            out.put("samples", dataset.size());
            out.put("method", m.curvatureMethod().configName());
            HessianOperator op = HessianOperator.of(m, dataset);
            LossAndGradient lg = op.lossAndGradient();
            out.put("loss", lg.loss());
            out.put("gradientNorm", lg.gradientNorm());
            if (!restricted.isEmpty()) {
                out.put("block", ParameterBlock.whole(m.layout()).name());
            }
            out.putAll(curvature(op));
            out.put("hessianVectorProducts", op.products());
            out.put("seconds", (System.nanoTime() - start) / 1e9);
            outs.add(out);
            for (ParameterBlock block : restricted) {
                long blockStart = System.nanoTime();
                long before = op.products();
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("block", block.name());
                o.put("segments", block.segments());
                o.put("parameters", block.size());
                o.putAll(curvature(BlockHessian.of(op, block)));
                o.put("hessianVectorProducts", op.products() - before);
                o.put("seconds", (System.nanoTime() - blockStart) / 1e9);
                outs.add(o);
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        if (outs.size() == 1) {
            w.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(outs.get(0)));
        } else {
            JsonMapper lines = JsonMapper.builder().build();
            for (Map<String, Object> o : outs) {
                w.println(lines.writeValueAsString(o));
            }
        }
        w.flush();
        return 0;
    }

    /**
     * The blocks of {@code --per-layer} (every layer's) and of each {@code --block}, in that order.
     *
     * @throws UsageException for a {@code --block} that names no segment of the model, listing its segments
     */
    private List<ParameterBlock> blocks(ParameterLayout layout) {
        List<ParameterBlock> out = new ArrayList<>();
        if (perLayer) {
            out.addAll(ParameterBlock.perLayer(layout));
        }
        for (String b : blocks) {
            try {
                out.add(ParameterBlock.of(layout, b, List.of(b.split("\\+", -1))));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--block " + b + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The eigenvalues (Lanczos, or all of them with {@code --full}), Hutchinson's trace and, with
     * {@code --density}, the density of one operator: the whole Hessian or a block of it.
     */
    private Map<String, Object> curvature(SymmetricOperator op) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> eigen = new LinkedHashMap<>();
        if (full) {
            FullHessian h = FullHessian.compute(op);
            HessianSpectrum s = h.spectrum();
            HessianSpectrum.SignCounts signs = s.signCounts();
            eigen.put("method", "full");
            eigen.put("all", s.eigenvalues());
            eigen.put("seconds", s.wallSeconds());
            out.put("eigenvalues", eigen);
            out.put("minimalRatio", s.minimalRatio());
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("negative", signs.negative());
            counts.put("nearZero", signs.nearZero());
            counts.put("positive", signs.positive());
            counts.put("zeroTolerance", signs.tolerance());
            counts.put("zeroThreshold", signs.threshold());
            out.put("signCounts", counts);
            out.put("exactTrace", h.trace());
        } else {
            LanczosResult r = LanczosEigensolver.builder().top(top).bottom(top).seed(seed).build().solve(op);
            eigen.put("method", "lanczos");
            eigen.put("top", r.top());
            eigen.put("bottom", r.bottom());
            eigen.put("topResiduals", r.topResiduals());
            eigen.put("bottomResiduals", r.bottomResiduals());
            eigen.put("iterations", r.iterations());
            eigen.put("converged", r.converged());
            eigen.put("seconds", r.spectrum().wallSeconds());
            out.put("eigenvalues", eigen);
        }
        TraceEstimate t = HutchinsonTrace.estimate(op, probes, seed + 1);
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("estimate", t.mean());
        trace.put("standardError", t.standardError());
        trace.put("probes", t.probes());
        trace.put("seconds", t.wallSeconds());
        out.put("trace", trace);
        if (density) {
            SpectralDensity d = SpectralDensity.estimate(op, SpectralDensity.DEFAULT_PROBES,
                    Math.min(SpectralDensity.DEFAULT_STEPS, op.dimension()), seed + 2);
            SpectralDensity.Curve c = d.density(DENSITY_POINTS, d.defaultSigma());
            Map<String, Object> dens = new LinkedHashMap<>();
            dens.put("probes", d.probes());
            dens.put("sigma", c.sigma());
            dens.put("grid", c.grid());
            dens.put("density", c.density());
            dens.put("spread", c.spread());
            dens.put("seconds", d.wallSeconds());
            out.put("density", dens);
        }
        return out;
    }

    private static ModelIo.Header header(Path dir) {
        try {
            return ModelIo.readHeader(dir);
        } catch (CharacterCodingException e) {
            Path file = dir.resolve(ModelIo.SPEC_FILE);
            try {
                TextFiles.readUtf8(file);
            } catch (IOException notUtf8) {
                throw new UsageException("--model '" + dir + "': " + notUtf8.getMessage(), notUtf8);
            }
            throw new UsageException("--model '" + dir + "': " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
    }

    private static Model load(Path dir, Backend b) {
        try {
            return ModelIo.load(dir, b);
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
    }

    /** A saved model's file that cannot be read: the user's to fix, so an error of status 2 naming it. */
    private static UsageException unreadable(Path dir, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof ModelFormatException) {
            return new UsageException("--model '" + dir + "': " + e.getMessage(), e);
        }
        return new UsageException("--model '" + dir + "': cannot read " + (e instanceof FileSystemException f
                && f.getFile() != null ? f.getFile() + " (" + OutputDirectory.reason(e) + ")" : "it: "
                + OutputDirectory.reason(e)), e);
    }
}
