package io.github.losslab.api.io;

import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Conv2dLayer;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.model.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ModelIoTest {

    private static final ModelSpec SPEC = ModelSpec.builder(3).dense(4, Activation.TANH).dense(2, Activation.RELU)
            .dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();

    @TempDir
    Path dir;

    static double[] awkwardValues(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30));
        }
        v[0] = -0.0;
        v[1] = Double.MIN_VALUE;
        v[2] = Double.MAX_VALUE;
        v[3] = Math.nextUp(1.0);
        return v;
    }

    @Test
    void float64RoundTripIsBitExact() throws IOException {
        double[] theta = awkwardValues(SPEC.parameterCount(), 1);
        ModelIo.save(SPEC, Precision.FLOAT64, theta, dir);
        ModelIo.Header header = ModelIo.readHeader(dir);
        assertThat(header.spec()).isEqualTo(SPEC);
        assertThat(header.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(header.formatVersion()).isEqualTo(ModelIo.FORMAT_VERSION);
        double[] back = ModelIo.readParameters(dir, SPEC);
        for (int i = 0; i < theta.length; i++) {
            assertThat(Double.doubleToRawLongBits(back[i])).as("parameter %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(theta[i]));
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("model.json", "params.npz");
    }

    @Test
    void modelRoundTripThroughABackendKeepsSpecPrecisionAndParameters() throws IOException {
        ArrayBackend backend = new ArrayBackend();
        ModelSpec spec = ModelSpec.mlp(5, new int[] {3}, 4, Activation.SIGMOID, Loss.SOFTMAX_CROSS_ENTROPY);
        for (Precision p : Precision.values()) {
            Path d = dir.resolve(p.configName());
            try (Model model = backend.createModel(spec, p, 42)) {
                ModelIo.save(model, d);
                try (Model loaded = ModelIo.load(d, backend)) {
                    assertThat(loaded.spec()).isEqualTo(spec);
                    assertThat(loaded.precision()).isEqualTo(p);
                    assertThat(loaded.parameters()).containsExactly(model.parameters());
                }
            }
        }
    }

    @Test
    void convolutionalSpecsRoundTrip() throws IOException {
        ModelSpec conv = ModelSpec.builder(8, 8, 1).conv2d(3, 3, Activation.RELU).maxPool(2)
                .layer(new Conv2dLayer(2, 2, 1, Padding.VALID, Activation.TANH)).flatten()
                .dense(4, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).build();
        double[] theta = awkwardValues(conv.parameterCount(), 5);
        ModelIo.save(conv, Precision.FLOAT32, theta, dir);
        ModelIo.Header header = ModelIo.readHeader(dir);
        assertThat(header.spec()).isEqualTo(conv);
        assertThat(header.precision()).isEqualTo(Precision.FLOAT32);
        double[] back = ModelIo.readParameters(dir, conv);
        for (int i = 0; i < theta.length; i++) {
            assertThat(back[i]).isEqualTo((double) (float) theta[i]);
        }
        assertThat(Files.readString(dir.resolve("model.json"))).contains(
                "{\"type\": \"conv2d\", \"filters\": 2, \"kernelSize\": 2, \"stride\": 1, \"padding\": \"valid\", "
                        + "\"activation\": \"tanh\"}", "{\"type\": \"maxpool2d\", \"size\": 2, \"stride\": 2}",
                "{\"type\": \"flatten\"}", "\"shape\": [3, 3, 1, 3]");
    }

    @Test
    void savingAgainReplacesTheFiles() throws IOException {
        ModelIo.save(SPEC, Precision.FLOAT64, awkwardValues(SPEC.parameterCount(), 1), dir);
        double[] second = awkwardValues(SPEC.parameterCount(), 2);
        ModelIo.save(SPEC, Precision.FLOAT64, second, dir);
        assertThat(ModelIo.readParameters(dir, SPEC)).containsExactly(second);
        assertThat(Files.list(dir).count()).isEqualTo(2);
    }

    @Test
    void savedFilesHaveThePermissionsOfAnyNewFileAndTemporaryFilesLosslabsName() throws IOException {
        ModelIo.save(SPEC, Precision.FLOAT64, awkwardValues(SPEC.parameterCount(), 1), dir);
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        try (var files = Files.list(dir)) {
            for (Path saved : files.filter(p -> !p.equals(plain)).toList()) {
                assertThat(Files.getPosixFilePermissions(saved)).as(saved.toString())
                        .isEqualTo(Files.getPosixFilePermissions(plain));
            }
        }
        assertThat(ModelIo.temporaryFile(dir.resolve("params.npz")).getFileName().toString())
                .matches("\\.losslab-params\\.npz\\.[0-9a-f]+\\.tmp");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> ModelIo.readHeader(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("model.json");
        ModelIo.save(SPEC, Precision.FLOAT64, new double[SPEC.parameterCount()], dir);
        Files.delete(dir.resolve("params.npz"));
        assertThatThrownBy(() -> ModelIo.load(dir, new ArrayBackend())).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("params.npz");
    }

    @Test
    void corruptFilesAreNamed() throws IOException {
        ModelIo.save(SPEC, Precision.FLOAT64, new double[SPEC.parameterCount()], dir);
        Files.writeString(dir.resolve("params.npz"), "not a zip");
        assertThatThrownBy(() -> ModelIo.readParameters(dir, SPEC)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("params.npz").hasMessageContaining("npz");
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"losslab-model\", ");
        assertThatThrownBy(() -> ModelIo.readHeader(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json").hasMessageContaining("JSON");
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"losslab-model\", \"version\": 7}");
        assertThatThrownBy(() -> ModelIo.readHeader(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json").hasMessageContaining("version 7")
                .hasMessageContaining("newer losslab");
    }

    @Test
    void specAndParametersThatDoNotMatchAreRefusedClearly() throws IOException {
        ModelIo.save(SPEC, Precision.FLOAT64, new double[SPEC.parameterCount()], dir);
        ModelSpec wider = ModelSpec.builder(3).dense(5, Activation.TANH).dense(2, Activation.RELU)
                .dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        assertThatThrownBy(() -> ModelIo.readParameters(dir, wider)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("params.npz").hasMessageContaining("'layer0/kernel' has shape [3, 4]")
                .hasMessageContaining("needs [3, 5]");

        ModelSpec deeper = ModelSpec.builder(3).dense(4, Activation.TANH).dense(2, Activation.RELU)
                .dense(1, Activation.IDENTITY).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).build();
        assertThatThrownBy(() -> ModelIo.readParameters(dir, deeper)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no array 'layer3/kernel'");

        ModelSpec shallower = ModelSpec.builder(3).dense(4, Activation.TANH).dense(2, Activation.RELU)
                .loss(Loss.MEAN_SQUARED_ERROR).build();
        assertThatThrownBy(() -> ModelIo.readParameters(dir, shallower)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("[layer2/bias, layer2/kernel] are not parameters");

        // a model.json edited by hand so that it no longer matches params.npz
        String json = Files.readString(dir.resolve("model.json")).replace("\"units\": 4", "\"units\": 6");
        Files.writeString(dir.resolve("model.json"), json);
        assertThatThrownBy(() -> ModelIo.readHeader(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.json").hasMessageContaining("parameterCount");
    }

    @Test
    void writesJsonThatNamesEverything() {
        String json = ModelIo.toJson(SPEC, Precision.FLOAT32);
        assertThat(json).contains("\"format\": \"losslab-model\"", "\"precision\": \"float32\"",
                "\"inputShape\": [3]", "{\"type\": \"dense\", \"units\": 4, \"activation\": \"tanh\"}",
                "\"loss\": \"mse\"", "{\"name\": \"layer0/kernel\", \"shape\": [3, 4]}");
    }

    /** NumPy reads what losslab writes, and losslab reads what NumPy writes (float32, transposed arrays). */
    @Test
    void numpyReadsAndWritesTheSameFiles() throws Exception {
        assumeTrue(python("import numpy") == 0, "python3 with numpy is not available");
        double[] theta = awkwardValues(SPEC.parameterCount(), 3);
        ModelIo.save(SPEC, Precision.FLOAT64, theta, dir);
        StringBuilder expected = new StringBuilder();
        for (double t : theta) {
            expected.append(Double.toHexString(t)).append(' ');
        }
        Files.writeString(dir.resolve("expected.txt"), expected.toString());
        String check = String.join("\n",
                "import json, sys, numpy as np",
                "d = sys.argv[1]",
                "z = np.load(d + '/params.npz')",
                "spec = json.load(open(d + '/model.json'))",
                "names = [p['name'] for p in spec['parameters']]",
                "assert z.files == names, (z.files, names)",
                "flat = np.concatenate([z[n].ravel() for n in names])",
                "assert all(z[n].dtype == np.float64 for n in names)",
                "assert z['layer0/kernel'].shape == (3, 4) and z['layer0/bias'].shape == (4,)",
                "want = np.array([float.fromhex(t) for t in open(d + '/expected.txt').read().split()])",
                "assert np.array_equal(flat.view(np.uint64), want.view(np.uint64))",
                "rng = np.random.default_rng(0)",
                "arrays = {p['name']: rng.standard_normal(p['shape']).astype(np.float32) for p in spec['parameters']}",
                "k = arrays['layer0/kernel']",
                "arrays['layer0/kernel'] = np.asfortranarray(k)",
                "np.savez(d + '/params.npz', **arrays)",
                "np.savetxt(d + '/written.txt', np.concatenate([a.ravel() for a in arrays.values()]), fmt='%.9g')");
        assertThat(python(check, dir.toString())).isZero();
        double[] back = ModelIo.readParameters(dir, SPEC);
        String[] written = Files.readString(dir.resolve("written.txt")).trim().split("\\s+");
        assertThat(back).hasSize(written.length);
        for (int i = 0; i < back.length; i++) {
            assertThat(back[i]).as("parameter %d", i).isEqualTo((double) Float.parseFloat(written[i]));
        }
    }

    private static int python(String script, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0 && args.length > 0) {
            System.err.println(out);
        }
        return p.exitValue();
    }
}
