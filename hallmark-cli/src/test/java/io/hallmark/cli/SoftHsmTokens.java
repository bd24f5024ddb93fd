package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SoftHSM2 tokens of one test, in its temporary directory (SOFTHSM2_CONF names them), and the processes that use
 * them. SoftHSM2 reads SOFTHSM2_CONF when the library is loaded, so every hallmark command runs as its own process
 * with it in the environment, as an operator's shell would; each process is also a restart that must find the
 * keys on the token again. Needs softhsm2-util and pkcs11-tool (skipped without them, failed in CI).
 */
final class SoftHsmTokens extends TokenShell {

    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    static final String SO_PIN = "87654321";

    final Path conf;

    SoftHsmTokens(Path dir) throws IOException {
        super(dir);
        Peers.tool("softhsm2-util");
        Peers.tool("pkcs11-tool");
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        with("SOFTHSM2_CONF", conf.toString());
    }

    /** A fresh token in the first free slot. */
    void init(String label, String pin) {
        Result init = exec(List.of(Peers.tool("softhsm2-util").toString(), "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SO_PIN));
        assertEquals(0, init.exit(), init::toString);
    }

    /** pkcs11-tool's listing of the token's objects, logged in. */
    String objects(String label, String pin) {
        return objects(LIBRARY, label, pin);
    }

}
