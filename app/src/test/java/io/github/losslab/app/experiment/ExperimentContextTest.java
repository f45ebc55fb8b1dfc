package io.github.losslab.app.experiment;

import io.github.losslab.api.Precision;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.run.FakeExperiments;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentContextTest {

    private static final Path OUT = Path.of("unused-out");

    @Test
    void startsFromTheDefaultConfiguration() {
        ExperimentContext c = ExperimentContext.builder(FakeExperiments.backend(), OUT).build();
        assertThat(c.seed()).isEqualTo(LosslabConfig.SEED_DEFAULT);
        assertThat(c.precision()).isEqualTo(LosslabConfig.PRECISION_DEFAULT);
        assertThat(c.dataDirectory()).isEmpty();
    }

    @Test
    void takesSeedPrecisionAndDataFromARunsConfigurationAndSettersOverrideThem() {
        LosslabConfig config = LosslabConfig.builder().seed(7).precision(Precision.FLOAT64)
                .dataDir(Path.of("digits")).out(Path.of("runs")).build();
        ExperimentContext c = ExperimentContext.of(FakeExperiments.backend(), config, "a",
                new PrintWriter(Writer.nullWriter()));
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(c.dataDirectory()).contains(Path.of("digits"));
        assertThat(c.output().directory()).isEqualTo(Path.of("runs", "a"));

        ExperimentContext changed = ExperimentContext.builder(FakeExperiments.backend(), OUT).config(config).seed(8)
                .dataDir(null).build();
        assertThat(changed.seed()).isEqualTo(8);
        assertThat(changed.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(changed.dataDirectory()).isEmpty();
    }
}
