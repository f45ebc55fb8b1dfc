package io.github.losslab.app.curvature;

import io.github.losslab.api.data.BundledMnist;
import io.github.losslab.api.data.DataException;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.data.FunctionSampler;
import io.github.losslab.api.data.ImageDataset;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.UsageException;
import io.github.losslab.app.config.Limits;
import io.github.losslab.app.experiment.fitfunction.TargetFunction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The data a Hessian is taken over, named on the command line: {@code mnist} (the bundled subset's 8,000-digit
 * training split), {@code NAME:DIR} (the training split of the named data set's files in {@code DIR}, read and its
 * labels checked as {@code losslab run --dataset NAME} reads them: {@code mnist:DIR}, {@code fashion-mnist:DIR},
 * {@code kmnist:DIR} or {@code cifar10:DIR}) or {@code function:NAME} (evenly spaced points of a built-in
 * {@link TargetFunction} on its interval).
 */
final class HessianData {

    /** Points of a function source when no sample count is given. */
    static final int FUNCTION_POINTS_DEFAULT = 1000;

    static final String FORMS = "mnist, " + Stream.of(ImageDataset.values()).map(d -> d.configName() + ":DIR")
            .collect(Collectors.joining(", ")) + " (a directory of the data set's files) or function:NAME (NAME one "
            + "of " + String.join(", ", TargetFunction.BUILT_IN.stream().map(TargetFunction::name).toList()) + ")";

    private HessianData() {
    }

    /**
     * The dataset a source names, cut to its first {@code samples} samples when that is above 0 (0 takes all).
     *
     * @throws UsageException for a malformed source, data that cannot be read (naming the file), or more samples
     *                        than the data holds
     */
    static Dataset load(String source, int samples) {
        Dataset data;
        int colon = source.indexOf(':');
        String prefix = colon < 0 ? source : source.substring(0, colon);
        Optional<ImageDataset> images = ImageDataset.find(prefix);
        if ("mnist".equals(source)) {
            data = read(source, () -> BundledMnist.load().train());
        } else if (images.isPresent() && colon < 0) {
            throw new UsageException("--data " + source + ": only an MNIST subset is bundled; give the directory of "
                    + images.get().title() + "'s files as " + source + ":DIR ('losslab data download " + source
                    + " --dir DIR' fetches them)");
        } else if (images.isPresent()) {
            ImageDataset dataset = images.get();
            String name = source.substring(colon + 1);
            if (name.isBlank()) {
                throw new UsageException("--data " + source + ": give the directory of the " + files(dataset)
                        + " after '" + prefix + ":', for example " + prefix + ":losslab-data/" + prefix + " ('"
                        + prefix + ":.' for the current directory)");
            }
            Path dir = Path.of(name);
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--data " + source + ": '" + dir + "' is not a directory");
            }
            data = read(source, () -> dataset.load(dir).train());
        } else if (source.startsWith("function:")) {
            TargetFunction f;
            try {
                f = TargetFunction.parse(source.substring("function:".length()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--data " + source + ": " + e.getMessage());
            }
            int n = samples > 0 ? samples : FUNCTION_POINTS_DEFAULT;
            if (n < 2 || n > Limits.POINTS) {
                throw new UsageException("--samples of a function source must be between 2 and " + Limits.POINTS
                        + ", was " + n);
            }
            return FunctionSampler.grid(f.name(), f::apply, f.from(), f.to(), n);
        } else {
            throw new UsageException("--data '" + source + "' is not a data source: use " + FORMS);
        }
        if (samples > data.size()) {
            throw new UsageException("--samples " + samples + ": --data " + source + " holds " + data.size()
                    + " samples; give at most " + data.size() + ", or 0 for all of them");
        }
        return samples > 0 && samples < data.size() ? data.head(samples) : data;
    }

    /** A data set's files in words: {@code IDX files} or {@code CIFAR-10 binary files}. */
    private static String files(ImageDataset dataset) {
        return dataset == ImageDataset.CIFAR10 ? dataset.title() + " binary files" : "IDX files";
    }

    /** What reads the data of a source. */
    @FunctionalInterface
    private interface Reader {
        Dataset read() throws DataException;
    }

    /** Reads a source's data; data that cannot be read is the user's to fix, named by the file. */
    private static Dataset read(String source, Reader reader) {
        try {
            return reader.read();
        } catch (DataException e) {
            throw new UsageException("--data " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that a model can take the data: its input size, and labels for cross-entropy or targets of the
     * output's size for mean squared error.
     *
     * @throws UsageException saying what the model expects and what the data holds
     */
    static void checkFits(ModelSpec spec, Dataset data, String source) {
        if (data.featureSize() != spec.inputSize()) {
            throw new UsageException("the model takes " + spec.inputSize() + " input values per sample (shape "
                    + shape(spec.inputShape()) + "), but --data " + source + " has " + data.featureSize()
                    + " (shape " + shape(data.featureShape()) + "); choose data of the model's input shape");
        }
        boolean crossEntropy = spec.loss() != Loss.MEAN_SQUARED_ERROR;
        if (crossEntropy && !data.isClassification()) {
            throw new UsageException("the model's loss is " + spec.loss().configName() + ", which needs class "
                    + "labels, but --data " + source + " has real-valued targets");
        }
        if (crossEntropy && data.classes() > spec.outputSize()) {
            throw new UsageException("the model has " + spec.outputSize() + " outputs, but --data " + source
                    + " has " + data.classes() + " classes");
        }
        if (!crossEntropy && (data.isClassification() || data.targetSize() != spec.outputSize())) {
            throw new UsageException("the model's loss is mean squared error with " + spec.outputSize()
                    + " outputs, but --data " + source + (data.isClassification() ? " has class labels"
                    : " has " + data.targetSize() + " target values per sample"));
        }
    }

    /** A shape as {@code 32x32x3}. */
    private static String shape(int[] dims) {
        return IntStream.of(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }
}
