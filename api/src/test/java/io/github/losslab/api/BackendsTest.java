package io.github.losslab.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendsTest {

    @Test
    void unknownBackendListsWhatExists() {
        // the api module alone has no backend on its class path
        assertThatThrownBy(() -> Backends.provider("nosuch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backend 'nosuch'")
                .hasMessageContaining("losslab-tf-backend");
    }

    @Test
    void precisionParsingNamesTheValue() {
        assertThatThrownBy(() -> Precision.parse("float16")).hasMessageContaining("'float16'")
                .hasMessageContaining("float32 or float64");
    }
}
