package io.github.losslab.api.io;

import io.github.losslab.api.Backend;
import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.DenseLayer;
import io.github.losslab.api.model.FlattenLayer;
import io.github.losslab.api.model.LayerSpec;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.MaxPool2dLayer;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;
import io.github.losslab.api.model.ParameterLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Saves a model as a directory that Python reads as easily as losslab does, and loads it back:
 * <ul>
 *   <li>{@value #SPEC_FILE}: the {@link ModelSpec} (input shape; layers: dense with units and activation, conv2d
 *       with filters, kernel size, stride, padding and activation, maxpool2d with size and stride, flatten; loss), the
 *       precision, the format name {@value #FORMAT_NAME} and version {@value #FORMAT_VERSION}, and the list of
 *       parameter tensors with their shapes;</li>
 *   <li>{@value #PARAMS_FILE}: NumPy's npz format, a zip of {@code .npy} arrays, one per segment of the
 *       {@link ParameterLayout} named by the segment ({@code layer0/kernel.npy}, {@code layer0/bias.npy}, ...), so
 *       that {@code numpy.load("params.npz")["layer0/kernel"]} is that tensor. Dense kernels are {@code [in, out]}
 *       (PyTorch's {@code nn.Linear.weight} is its transpose), convolution kernels
 *       {@code [height, width, in, out]} as TensorFlow's (PyTorch's are {@code [out, in, height, width]}), C order, {@code <f8} for float64 models and
 *       {@code <f4} for float32 ones.</li>
 * </ul>
 * Files are written under temporary names and moved into place, so a reader never sees half a file. Reading
 * accepts arrays of either float dtype, in either byte order and memory order (as {@code numpy.savez} writes
 * transposed arrays); a float32 model rounds float64 values to the nearest float.
 */
public final class ModelIo {

    public static final String SPEC_FILE = "model.json";
    public static final String PARAMS_FILE = "params.npz";
    public static final String FORMAT_NAME = "losslab-model";
    /** The version written; files of a later version are refused with a message to upgrade losslab. */
    public static final int FORMAT_VERSION = 1;

    /** What {@value #SPEC_FILE} says: the architecture, the precision and the version of the format. */
    public record Header(ModelSpec spec, Precision precision, int formatVersion) {
        public Header {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(precision, "precision");
        }
    }

    private ModelIo() {
    }

    /** Saves the model's spec, precision and current parameters into {@code dir}, creating it if needed. */
    public static void save(Model model, Path dir) throws IOException {
        save(model.spec(), model.precision(), model.parameters(), dir);
    }

    /** Saves a spec, a precision and a flat parameter vector laid out by {@code spec.layout()}. */
    public static void save(ModelSpec spec, Precision precision, double[] parameters, Path dir) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(precision, "precision");
        spec.layout().checkLength(parameters);
        Files.createDirectories(dir);
        byte[] npz = npz(spec.layout(), parameters, precision == Precision.FLOAT32);
        byte[] json = toJson(spec, precision).getBytes(StandardCharsets.UTF_8);
        writeAtomically(dir.resolve(PARAMS_FILE), npz);
        writeAtomically(dir.resolve(SPEC_FILE), json);
    }

    /**
     * Creates a model with {@code backend} from the spec in {@code dir} and sets the saved parameters. The caller
     * closes the model.
     *
     * @throws NoSuchFileException  when {@value #SPEC_FILE} or {@value #PARAMS_FILE} is missing
     * @throws ModelFormatException when a file is malformed or the two files do not match
     */
    public static Model load(Path dir, Backend backend) throws IOException {
        Header header = readHeader(dir);
        double[] parameters = readParameters(dir, header.spec());
        Model model = backend.createModel(header.spec(), header.precision(), 0);
        try {
            model.setParameters(parameters);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** Reads {@value #SPEC_FILE} of {@code dir}. */
    public static Header readHeader(Path dir) throws IOException {
        Path file = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no saved model here: a model directory holds " + SPEC_FILE + " and " + PARAMS_FILE);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * Reads {@value #PARAMS_FILE} of {@code dir} into a flat vector laid out by {@code spec.layout()}.
     *
     * @throws ModelFormatException when an array is missing, extra, of another shape, or unreadable
     */
    public static double[] readParameters(Path dir, ModelSpec spec) throws IOException {
        Path file = dir.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no parameters here: a model directory holds " + SPEC_FILE + " and " + PARAMS_FILE);
        }
        ParameterLayout layout = spec.layout();
        double[] flat = new double[layout.size()];
        try (ZipFile zip = new ZipFile(file.toFile())) {
            TreeSet<String> keys = new TreeSet<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                keys.add(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
            }
            for (ParameterLayout.Segment s : layout.segments()) {
                ZipEntry entry = zip.getEntry(s.name() + ".npy");
                if (entry == null) {
                    throw new ModelFormatException(file, "no array '" + s.name() + "' (shape "
                            + Arrays.toString(s.shape()) + ") for " + spec.describe() + "; the file holds "
                            + keys);
                }
                keys.remove(s.name());
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                Npy.Array array;
                try {
                    array = Npy.decode(bytes);
                } catch (Npy.FormatException e) {
                    throw new ModelFormatException(file, "array '" + s.name() + "': " + e.getMessage(), e);
                }
                if (!Arrays.equals(array.shape(), s.shape())) {
                    throw new ModelFormatException(file, "array '" + s.name() + "' has shape "
                            + Arrays.toString(array.shape()) + " but " + spec.describe() + " needs "
                            + Arrays.toString(s.shape()) + " (dense kernels are [in, out], convolution kernels [height, width, in, out])");
                }
                System.arraycopy(array.values(), 0, flat, s.offset(), s.size());
            }
            if (!keys.isEmpty()) {
                throw new ModelFormatException(file, "arrays " + keys + " are not parameters of "
                        + spec.describe() + ", whose tensors are " + layout.names());
            }
        } catch (ZipException e) {
            throw new ModelFormatException(file, "not a readable npz (zip) file: " + e.getMessage(), e);
        }
        return flat;
    }

    /** The content of {@value #SPEC_FILE} for a spec and precision. */
    static String toJson(ModelSpec spec, Precision precision) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"format\": ").append(Json.quote(FORMAT_NAME)).append(",\n");
        sb.append("  \"version\": ").append(FORMAT_VERSION).append(",\n");
        sb.append("  \"precision\": ").append(Json.quote(precision.configName())).append(",\n");
        sb.append("  \"inputShape\": ").append(ints(spec.inputShape())).append(",\n");
        sb.append("  \"layers\": [\n");
        for (int i = 0; i < spec.layers().size(); i++) {
            sb.append("    ").append(layerJson(spec.layers().get(i)))
                    .append(i + 1 < spec.layers().size() ? ",\n" : "\n");
        }
        sb.append("  ],\n");
        sb.append("  \"loss\": ").append(Json.quote(spec.loss().configName())).append(",\n");
        sb.append("  \"parameterCount\": ").append(spec.parameterCount()).append(",\n");
        sb.append("  \"parameters\": [\n");
        List<ParameterLayout.Segment> segments = spec.layout().segments();
        for (int i = 0; i < segments.size(); i++) {
            ParameterLayout.Segment s = segments.get(i);
            sb.append("    {\"name\": ").append(Json.quote(s.name())).append(", \"shape\": ")
                    .append(ints(s.shape())).append('}').append(i + 1 < segments.size() ? ",\n" : "\n");
        }
        sb.append("  ]\n}\n");
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static Header fromJson(Object root) {
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object at the top level");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        Object format = m.get("format");
        if (!FORMAT_NAME.equals(format)) {
            throw new IllegalArgumentException("\"format\" must be \"" + FORMAT_NAME + "\", was " + format);
        }
        int version = integer(m, "version");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("format version " + version + " is not supported: this losslab "
                    + "reads versions 1 to " + FORMAT_VERSION + (version > FORMAT_VERSION
                    ? "; the model was saved by a newer losslab" : ""));
        }
        Precision precision = Precision.parse(string(m, "precision"));
        List<Object> shapeList = (List<Object>) required(m, "inputShape");
        int[] inputShape = new int[shapeList.size()];
        for (int i = 0; i < inputShape.length; i++) {
            inputShape[i] = toInt(shapeList.get(i), "inputShape[" + i + "]");
        }
        ModelSpec.Builder b = ModelSpec.builder(inputShape);
        List<Object> layers = (List<Object>) required(m, "layers");
        for (int i = 0; i < layers.size(); i++) {
            b.layer(parseLayer((Map<String, Object>) layers.get(i), i));
        }
        b.loss(parseLoss(string(m, "loss")));
        ModelSpec spec;
        try {
            spec = b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (m.containsKey("parameterCount") && integer(m, "parameterCount") != spec.parameterCount()) {
            throw new IllegalArgumentException("\"parameterCount\" says " + integer(m, "parameterCount")
                    + " but the layers " + spec.describe() + " have " + spec.parameterCount());
        }
        if (m.containsKey("parameters")) {
            List<Object> listed = (List<Object>) m.get("parameters");
            List<String> found = new ArrayList<>();
            for (Object o : listed) {
                Map<String, Object> p = (Map<String, Object>) o;
                List<Object> dims = (List<Object>) required(p, "shape");
                int[] shape = new int[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = toInt(dims.get(i), "shape");
                }
                found.add(string(p, "name") + Arrays.toString(shape));
            }
            List<String> expected = new ArrayList<>();
            for (ParameterLayout.Segment s : spec.layout().segments()) {
                expected.add(s.name() + Arrays.toString(s.shape()));
            }
            if (!found.equals(expected)) {
                throw new IllegalArgumentException("\"parameters\" lists " + found + " but the layers "
                        + spec.describe() + " have " + expected);
            }
        }
        return new Header(spec, precision, version);
    }

    private static String layerJson(LayerSpec layer) {
        if (layer instanceof DenseLayer d) {
            return "{\"type\": \"dense\", \"units\": " + d.units() + ", \"activation\": "
                    + Json.quote(d.activation().configName()) + "}";
        } else if (layer instanceof Conv2dLayer c) {
            return "{\"type\": \"conv2d\", \"filters\": " + c.filters() + ", \"kernelSize\": " + c.kernelSize()
                    + ", \"stride\": " + c.stride() + ", \"padding\": "
                    + Json.quote(c.padding().name().toLowerCase(Locale.ROOT)) + ", \"activation\": "
                    + Json.quote(c.activation().configName()) + "}";
        } else if (layer instanceof MaxPool2dLayer p) {
            return "{\"type\": \"maxpool2d\", \"size\": " + p.size() + ", \"stride\": " + p.stride() + "}";
        } else if (layer instanceof FlattenLayer) {
            return "{\"type\": \"flatten\"}";
        }
        throw new IllegalArgumentException("cannot save layer " + layer);
    }

    private static LayerSpec parseLayer(Map<String, Object> layer, int index) {
        String type = string(layer, "type");
        switch (type) {
            case "dense":
                return new DenseLayer(integer(layer, "units"), Activation.parse(string(layer, "activation")));
            case "conv2d":
                String padding = string(layer, "padding").toUpperCase(Locale.ROOT);
                if (!padding.equals("SAME") && !padding.equals("VALID")) {
                    throw new IllegalArgumentException("layer " + index + " has padding \"" + string(layer, "padding")
                            + "\": expected \"same\" or \"valid\"");
                }
                return new Conv2dLayer(integer(layer, "filters"), integer(layer, "kernelSize"),
                        integer(layer, "stride"), Padding.valueOf(padding),
                        Activation.parse(string(layer, "activation")));
            case "maxpool2d":
                return new MaxPool2dLayer(integer(layer, "size"), integer(layer, "stride"));
            case "flatten":
                return new FlattenLayer();
            default:
                throw new IllegalArgumentException("layer " + index + " has unknown type \"" + type
                        + "\": this losslab knows dense, conv2d, maxpool2d and flatten");
        }
    }

    private static Loss parseLoss(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Loss l : Loss.values()) {
            if (l.configName().equals(t) || l.name().toLowerCase(Locale.ROOT).equals(t.replace('-', '_'))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss \"" + text + "\": expected \"mse\" or \"cross-entropy\"");
    }

    private static Object required(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return v;
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = required(m, key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string, was " + v);
        }
        return s;
    }

    private static int integer(Map<String, Object> m, String key) {
        return toInt(required(m, key), key);
    }

    private static int toInt(Object v, String what) {
        if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("\"" + what + "\" must be an integer, was " + v);
        }
        return d.intValue();
    }

    private static String ints(int[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i > 0 ? ", " : "").append(values[i]);
        }
        return sb.append(']').toString();
    }

    /** An npz archive: one stored (uncompressed) {@code .npy} member per segment, as {@code numpy.savez}. */
    private static byte[] npz(ParameterLayout layout, double[] flat, boolean float32) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (ParameterLayout.Segment s : layout.segments()) {
                byte[] npy = Npy.encode(Arrays.copyOfRange(flat, s.offset(), s.offset() + s.size()), s.shape(),
                        float32);
                ZipEntry entry = new ZipEntry(s.name() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(npy.length);
                entry.setCompressedSize(npy.length);
                CRC32 crc = new CRC32();
                crc.update(npy);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(npy);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A fresh temporary file beside {@code target}: {@code .losslab-<name>.<random hex>.tmp}. */
    static Path temporaryFile(Path target) {
        return target.toAbsolutePath().resolveSibling(".losslab-" + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Writes {@code content} to {@code .losslab-<name>.<random hex>.tmp} beside {@code target}, then moves it over
     * {@code target}: a reader never sees part of a file, and a killed run's leftover carries losslab's name.
     */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = temporaryFile(target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(content);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
