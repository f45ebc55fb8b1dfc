/**
 * Datasets held in memory ({@link io.github.losslab.api.data.Dataset}), the mini-batches models consume
 * ({@link io.github.losslab.api.data.Batch}), the image data sets known by name
 * ({@link io.github.losslab.api.data.ImageDataset}: MNIST, Fashion-MNIST, KMNIST, CIFAR-10), a reader of the IDX
 * format of MNIST and its relatives ({@link io.github.losslab.api.data.IdxReader}), loaders for MNIST-layout
 * directories ({@link io.github.losslab.api.data.MnistData}), for CIFAR-10's binary version
 * ({@link io.github.losslab.api.data.Cifar10Data}, with a small tar reader,
 * {@link io.github.losslab.api.data.TarArchive}) and for the 10,000 digits bundled in this jar
 * ({@link io.github.losslab.api.data.BundledMnist}), the checks of class labels every loader applies
 * ({@link io.github.losslab.api.data.ClassLabels}), a downloader that verifies published checksums
 * ({@link io.github.losslab.api.data.DatasetDownloader}, {@link io.github.losslab.api.data.Checksum}), and samplers
 * of functions y = f(x). Problems with data files are the checked {@link io.github.losslab.api.data.DataException}
 * and its subtype {@link io.github.losslab.api.data.IdxFormatException}.
 */
package io.github.losslab.api.data;
