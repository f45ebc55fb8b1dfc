package io.github.losslab.spark;

import io.github.losslab.app.bench.BenchmarkProvider;
import io.github.losslab.app.config.ConfigException;
import io.github.losslab.app.config.LosslabConfig;
import io.github.losslab.app.trial.TrialEngines;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spark engine's choices that need no Spark context: its master, its defaults, how losslab finds it. */
class SparkEngineTest {

    @Test
    void localMastersRetryFailedTasksAsAClusterDoes() {
        assertThat(SparkEngine.master("local[2]", null, "4")).isEqualTo("local[2,4]");
        assertThat(SparkEngine.master("local[*]", null, "4")).isEqualTo("local[*,4]");
        assertThat(SparkEngine.master("local", null, "3")).isEqualTo("local[1,3]");
        assertThat(SparkEngine.master("local[2,1]", null, "4")).isEqualTo("local[2,1]");
    }

    @Test
    void theConfigurationsMasterComesFirstThenSparkSubmitsThenEveryCore() {
        assertThat(SparkEngine.master("spark://h:7077", "yarn", "4")).isEqualTo("spark://h:7077");
        assertThat(SparkEngine.master(null, "yarn", "4")).isEqualTo("yarn");
        assertThat(SparkEngine.master(null, null, "4")).isEqualTo("local[*,4]");
    }

    @Test
    void executorsFindTheirScalaVersionAndTheDriverOnLoopback() {
        assertThat(SparkEngine.defaults("spark://127.0.0.1:7077")).containsEntry("spark.driver.host", "127.0.0.1")
                .containsEntry("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .containsEntry("spark.ui.enabled", "false").containsEntry("spark.app.name", "losslab");
        assertThat(SparkEngine.defaults("spark://node-1:7077")).doesNotContainKey("spark.driver.host");
    }

    @Test
    void aClusterWithoutJarsForItsExecutorsIsAConfigurationError() {
        LosslabConfig config = LosslabConfig.builder().engine("spark").sparkMaster("spark://127.0.0.1:1").build();
        assertThatThrownBy(() -> new SparkEngineProvider().open(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("spark-master").hasMessageContaining("spark://127.0.0.1:1")
                .hasMessageContaining("spark.jars");
    }

    @Test
    void losslabFindsTheEngineAndTheBenchmark() {
        assertThat(TrialEngines.names()).containsExactly("local", "spark");
        assertThat(ServiceLoader.load(BenchmarkProvider.class).stream().map(p -> p.get().name()))
                .contains("sweep");
    }
}
