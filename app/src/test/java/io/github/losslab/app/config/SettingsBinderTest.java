package io.github.losslab.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsBinderTest {

    public record Example(int batchSize, long seed, double learningRate, boolean shuffle, String name, Path dir,
                          Preset preset, List<Integer> widths) {
        public Example {
            // a lower bound only: a value beyond int is then reported with int's range
            if (batchSize < 1) {
                throw new InvalidSettingException("batchSize", batchSize, "an integer >= 1");
            }
            Check.positive("learningRate", learningRate);
            widths = Check.allBetween("widths", widths, 1, 100_000);
        }
    }

    private static final Example BASE = new Example(32, 1, 0.1, true, "a", Path.of("d"), Preset.QUICK, List.of(4));

    @Test
    void keysAreKebabCaseComponentNames() {
        assertThat(SettingsBinder.keys(Example.class)).containsExactly("batch-size", "seed", "learning-rate",
                "shuffle", "name", "dir", "preset", "widths");
    }

    @Test
    void bindsEveryType() {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("batch-size", 8);
        section.put("seed", 12345678901L);
        section.put("learning-rate", 1);
        section.put("shuffle", false);
        section.put("name", "b");
        section.put("dir", "x/y");
        section.put("preset", "full");
        section.put("widths", List.of(1, 2));
        Example e = SettingsBinder.bind(Example.class, BASE, section, "s");
        assertThat(e).isEqualTo(new Example(8, 12345678901L, 1.0, false, "b", Path.of("x/y"), Preset.FULL,
                List.of(1, 2)));
    }

    @Test
    void missingKeysKeepTheBase() {
        assertThat(SettingsBinder.bind(Example.class, BASE, Map.of(), "s")).isEqualTo(BASE);
    }

    @Test
    void writesBackInConfigurationForm() {
        Map<String, Object> map = SettingsBinder.toMap(BASE);
        assertThat(map).containsEntry("batch-size", 32).containsEntry("preset", "quick")
                .containsEntry("dir", "d").containsEntry("widths", List.of(4));
        assertThat(SettingsBinder.bind(Example.class, new Example(1, 2, 3, false, "z", Path.of("q"), Preset.FULL,
                List.of(9)), map, "s")).isEqualTo(BASE);
    }

    @Test
    void rangeErrorsNameTheKeyAsWritten() {
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("widths", List.of(3, 0)), "s"))
                .hasMessage("s.widths: [3, 0] is not allowed; expected a list of integers in [1, 100000]");
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("learning-rate", 0), "s"))
                .hasMessage("s.learning-rate: 0 is not allowed; expected a finite number > 0");
    }

    @Test
    void anIntegerBeyondIntIsRefusedWithTheKeysRangeOrIntsWhenTheKeyHasNone() {
        assertThatThrownBy(() -> SettingsBinder.bind(Bounded.class, new Bounded(5), Map.of("size", 3_000_000_000L),
                "s")).hasMessage("s.size: 3000000000 is not allowed; expected an integer in [1, 10]");
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("batch-size", 3_000_000_000L), "s"))
                .hasMessage("s.batch-size: 3000000000 is not allowed; expected an integer between -2147483648 and "
                        + "2147483647");
    }

    public record Bounded(int size) {
        public Bounded {
            Check.between("size", size, 1, 10);
        }
    }

    @Test
    void typeErrorsNameTheElement() {
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("widths", List.of(3, "x")), "s"))
                .hasMessage("s.widths[1]: 'x' is not allowed; expected an integer");
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("preset", "huge"), "s"))
                .hasMessage("s.preset: unknown preset 'huge': expected quick or full");
        assertThatThrownBy(() -> SettingsBinder.bind(Example.class, BASE, Map.of("shuffle", 1), "s"))
                .hasMessage("s.shuffle: 1 is not allowed; expected true or false");
    }

    @Test
    void didYouMeanFindsCloseNames() {
        assertThat(DidYouMean.suggestions("bach-size", List.of("batch-size", "seed"))).containsExactly("batch-size");
        assertThat(DidYouMean.suggestions("zzz", List.of("batch-size", "seed"))).isEmpty();
        assertThat(DidYouMean.phrase("lr", List.of("batch-size"))).isEmpty();
    }
}
