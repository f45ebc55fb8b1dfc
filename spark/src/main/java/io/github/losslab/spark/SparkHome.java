package io.github.losslab.spark;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Where the Spark home this module assembles lies: {@code target/spark-home/} of the build, next to
 * {@code losslab-spark.jar} and {@code classes/}, with Spark's jars in {@code jars/} and a quiet
 * {@code conf/log4j2.properties}. A standalone master and workers start from it without a Spark distribution.
 */
public final class SparkHome {

    /** The system property that names another Spark home. */
    public static final String PROPERTY = "losslab.spark.home";

    private SparkHome() {
    }

    /**
     * The Spark home: {@value #PROPERTY} when set, else {@code spark-home/} next to this module's jar or classes.
     *
     * @throws IllegalStateException when there is none, saying how to build it
     */
    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        Path home = configured != null ? Path.of(configured) : besideCode();
        if (home == null || !Files.isDirectory(home.resolve("jars"))) {
            throw new IllegalStateException("no Spark home at " + home + " (a directory with Spark's jars in jars/): "
                    + "build it with ./mvnw -B package -pl spark -am, or set -D" + PROPERTY + "=DIR");
        }
        return home.toAbsolutePath();
    }

    private static Path besideCode() {
        CodeSource source = SparkHome.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI()).getParent().resolve("spark-home");
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
