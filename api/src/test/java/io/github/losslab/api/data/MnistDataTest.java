package io.github.losslab.api.data;

import static io.github.losslab.api.data.IdxTestFiles.gzip;
import static io.github.losslab.api.data.IdxTestFiles.pixel;
import static io.github.losslab.api.data.IdxTestFiles.raw;
import static io.github.losslab.api.data.IdxTestFiles.ubyte;
import static io.github.losslab.api.data.IdxTestFiles.write;
import static io.github.losslab.api.data.IdxTestFiles.writeMnist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDataTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheFourPlainFiles() throws IOException {
        writeMnist(dir, 12, 5, 4, 3, false);

        MnistData.Splits splits = MnistData.load(dir);

        Dataset train = splits.train();
        assertThat(train.name()).isEqualTo("mnist[train]");
        assertThat(train.size()).isEqualTo(12);
        assertThat(train.featureShape()).containsExactly(4, 3, 1);
        assertThat(train.classes()).isEqualTo(10);
        assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
        assertThat(train.feature(7, 5)).isEqualTo(pixel(7, 5) / 255f);
        assertThat(splits.test().name()).isEqualTo("mnist[test]");
        assertThat(splits.test().size()).isEqualTo(5);
        assertThat(splits.test().feature(4, 11)).isEqualTo(pixel(4, 11) / 255f);
        assertThat(splits.source()).contains(dir.toAbsolutePath().toString());
        assertThat(MnistData.isPresent(dir)).isTrue();
    }

    @Test
    void gzippedFilesGiveTheSameData() throws IOException {
        Path plain = dir.resolve("plain");
        Path packed = dir.resolve("packed");
        writeMnist(plain, 12, 5, 4, 3, false);
        writeMnist(packed, 12, 5, 4, 3, true);

        MnistData.Splits a = MnistData.load(plain);
        MnistData.Splits b = MnistData.load(packed, "digits");

        assertThat(b.train().features()).isEqualTo(a.train().features());
        assertThat(b.train().labels()).isEqualTo(a.train().labels());
        assertThat(b.test().features()).isEqualTo(a.test().features());
        assertThat(b.test().name()).isEqualTo("digits[test]");
    }

    @Test
    void classesAreTheLargestTrainingLabelPlusOneForBothSplits() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);

        MnistData.Splits splits = MnistData.load(dir);

        assertThat(splits.train().classes()).isEqualTo(4);
        assertThat(splits.test().classes()).isEqualTo(4);
    }

    @Test
    void twoAndFortySevenClassesWork() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        write(dir, MnistData.TRAIN_LABELS, ubyte(new int[] {4}, 1, 0, 0, 1));
        write(dir, MnistData.TEST_LABELS, ubyte(new int[] {3}, 1, 1, 0));
        assertThat(MnistData.load(dir).train().classes()).isEqualTo(2);

        int[] labels = new int[47];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 46 - i;
        }
        Path many = dir.resolve("emnist");
        writeMnist(many, 47, 3, 2, 2, false);
        write(many, MnistData.TRAIN_LABELS, ubyte(new int[] {47}, labels));
        write(many, MnistData.TEST_LABELS, ubyte(new int[] {3}, 46, 0, 20));

        MnistData.Splits splits = MnistData.load(many);
        assertThat(splits.train().classes()).isEqualTo(47);
        assertThat(splits.test().labels()).containsExactly(46, 0, 20);
    }

    @Test
    void aMissingTrainingClassIsNamed() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path labels = write(dir, MnistData.TRAIN_LABELS, ubyte(new int[] {4}, 0, 3, 1, 3));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(labels + ": class 2 never occurs among the 4 training labels (classes"
                        + " found: 0, 1, 3); expected every class of 0..3");
    }

    @Test
    void aTestLabelOutsideTheTrainingClassesIsRefused() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path labels = write(dir, MnistData.TEST_LABELS, ubyte(new int[] {3}, 0, 11, 2));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(labels + ": label 1 is 11; expected one of the training set's classes 0..3 ("
                        + dir.resolve(MnistData.TRAIN_LABELS) + ")");
    }

    @Test
    void aNamedDataSetRefusesLabelsOutsideItsClasses() throws IOException {
        writeMnist(dir, 12, 5, 4, 3, false);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1};
        Path file = write(dir, MnistData.TRAIN_LABELS, ubyte(new int[] {12}, labels));

        assertThatThrownBy(() -> ImageDataset.FASHION_MNIST.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(file + ": label 10 is 10; expected a class of 0..9, the 10 classes of"
                        + " Fashion-MNIST");
        assertThatThrownBy(() -> ImageDataset.KMNIST.load(dir.resolve("none")))
                .hasMessageContaining("losslab data download kmnist");
    }

    @Test
    void aNamedDataSetGivesItsClassNames() throws IOException {
        writeMnist(dir, 12, 5, 4, 3, true);

        MnistData.Splits splits = ImageDataset.FASHION_MNIST.load(dir);

        assertThat(splits.train().name()).isEqualTo("fashion-mnist[train]");
        assertThat(splits.source()).startsWith("Fashion-MNIST IDX files in");
        assertThat(ImageDataset.FASHION_MNIST.classNames(10)).startsWith("T-shirt/top", "Trouser");
        assertThat(ImageDataset.KMNIST.classNames(10)).startsWith("o", "ki");
        assertThat(ImageDataset.CIFAR10.classNames(10)).contains("airplane", "truck");
        assertThat(ImageDataset.FASHION_MNIST.classNames(3)).containsExactly("0", "1", "2");
        assertThat(ImageDataset.MNIST.samples(8000)).isEqualTo("8,000 MNIST digits");
    }

    @Test
    void missingDirectory() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> MnistData.load(missing)).isInstanceOf(DataException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such directory")
                .hasMessageContaining("losslab data download mnist");
        assertThat(MnistData.isPresent(missing)).isFalse();
    }

    @Test
    void missingFileListsWhatWasExpectedAndFound() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, true);
        Files.delete(dir.resolve(MnistData.TEST_LABELS + ".gz"));
        Files.writeString(dir.resolve("notes.txt"), "hello");

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(DataException.class)
                .isNotInstanceOf(IdxFormatException.class)
                .hasMessageContaining(dir + ": missing t10k-labels-idx1-ubyte (plain or .gz)")
                .hasMessageContaining("expected the four files train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte")
                .hasMessageContaining("found 4 entries: notes.txt, t10k-images-idx3-ubyte.gz,"
                        + " train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz");
    }

    @Test
    void labelImageCountMismatch() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path labels = write(dir, MnistData.TRAIN_LABELS, ubyte(new int[] {5}, 0, 1, 2, 3, 4));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(labels + ": label/image count mismatch: 5 labels, but ")
                .hasMessageContaining(dir.resolve(MnistData.TRAIN_IMAGES) + " holds 4 images");
    }

    @Test
    void labelsOutOfRange() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        byte[] ints = ByteBuffer.allocate(12).putInt(1).putInt(300).putInt(2).array();
        Path labels = write(dir, MnistData.TRAIN_LABELS, IdxArray.of(IdxType.INT, new int[] {3}, ints).toIdxBytes());
        write(dir, MnistData.TRAIN_IMAGES, ubyte(new int[] {3, 2, 2}, new int[12]));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(labels + ": label 1 is 300; expected a class label in 0..255");

        write(dir, MnistData.TEST_LABELS, IdxArray.of(IdxType.SIGNED_BYTE, new int[] {3}, new byte[] {0, 0, -1})
                .toIdxBytes());
        writeMnist(dir.resolve("b"), 4, 3, 2, 2, false);
        Files.copy(dir.resolve(MnistData.TEST_LABELS), dir.resolve("b").resolve(MnistData.TEST_LABELS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> MnistData.load(dir.resolve("b"))).isInstanceOf(DataException.class)
                .hasMessageContaining("label 2 is -1; expected one of the training set's classes 0..3");
    }

    @Test
    void aHeaderOfTheWrongKindSaysWhatTheFileShouldHold() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path labels = write(dir, MnistData.TRAIN_LABELS, raw(0x42, new int[] {4}, new byte[4]));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(labels + ": unknown IDX type code 0x42")
                .hasMessageEndingWith("A file of this name holds IDX labels: magic number 0x00000801 (type 0x08,"
                        + " unsigned bytes; 1 dimension, [count])");

        int[] dims = new int[200];
        java.util.Arrays.fill(dims, 1);
        write(dir, MnistData.TRAIN_LABELS, raw(0x08, dims, new byte[1]));
        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("expected 1-D labels [count], found dims [1, 1, 1, 1, ...] (200 dimensions)")
                .hasMessageContaining("magic number 0x00000801")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400 + labels.toString().length()));
    }

    @Test
    void imagesMustBeThreeDimensional() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path images = write(dir, MnistData.TRAIN_IMAGES, ubyte(new int[] {4, 4}, new int[16]));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(images + ": expected 3-D images [count, rows, columns], found dims [4, 4]");
    }

    @Test
    void imagesMustBeUnsignedBytes() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path images = write(dir, MnistData.TEST_IMAGES,
                IdxArray.of(IdxType.FLOAT, new int[] {3, 2, 2}, new byte[48]).toIdxBytes());

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(images + ": expected pixels of type 0x08 (unsigned byte), found 0x0D (float)");
    }

    @Test
    void trainAndTestImagesMustHaveOneSize() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, false);
        Path images = write(dir, MnistData.TEST_IMAGES, ubyte(new int[] {3, 3, 2}, new int[18]));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(images + ": test images are 3 x 2 pixels, but training images");
    }

    @Test
    void aMalformedFileIsNamed() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, true);
        Path images = write(dir, MnistData.TRAIN_IMAGES + ".gz", gzip(raw(0x08, new int[] {4, 2, 2}, new byte[7])));

        assertThatThrownBy(() -> MnistData.load(dir)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(images + ": truncated data");
    }

    @Test
    void plainFileWinsOverGzip() throws IOException {
        writeMnist(dir, 4, 3, 2, 2, true);
        write(dir, MnistData.TRAIN_LABELS, ubyte(new int[] {4}, 3, 2, 1, 0));

        assertThat(MnistData.load(dir).train().labels()).containsExactly(3, 2, 1, 0);
    }
}
