package io.github.losslab.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Six samples of shape [2]: sample i is (i, 10 + i); labels 0, 0, 0, 1, 1, 1. */
    private static Dataset six() {
        float[] x = new float[12];
        for (int i = 0; i < 6; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 + i;
        }
        return Dataset.classification("six", new int[] {2}, x, new int[] {0, 0, 0, 1, 1, 1}, 2);
    }

    /** The sample ids (first feature) of a dataset made from {@link #six()}. */
    private static int[] ids(Dataset d) {
        return IntStream.range(0, d.size()).map(s -> (int) d.feature(s, 0)).toArray();
    }

    @Test
    void selectTakesSamplesInOrderWithRepeats() {
        Dataset picked = six().select(new int[] {2, 0, 2}, "picked");

        assertThat(picked.name()).isEqualTo("picked");
        assertThat(picked.features()).containsExactly(2, 12, 0, 10, 2, 12);
        assertThat(picked.labels()).containsExactly(0, 0, 0);
        assertThat(picked.classes()).isEqualTo(2);
        assertThatThrownBy(() -> six().select(new int[] {6}, "x"))
                .hasMessage("sample index 6 is outside [0, 6)");
    }

    @Test
    void batchHoldsTheRangeInDoublePrecision() {
        Batch b = six().batch(1, 3);

        assertThat(b.rows()).isEqualTo(2);
        assertThat(b.features()).containsExactly(1, 11, 2, 12);
        assertThat(b.labels()).containsExactly(0, 0);
        assertThat(six().all().rows()).isEqualTo(6);
        assertThatThrownBy(() -> six().batch(3, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitIsStratifiedDisjointAndNamed() {
        Dataset.Split split = six().split(4, 7L);

        assertThat(split.first().name()).isEqualTo("six[train]");
        assertThat(split.second().name()).isEqualTo("six[test]");
        assertThat(split.first().classCounts()).containsExactly(2, 2);
        assertThat(split.second().classCounts()).containsExactly(1, 1);
        int[] all = IntStream.concat(Arrays.stream(ids(split.first())), Arrays.stream(ids(split.second())))
                .sorted().toArray();
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5);
        // Each sample keeps its label and its second feature.
        for (Dataset part : new Dataset[] {split.first(), split.second()}) {
            for (int s = 0; s < part.size(); s++) {
                int id = (int) part.feature(s, 0);
                assertThat(part.feature(s, 1)).isEqualTo(10 + id);
                assertThat(part.label(s)).isEqualTo(id < 3 ? 0 : 1);
            }
        }
    }

    @Test
    void splitGivesLeftoverSamplesByLargestRemainder() {
        // Classes of 5, 3 and 2 samples split 5 / 5: exact shares 2.5, 1.5 and 1.0 round down to 2, 1, 1; the
        // fifth place goes to the first class with the largest remainder (0.5), class 0.
        int[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
        Dataset d = Dataset.classification("ten", new int[] {1}, new float[10], labels, 3);

        Dataset.Split split = d.split(5, 99L);

        assertThat(split.first().classCounts()).containsExactly(3, 1, 1);
        assertThat(split.second().classCounts()).containsExactly(2, 2, 1);
    }

    @Test
    void splitIsDeterministicForOneSeed() {
        assertThat(ids(six().split(3, 5L).first())).containsExactly(ids(six().split(3, 5L).first()));
        boolean anyDiffers = false;
        for (long seed = 0; seed < 20 && !anyDiffers; seed++) {
            anyDiffers = !Arrays.equals(ids(six().split(3, seed).first()), ids(six().split(3, 5L).first()));
        }
        assertThat(anyDiffers).as("some seed gives another split").isTrue();
    }

    @Test
    void splitSizeMustLeaveBothPartsNonEmpty() {
        assertThatThrownBy(() -> six().split(0, 1L)).hasMessage("split size must be in [1, 5], was 0");
        assertThatThrownBy(() -> six().split(6, 1L)).hasMessage("split size must be in [1, 5], was 6");
    }

    @Test
    void regressionSplitIsNotStratifiedButKeepsTargets() {
        float[] x = {0, 1, 2, 3, 4};
        float[] y = {0, 1, 4, 9, 16};
        Dataset d = Dataset.regression("squares", new int[] {1}, x, y, 1);

        Dataset.Split split = d.split(2, 3L);

        assertThat(split.first().size()).isEqualTo(2);
        assertThat(split.second().size()).isEqualTo(3);
        for (Dataset part : new Dataset[] {split.first(), split.second()}) {
            float[] t = part.targets();
            for (int s = 0; s < part.size(); s++) {
                float xi = part.feature(s, 0);
                assertThat(t[s]).isEqualTo(xi * xi);
            }
        }
    }

    @Test
    void subsetIsTheFirstPartOfASplit() {
        Dataset sub = six().subset(4, 11L);

        assertThat(ids(sub)).containsExactly(ids(six().split(4, 11L).first()));
        assertThat(sub.classCounts()).containsExactly(2, 2);
        assertThatThrownBy(() -> six().subset(0, 1L)).hasMessage("subset size must be in [1, 6], was 0");
        assertThatThrownBy(() -> six().subset(7, 1L)).hasMessage("subset size must be in [1, 6], was 7");
    }

    @Test
    void shuffleIsASeededPermutationOfTheSamples() {
        Dataset shuffled = six().shuffle(13L);

        assertThat(ids(shuffled)).containsExactly(Dataset.permutation(6, 13L));
        assertThat(ids(shuffled)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        for (int s = 0; s < 6; s++) {
            int id = (int) shuffled.feature(s, 0);
            assertThat(shuffled.label(s)).isEqualTo(id < 3 ? 0 : 1);
        }
        assertThat(shuffled.name()).isEqualTo("six");
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        int[] p = Dataset.permutation(50, 1L);
        assertThat(p).containsExactlyInAnyOrder(IntStream.range(0, 50).toArray());
        assertThat(p).isNotEqualTo(IntStream.range(0, 50).toArray());
        assertThat(Dataset.permutation(50, 1L)).isEqualTo(p);
        assertThat(Dataset.permutation(0, 1L)).isEmpty();
        assertThat(Dataset.permutation(1, 1L)).containsExactly(0);
    }

    @Test
    void withLabelsReplacesLabelsAndKeepsFeaturesAndClasses() {
        Dataset relabelled = six().withLabels(new int[] {1, 0, 1, 0, 1, 0}, "random");

        assertThat(relabelled.name()).isEqualTo("random");
        assertThat(relabelled.labels()).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(relabelled.features()).isEqualTo(six().features());
        assertThat(relabelled.classes()).isEqualTo(2);
        assertThatThrownBy(() -> six().withLabels(new int[] {0, 0, 0, 0, 0, 2}, "bad"))
                .hasMessage("dataset 'bad': label 2 of sample 5 is outside [0, 2)");
        assertThatThrownBy(() -> six().withLabels(new int[] {0}, "short"))
                .hasMessage("dataset 'short' has 6 samples but 1 labels");
    }

    @Test
    void headNamedAndCounts() {
        assertThat(ids(six().head(2))).containsExactly(0, 1);
        assertThat(six().head(100).size()).isEqualTo(6);
        assertThat(six().named("other").name()).isEqualTo("other");
        assertThat(six().classCounts()).containsExactly(3, 3);
        assertThat(six().toString()).isEqualTo("Dataset[six, 6 samples of [2], 2 classes]");
    }

    @Test
    void inputArraysAreCopied() {
        float[] x = {1, 2};
        int[] y = {0, 1};
        Dataset d = Dataset.classification("copy", new int[] {1}, x, y, 2);
        x[0] = 99;
        y[0] = 1;
        d.features()[1] = 42;

        assertThat(d.features()).containsExactly(1, 2);
        assertThat(d.labels()).containsExactly(0, 1);
    }

    @Test
    void labelsAndTargetsBelongToTheirKind() {
        Dataset regression = Dataset.regression("r", new int[] {1}, new float[] {1}, new float[] {2}, 1);
        assertThatThrownBy(regression::labels).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds real targets");
        assertThatThrownBy(six()::targets).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds class labels");
        assertThatThrownBy(() -> Dataset.classification("one", new int[] {1}, new float[1], new int[1], 1))
                .hasMessage("a classification dataset needs at least 2 classes, had 1");
    }
}
