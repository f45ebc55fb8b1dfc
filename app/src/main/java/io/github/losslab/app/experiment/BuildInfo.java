package io.github.losslab.app.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of losslab, filtered in from the pom at build time. */
public final class BuildInfo {

    private static final String RESOURCE = "/io/github/losslab/app/losslab.properties";
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    /** The losslab version, for example {@code 0.1.0}. */
    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /** The Java runtime, for example {@code 17.0.15 (Debian)}. */
    public static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    }

    /** The operating system, for example {@code Linux 6.1.0 amd64}. */
    public static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return p;
    }
}
