package io.github.losslab.app.trial;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardTest {

    @Test
    void parsesKOfN() {
        assertThat(Shard.parse("3/8")).isEqualTo(new Shard(3, 8));
        assertThat(Shard.parse(" 1/1 ")).isEqualTo(Shard.ALL);
    }

    @Test
    void refusesWhatIsNotKOfN() {
        for (String bad : List.of("0/4", "5/4", "3", "a/b", "1/0", "-1/2", "1/2/3", "")) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected K/N with 1 <= K <= N");
        }
    }

    @Test
    void theSlicesOfARunHoldEveryTrialExactlyOnceAndAboutEvenly() {
        for (int n : List.of(1, 2, 3, 7)) {
            int[] perShard = new int[n];
            for (String experiment : List.of("fit-function", "sharpness", "minimal-ratio")) {
                for (int i = 0; i < 100; i++) {
                    int owners = 0;
                    for (int k = 1; k <= n; k++) {
                        if (new Shard(k, n).includes(experiment, i)) {
                            owners++;
                            perShard[k - 1]++;
                        }
                    }
                    assertThat(owners).as("%s trial %d of %d shards", experiment, i, n).isEqualTo(1);
                }
            }
            for (int count : perShard) {
                assertThat(count).isBetween(300 / n - 3, 300 / n + 3);
            }
        }
    }
}
