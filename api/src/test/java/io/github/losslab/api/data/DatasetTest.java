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

    /** A dataset of one feature (the sample id) with {@code counts[c]} samples of class {@code c}. */
    private static Dataset ofClassCounts(int... counts) {
        int n = Arrays.stream(counts).sum();
        float[] x = new float[n];
        int[] labels = new int[n];
        int s = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++, s++) {
                x[s] = s;
                labels[s] = c;
            }
        }
        return Dataset.classification("counts", new int[] {1}, x, labels, counts.length);
    }

    @Test
    void splitGivesLeftoverPlacesToTheLargestRemainders() {
        // Classes of 1, 3 and 6 samples, 7 of 10 into the first part: exact shares 0.7, 2.1 and 4.2 round down to
        // 0, 2 and 4; the seventh place goes to the largest remainder, 0.7, so the smallest class is not left out.
        Dataset small = ofClassCounts(1, 3, 6);
        // Classes of 3, 3 and 4, 4 of 10: shares 1.2, 1.2 and 1.6 round down to 1 each; the fourth place goes to
        // the remainder 0.6.
        Dataset even = ofClassCounts(3, 3, 4);
        for (long seed = 0; seed < 50; seed++) {
            Dataset.Split split = small.split(7, seed);
            assertThat(split.first().classCounts()).as("seed %d", seed).containsExactly(1, 2, 4);
            assertThat(split.second().classCounts()).as("seed %d", seed).containsExactly(0, 1, 2);
            assertThat(even.split(4, seed).first().classCounts()).as("seed %d", seed).containsExactly(1, 1, 2);
        }
    }

    @Test
    void tiedRemaindersShareTheLeftoverPlaceOverSeeds() {
        // Classes of 5, 3 and 2 split 5 / 5: shares 2.5, 1.5 and 1.0; classes 0 and 1 tie for the fifth place.
        Dataset d = ofClassCounts(5, 3, 2);
        int classZeroGetsIt = 0;
        for (long seed = 0; seed < 300; seed++) {
            int[] first = d.split(5, seed).first().classCounts();
            assertThat(first).as("seed %d", seed).isIn(new int[] {3, 1, 1}, new int[] {2, 2, 1});
            classZeroGetsIt += first[0] == 3 ? 1 : 0;
        }
        // Binomial(300, 1/2): mean 150, standard deviation 8.7; the bounds are 5.8 deviations away. The tie used
        // to go to class 0 for every seed.
        assertThat(classZeroGetsIt).isBetween(100, 200);
    }

    @Test
    void everyClassIsEquallyLikelyToWinATieOverSeeds() {
        // Three classes of 2 samples, one sample drawn: every class has the remainder 1/3.
        Dataset three = ofClassCounts(2, 2, 2);
        int[] picked = new int[3];
        // Ten classes of 100 samples, 5 drawn: every class has the remainder 1/2.
        Dataset ten = ofClassCounts(100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
        int[] included = new int[10];
        for (long seed = 0; seed < 300; seed++) {
            picked[three.split(1, seed).first().label(0)]++;
            int[] counts = ten.subset(5, seed).classCounts();
            assertThat(counts).as("seed %d", seed).containsOnly(0, 1);
            for (int c = 0; c < 10; c++) {
                included[c] += counts[c];
            }
        }
        // Binomial(300, 1/3): mean 100, standard deviation 8.2, bounds 4.9 deviations away (all three inside with
        // probability above 0.99999); Binomial(300, 1/2): mean 150, deviation 8.7, bounds 5.8 deviations away.
        // The lowest class index used to win every tie: picked was {300, 0, 0} and only digits 0-4 were included.
        assertThat(Arrays.stream(picked).boxed()).as("times each class was drawn: %s", Arrays.toString(picked))
                .allSatisfy(n -> assertThat(n).isBetween(60, 140));
        assertThat(Arrays.stream(included).boxed()).as("subsets holding each class: %s", Arrays.toString(included))
                .allSatisfy(n -> assertThat(n).isBetween(100, 200));
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
    void aSubsetOfEverySampleIsTheWholeDatasetInASeededOrder() {
        Dataset all = six().subset(6, 11L);

        assertThat(ids(all)).containsExactly(Dataset.permutation(6, 11L));
        assertThat(all.classCounts()).containsExactly(3, 3);
        assertThat(all.name()).isEqualTo(six().subset(5, 11L).name());
        for (int s = 0; s < 6; s++) {
            int id = (int) all.feature(s, 0);
            assertThat(all.feature(s, 1)).isEqualTo(10 + id);
            assertThat(all.label(s)).isEqualTo(id < 3 ? 0 : 1);
        }
        assertThat(ids(six().subset(6, 12L))).isNotEqualTo(ids(all));
    }

    @Test
    void aDatasetHasAtLeastOneSample() {
        assertThatThrownBy(() -> Dataset.classification("none", new int[] {2}, new float[0], new int[0], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dataset 'none' has no samples");
        assertThatThrownBy(() -> Dataset.regression("none", new int[] {1}, new float[0], new float[0], 1))
                .hasMessageStartingWith("dataset 'none' has no samples");
        assertThatThrownBy(() -> six().select(new int[0], "picked"))
                .hasMessageStartingWith("dataset 'picked' has no samples");
    }

    @Test
    void featureChecksBothIndices() {
        assertThat(six().feature(5, 1)).isEqualTo(15);
        assertThatThrownBy(() -> six().feature(0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("feature index 2 is outside [0, 2) of dataset 'six' (features of shape [2])");
        assertThatThrownBy(() -> six().feature(1, -1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("feature index -1 is outside [0, 2)");
        assertThatThrownBy(() -> six().feature(6, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("sample index 6 is outside [0, 6) of dataset 'six'");
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
