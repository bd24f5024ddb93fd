package io.hallmark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** serve's options are checked before anything is opened: a bad one is one line and the bad-input exit code. */
class ServeOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aReadDeadlineThatIsNoDurationIsRefused() {
        for (String bad : new String[]{"soon", "0s", "-5s", "20"}) {
            Cli.Run r = Cli.run(dir.resolve("data"), "serve", "--read-deadline", bad);
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertEquals("hallmark: --read-deadline must be a duration such as 20s or 1m, not '" + bad + "'\n", r.err(), r::toString);
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
    }

    @Test
    void helpNamesTheOptionAndItsDefault() {
        Cli.Run r = Cli.raw("serve", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--read-deadline=DURATION") && r.out().contains("(default 20s)"), r.out());
    }

    /** A port another process holds is named with its option and why, not Jetty's bare "Failed to bind to /127.0.0.1:N". */
    @Test
    void anAddressInUseIsSaidSo() throws Exception {
        assertEquals(0, Cli.run(dir.resolve("data"), "init").exit());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Cli.Run https = Cli.run(dir.resolve("data"), "serve", "--listen", "127.0.0.1:" + port, "--http-listen", "127.0.0.1:0");
            assertEquals(ExitCodes.FAILED, https.exit(), https::toString);
            assertTrue(https.err().startsWith("hallmark: cannot listen on 127.0.0.1:" + port + " (--listen): the address is already in use"), https::toString);
            Cli.Run http = Cli.run(dir.resolve("data"), "serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:" + port);
            assertEquals(ExitCodes.FAILED, http.exit(), http::toString);
            assertTrue(http.err().startsWith("hallmark: cannot listen on 127.0.0.1:" + port + " (--http-listen): the address is already in use"), http::toString);
        }
    }
}
