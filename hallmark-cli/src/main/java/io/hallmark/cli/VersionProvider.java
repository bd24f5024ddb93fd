package io.hallmark.cli;

import io.hallmark.core.crypto.CryptoProviders;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = HallmarkCommand.class.getPackage().getImplementationVersion();
        return new String[]{"hallmark " + (version == null ? "dev" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                CryptoProviders.describe()};
    }
}
