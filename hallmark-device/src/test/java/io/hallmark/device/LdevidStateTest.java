package io.hallmark.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LdevidStateTest {

    @TempDir
    Path dir;

    private static TestCerts.Issued leaf(TestCerts.Issued ca) throws Exception {
        return TestCerts.under(ca, "device", false, Instant.now().minusSeconds(10), Instant.now().plusSeconds(3600));
    }

    @Test
    void emptyDirectoryHasNoCurrent() {
        assertTrue(new LdevidState(dir.resolve("none")).current().isEmpty());
    }

    @Test
    void replaceSwitchesCurrentAndKeepsOnlyThePreviousGeneration() throws Exception {
        TestCerts.Issued root = TestCerts.root("root");
        TestCerts.Issued ca = TestCerts.under(root, "ca", true, Instant.now().minusSeconds(10), Instant.now().plusSeconds(7200));
        List<java.security.cert.X509Certificate> chain = List.of(ca.certificate(), root.certificate());
        LdevidState state = new LdevidState(dir);

        TestCerts.Issued first = leaf(ca);
        state.replace(first.certificate(), first.keys(), chain);
        LdevidState.Stored current = state.current().orElseThrow();
        assertEquals(first.certificate(), current.certificate());
        assertEquals(chain, current.caChain());
        assertEquals(first.keys().getPublic(), current.credential().certificate().getPublicKey(), "key and certificate pair up");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(current.keyFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        TestCerts.Issued second = leaf(ca);
        TestCerts.Issued third = leaf(ca);
        state.replace(second.certificate(), second.keys(), chain);
        state.replace(third.certificate(), third.keys(), chain);
        assertEquals(third.certificate(), state.current().orElseThrow().certificate());
        try (var entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("current", "gen-" + second.certificate().getSerialNumber().toString(16),
                    "gen-" + third.certificate().getSerialNumber().toString(16)), names);
        }
    }

    @Test
    void leftoversOfACrashedRunAreInvisibleAndCleanedUp() throws Exception {
        TestCerts.Issued root = TestCerts.root("root");
        LdevidState state = new LdevidState(dir);
        TestCerts.Issued first = leaf(root);
        state.replace(first.certificate(), first.keys(), List.of(root.certificate()));

        // A run that died after writing its key but before publishing: a temporary directory with a key only.
        Path crashed = Files.createDirectory(dir.resolve(".tmp-crashed"));
        Files.writeString(crashed.resolve(LdevidState.KEY), "half a key");
        assertEquals(first.certificate(), state.current().orElseThrow().certificate(), "current still names a complete pair");

        TestCerts.Issued next = leaf(root);
        state.replace(next.certificate(), next.keys(), List.of(root.certificate()));
        assertFalse(Files.exists(crashed));
        assertEquals(next.certificate(), state.current().orElseThrow().certificate());
    }

    @Test
    void aCurrentThatIsNotALinkIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("current"));
        var e = assertThrows(io.hallmark.core.error.HallmarkException.class, () -> new LdevidState(dir).current());
        assertTrue(e.getMessage().contains("is not a symbolic link"), e.getMessage());
    }
}
