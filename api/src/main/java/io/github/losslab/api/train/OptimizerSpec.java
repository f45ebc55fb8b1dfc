package io.github.losslab.api.train;

/** An optimizer and its hyper-parameters; the backend implements the update. */
public sealed interface OptimizerSpec permits Sgd, Adam {

    /** Step size. */
    double learningRate();

    /** A short name for reports, for example {@code sgd(lr=0.01)}. */
    String describe();

    /** Plain stochastic gradient descent. */
    static Sgd sgd(double learningRate) {
        return new Sgd(learningRate, 0.0);
    }

    /** Adam with the usual defaults (beta1 0.9, beta2 0.999, epsilon 1e-8). */
    static Adam adam(double learningRate) {
        return new Adam(learningRate, Adam.BETA1_DEFAULT, Adam.BETA2_DEFAULT, Adam.EPSILON_DEFAULT);
    }

    static void checkLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, was " + lr);
        }
    }
}
