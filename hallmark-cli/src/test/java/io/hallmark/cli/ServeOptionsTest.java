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
    void aRateLimitThatCannotBeReadIsRefused() {
        for (String bad : new String[]{"est=10", "ocsp=10/1m", "est=0/1m", "api=many/1m"}) {
            Cli.Run r = Cli.run(dir.resolve("data"), "serve", "--rate-limit", bad);
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertTrue(r.err().startsWith("hallmark: --rate-limit " + bad + ": ") && r.err().lines().count() == 1, r::toString);
        }
        assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
    }

    @Test
    void helpNamesTheOptionAndItsDefault() {
        Cli.Run r = Cli.raw("serve", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--read-deadline=DURATION") && r.out().contains("(default 20s)"), r.out());
        assertTrue(r.out().contains("--rate-limit=FAMILY=N/DURATION") && r.out().contains("est=1000/1m"), r.out());
    }

    @Test
    void aNodeIdWithSpacesOrTooLongIsRefusedAndHelpSaysWhatItIsFor() {
        for (String bad : new String[]{"pki 1", "x".repeat(256)}) {
            Cli.Run r = Cli.run(dir.resolve("data"), "serve", "--node-id", bad);
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertEquals("hallmark: --node-id must be 1 to 255 printable characters without spaces, not '" + bad + "'\n", r.err(), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
        Cli.Run help = Cli.raw("serve", "--help");
        assertTrue(help.out().contains("--node-id=NAME") && help.out().contains("HALLMARK_NODE_ID") && help.out().contains("jobs lease"), help.out());
    }
}
