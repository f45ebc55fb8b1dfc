package io.github.losslab.analysis;

import io.github.losslab.api.Model;
import io.github.losslab.api.Precision;
import io.github.losslab.api.data.Dataset;
import io.github.losslab.api.io.ModelFormatException;
import io.github.losslab.api.io.ModelIo;
import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.api.train.Adam;
import io.github.losslab.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saving and loading TensorFlow models through {@link ModelIo}. */
class ModelIoRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void trainedModelsRoundTripBitExactInBothPrecisions() throws IOException {
        ModelSpec spec = ModelSpec.mlp(4, new int[] {6}, 3, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Dataset data = Fixtures.randomClassification(40, 4, 3, 1);
        for (Precision p : Precision.values()) {
            Path d = dir.resolve(p.configName());
            try (Model model = Fixtures.backend().createModel(spec, p, 7)) {
                model.train(data, new Adam(0.01, 0.9, 0.999, 1e-8), TrainingConfig.of(3, 8, 2, p), List.of());
                ModelIo.save(model, d);
                try (Model loaded = ModelIo.load(d, Fixtures.backend())) {
                    assertThat(loaded.spec()).isEqualTo(spec);
                    assertThat(loaded.precision()).isEqualTo(p);
                    double[] a = model.parameters();
                    double[] b = loaded.parameters();
                    assertThat(b).hasSameSizeAs(a);
                    for (int i = 0; i < a.length; i++) {
                        assertThat(Double.doubleToRawLongBits(b[i])).as("%s parameter %d", p, i)
                                .isEqualTo(Double.doubleToRawLongBits(a[i]));
                    }
                    assertThat(loaded.predict(data.all().features(), data.size()))
                            .containsExactly(model.predict(data.all().features(), data.size()));
                }
            }
        }
    }

    @Test
    void parametersOfAnotherArchitectureAreRefusedNamingTheFile() throws IOException {
        ModelSpec wide = ModelSpec.mlp(1, new int[] {8, 8}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        ModelSpec narrow = ModelSpec.mlp(1, new int[] {8, 4}, 1, Activation.TANH, Loss.MEAN_SQUARED_ERROR);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (Model m = Fixtures.backend().createModel(wide, Precision.FLOAT64, 1);
             Model n = Fixtures.backend().createModel(narrow, Precision.FLOAT64, 1)) {
            ModelIo.save(m, a);
            ModelIo.save(n, b);
        }
        Files.copy(b.resolve(ModelIo.PARAMS_FILE), a.resolve(ModelIo.PARAMS_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ModelIo.load(a, Fixtures.backend())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(a.resolve("params.npz").toString())
                .hasMessageContaining("'layer1/kernel' has shape [8, 4]").hasMessageContaining("needs [8, 8]");
    }
}
