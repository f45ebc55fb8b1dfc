package io.github.losslab.app.trial;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedKeyTest {

    @Test
    void keysArePointsWithTheirSeedsWithinAndReadBack() {
        assertThat(SeedKey.keys(List.of("batch-64", "batch-1.5e3"), 2)).containsExactly("batch-64.seed-0",
                "batch-64.seed-1", "batch-1.5e3.seed-0", "batch-1.5e3.seed-1");
        assertThat(SeedKey.parse("cube.2-hidden-layers-adam.seed-12"))
                .isEqualTo(new SeedKey("cube.2-hidden-layers-adam", 12));
    }

    @Test
    void aKeyWithoutASeedIsRefusedNamingIt() {
        assertThatThrownBy(() -> SeedKey.parse("batch-64")).hasMessageContaining("'batch-64'")
                .hasMessageContaining("<point>.seed-<k>");
        assertThatThrownBy(() -> SeedKey.parse("batch-64.seed-x")).hasMessageContaining("no seed number");
        assertThatThrownBy(() -> SeedKey.of("", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
