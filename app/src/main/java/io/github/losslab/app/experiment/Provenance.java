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
 * @param command       the command line that ran it, for example {@code losslab run all --seed 3}; null when it
 *                      was run from Java
 * @param configHash    the hash of the experiment's resolved configuration ({@code --resume} compares it); null
 *                      when it was run from Java
 */
public record Provenance(long seed, BackendInfo backend, String precision, boolean deterministic, String java,
                        String os, String losslab, DataSource data, String startedAt, double wallSeconds,
                        String command, String configHash) {

    /** A provenance without a command line or configuration hash, for results computed from Java. */
    public Provenance(long seed, BackendInfo backend, String precision, boolean deterministic, String java,
                      String os, String losslab, DataSource data, String startedAt, double wallSeconds) {
        this(seed, backend, precision, deterministic, java, os, losslab, data, startedAt, wallSeconds, null, null);
    }

    /** The backend in a provenance record. */
    public record BackendInfo(String name, String version, String device) {
    }
}
