package io.github.losslab.api.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundledMnistTest {

    /** Digits per class in the files, counted when they were made (see the resource folder's README.md). */
    private static final int[] CLASS_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    private static Dataset all;
    private static MnistData.Splits defaultSplit;

    @BeforeAll
    static void load() {
        all = BundledMnist.all();
        defaultSplit = BundledMnist.load();
    }

    @Test
    void holdsTenThousandDigitsWithTheRecordedClassCounts() {
        assertThat(all.size()).isEqualTo(BundledMnist.SIZE).isEqualTo(10_000);
        assertThat(all.name()).isEqualTo("mnist-subset");
        assertThat(all.featureShape()).containsExactly(28, 28, 1);
        assertThat(all.classes()).isEqualTo(10);
        assertThat(all.classCounts()).containsExactly(CLASS_COUNTS);
    }

    @Test
    void pixelsAreTheOriginalBytesOver255() {
        // Sample 0 is the package's first 0; its first ink is pixel 127, stored there as 0.2 = 51 / 255.
        assertThat(all.label(0)).isZero();
        for (int i = 0; i < 127; i++) {
            assertThat(all.feature(0, i)).isZero();
        }
        assertThat(all.feature(0, 127)).isEqualTo(51 / 255f);
        // Sample 9022 is the first 9 (10,000 - 978); its first ink is pixel 208, stored as 0.216 = 55 / 255.
        assertThat(all.label(9022)).isEqualTo(9);
        assertThat(all.feature(9022, 208)).isEqualTo(55 / 255f);
        float[] x = all.features();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void defaultSplitIsStratifiedEightThousandToTwoThousand() {
        Dataset train = defaultSplit.train();
        Dataset test = defaultSplit.test();
        assertThat(train.size()).isEqualTo(8_000);
        assertThat(test.size()).isEqualTo(2_000);
        assertThat(train.name()).isEqualTo("mnist-subset[train]");
        assertThat(test.name()).isEqualTo("mnist-subset[test]");
        int[] trainCounts = train.classCounts();
        int[] testCounts = test.classCounts();
        for (int c = 0; c < 10; c++) {
            assertThat(trainCounts[c] + testCounts[c]).isEqualTo(CLASS_COUNTS[c]);
            assertThat((double) trainCounts[c]).as("class %d", c).isCloseTo(0.8 * CLASS_COUNTS[c],
                    org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(defaultSplit.source()).startsWith(BundledMnist.SOURCE)
                .contains("seed " + BundledMnist.DEFAULT_SEED);
    }

    @Test
    void splitIsDeterministicForOneSeedAndDiffersAcrossSeeds() {
        MnistData.Splits again = BundledMnist.load(BundledMnist.DEFAULT_SEED);
        assertThat(again.train().labels()).isEqualTo(defaultSplit.train().labels());
        assertThat(again.test().features()).isEqualTo(defaultSplit.test().features());

        MnistData.Splits other = BundledMnist.load(1L);
        assertThat(other.train().labels()).isNotEqualTo(defaultSplit.train().labels());
        assertThat(other.train().classCounts()).isEqualTo(defaultSplit.train().classCounts());
    }

    @Test
    void trainAndTestAreDisjointAndCoverEveryDigit() {
        // Identify each digit by its pixel sum and label; the 10,000 digits come back exactly once.
        Map<String, Integer> seen = new HashMap<>();
        for (Dataset part : new Dataset[] {defaultSplit.train(), defaultSplit.test()}) {
            for (int s = 0; s < part.size(); s++) {
                seen.merge(key(part, s), 1, Integer::sum);
            }
        }
        Map<String, Integer> expected = new HashMap<>();
        for (int s = 0; s < all.size(); s++) {
            expected.merge(key(all, s), 1, Integer::sum);
        }
        assertThat(seen).isEqualTo(expected);
    }

    private static String key(Dataset d, int sample) {
        byte[] pixels = new byte[d.featureSize() + 1];
        pixels[0] = (byte) d.label(sample);
        for (int i = 0; i < d.featureSize(); i++) {
            pixels[i + 1] = (byte) Math.round(d.feature(sample, i) * 255);
        }
        return new String(pixels, StandardCharsets.ISO_8859_1);
    }

    @Test
    void readmeStatesTheResourcesSha256() throws Exception {
        String readme;
        try (InputStream in = BundledMnist.class.getResourceAsStream("mnist-subset/README.md")) {
            assertThat(in).as("README.md beside the bundled files").isNotNull();
            readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String resource : new String[] {BundledMnist.IMAGES_RESOURCE, BundledMnist.LABELS_RESOURCE}) {
            String file = resource.substring(resource.indexOf('/') + 1);
            Matcher m = Pattern.compile("`" + Pattern.quote(file) + "` \\|[^|]*\\| `([0-9a-f]{64})`").matcher(readme);
            assertThat(m.find()).as("a README row for %s", file).isTrue();
            assertThat(sha256(resource)).as("SHA-256 of %s", file).isEqualTo(m.group(1));
        }
    }

    private static String sha256(String resource) throws IOException, java.security.NoSuchAlgorithmException {
        try (InputStream in = BundledMnist.class.getResourceAsStream(resource)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
