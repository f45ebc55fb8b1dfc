package io.github.losslab.app.cli;

import io.github.losslab.app.experiment.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** {@code losslab --version}: the losslab version, Java and the operating system. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"losslab " + BuildInfo.version(), "Java " + BuildInfo.java(), BuildInfo.os()};
    }
}
