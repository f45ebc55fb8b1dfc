package io.github.losslab.app.experiment;

/**
 * Everything needed to know how a result was produced and to run it again, written into every
 * {@code summary.json} beside the experiment's settings.
 *
 * @param seed          the root seed of the run
 * @param backend       the backend that computed it
 * @param precision     {@code float32} or {@code float64}
 * @param deterministic whether native operations were single-threaded (bit-identical reruns)
 * @param java          the Java runtime
 * @param os            the operating system
 * @param losslab       the losslab version
 * @param data          where the data came from and its sizes
 * @param startedAt     start of the experiment, ISO-8601 UTC
 * @param wallSeconds   wall-clock time of the experiment (or of the part the summary describes)
 */
public record Provenance(long seed, BackendInfo backend, String precision, boolean deterministic, String java,
                        String os, String losslab, DataSource data, String startedAt, double wallSeconds) {

    /** The backend in a provenance record. */
    public record BackendInfo(String name, String version, String device) {
    }
}
