package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a command says when what it talks to is not there: a stopped server, a name that does not resolve, a
 * database that does not answer. Each is one line naming the address, and exit 8 (unavailable), so a script can
 * tell "try again later" from a refusal or a mistake.
 */
class UnreachableCliTest {

    /** RFC 6761: never resolves. */
    private static final String NO_SUCH_HOST = "no-such-host.invalid";

    @TempDir
    static Path dir;

    static Path data;
    static Path station;

    @BeforeAll
    static void setUp() {
        data = dir.resolve("data");
        station = dir.resolve("station");
        assertEquals(0, Cli.run(data, "quickstart", "--no-serve", "--devices", "1").exit());
        assertEquals(0, Cli.run(data, "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid",
                "--out", station.toString()).exit());
    }

    /** A loopback port nothing listens on, as a stopped server leaves it. */
    private static int stoppedServerPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRemoteFactoryRunAgainstAStoppedServerSaysItIsNotReachable() throws Exception {
        int port = stoppedServerPort();
        Cli.Run run = Cli.raw("factory", "run", "--server", "https://127.0.0.1:" + port, "--station-cert", station.resolve("station.pem").toString(),
                "--station-key", station.resolve("station.key").toString(), "--ca-cert", data.resolve("ca/root.pem").toString(),
                "--simulate", "3", "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.UNAVAILABLE, run.exit(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains("not reachable: connection refused at 127.0.0.1:" + port), run::toString);
        assertFalse(run.err().contains("closed by the server"), run::toString);
    }

    @Test
    void theDeviceAgentSaysANameDoesNotResolveRatherThanConnectionRefused() {
        Cli.Run run = enroll("https://" + NO_SUCH_HOST + ":8443");
        assertEquals(ExitCodes.UNAVAILABLE, run.exit(), run::toString);
        assertTrue(run.err().contains("cannot resolve " + NO_SUCH_HOST), run::toString);
        assertFalse(run.err().contains("refused"), run::toString);
    }

    @Test
    void theDeviceAgentNamesTheAddressThatRefused() throws Exception {
        int port = stoppedServerPort();
        Cli.Run run = enroll("https://127.0.0.1:" + port);
        assertEquals(ExitCodes.UNAVAILABLE, run.exit(), run::toString);
        assertTrue(run.err().contains("not reachable: connection refused at 127.0.0.1:" + port), run::toString);
    }

    private static Cli.Run enroll(String server) {
        return Cli.raw("device", "enroll", "--server", server, "--ca-cert", data.resolve("ca/root.pem").toString(),
                "--idevid-cert", data.resolve("demo/DEMO-0001.pem").toString(), "--idevid-key", data.resolve("demo/DEMO-0001.key").toString(),
                "--state", dir.resolve("state").toString());
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsUnavailableNotBadInput() throws Exception {
        int port = stoppedServerPort();
        Cli.Run run = Cli.raw("--data", dir.resolve("pg").toString(), "--db", "jdbc:postgresql://127.0.0.1:" + port + "/hallmark?user=hallmark", "ca", "list");
        assertEquals(ExitCodes.UNAVAILABLE, run.exit(), run::toString);
        assertTrue(run.err().contains("cannot open database jdbc:postgresql://127.0.0.1:" + port), run::toString);
        assertTrue(run.err().contains("not reachable"), run::toString);
    }

    /** A database that answers and refuses (here: no such database) is still the caller's mistake: 3. */
    @Test
    void aDatabaseThatAnswersAndRefusesStaysBadInput() {
        String url = Peers.postgresUrl();
        String missing = url.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1hallmark_no_such_database");
        Cli.Run run = Cli.raw("--data", dir.resolve("pg2").toString(), "--db", missing, "ca", "list");
        assertEquals(ExitCodes.BAD_INPUT, run.exit(), run::toString);
        assertTrue(run.err().contains("hallmark_no_such_database"), run::toString);
    }
}
