/**
 * Datasets held in memory ({@link io.github.losslab.api.data.Dataset}), the mini-batches models consume
 * ({@link io.github.losslab.api.data.Batch}), a reader of the IDX format of MNIST and its relatives
 * ({@link io.github.losslab.api.data.IdxReader}), loaders for MNIST-layout directories
 * ({@link io.github.losslab.api.data.MnistData}) and for the 10,000 digits bundled in this jar
 * ({@link io.github.losslab.api.data.BundledMnist}), a verifying downloader of the full MNIST
 * ({@link io.github.losslab.api.data.DatasetDownloader}), and samplers of functions y = f(x). Problems with data
 * files are the checked {@link io.github.losslab.api.data.DataException} and its subtype
 * {@link io.github.losslab.api.data.IdxFormatException}.
 */
package io.github.losslab.api.data;
