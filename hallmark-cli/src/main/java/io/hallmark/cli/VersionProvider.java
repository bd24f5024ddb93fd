package io.hallmark.cli;

import io.hallmark.core.crypto.CryptoProviders;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo build = BuildInfo.current();
        return new String[]{"hallmark " + build.version(),
                build.provenance(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                CryptoProviders.describe()};
    }
}
