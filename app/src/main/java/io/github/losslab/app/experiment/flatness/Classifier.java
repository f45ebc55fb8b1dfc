package io.github.losslab.app.experiment.flatness;

import io.github.losslab.api.model.Activation;
import io.github.losslab.api.model.Loss;
import io.github.losslab.api.model.ModelSpec;
import io.github.losslab.app.experiment.training.MnistInput;

import java.util.List;

/** The classifier the flatness experiments train: a fully connected ReLU network with softmax cross-entropy. */
public final class Classifier {

    /** One hidden layer of 128 units: 784-128-10, 101,770 parameters on MNIST. */
    public static final List<Integer> HIDDEN_WIDTHS_DEFAULT = List.of(128);

    private Classifier() {
    }

    /** {@code inputs}, then ReLU layers of {@code hiddenWidths}, then {@code classes} logits. */
    public static ModelSpec mlp(int inputs, List<Integer> hiddenWidths, int classes) {
        return ModelSpec.mlp(inputs, hiddenWidths.stream().mapToInt(Integer::intValue).toArray(), classes,
                Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
    }

    /** The classifier for the samples of {@code data}. */
    public static ModelSpec mlp(MnistInput data, List<Integer> hiddenWidths) {
        return mlp(data.train().featureSize(), hiddenWidths, data.train().classes());
    }

    /** The architecture in short, for example {@code 784-128-10 MLP}. */
    public static String describe(ModelSpec spec) {
        StringBuilder sb = new StringBuilder().append(spec.inputSize());
        for (int w : spec.hiddenWidths()) {
            sb.append('-').append(w);
        }
        return sb.append('-').append(spec.outputSize()).append(" MLP").toString();
    }
}
