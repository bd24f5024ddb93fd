package io.hallmark.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** What the build writes for `hallmark -V` (src/build/version.sh), from sources with and without git metadata. */
class VersionStampTest {

    static final Path SCRIPT = DistLayoutTest.SOURCE.resolve("hallmark-dist/src/build/version.sh");

    @TempDir
    Path dir;

    @Test
    void sourcesWithoutGitMetadataStillBuildAndSayUnknown() throws Exception {
        // A copy of the script outside any repository, as in an unpacked source tarball; the build time from
        // SOURCE_DATE_EPOCH, as a reproducible build sets it.
        Path script = Files.copy(SCRIPT, dir.resolve("version.sh"));
        Run.in(dir).with("SOURCE_DATE_EPOCH", "1767225600").run("sh", script.toString(), dir.resolve("out/version.properties").toString(), "1.2.3").ok();
        String written = Files.readString(dir.resolve("out/version.properties"));
        assertTrue(written.contains("\nversion=1.2.3\ncommit=unknown\nmodified=false\nbuilt=2026-01-01T00:00:00Z\n"), written);
    }

    @Test
    void inACheckoutItNamesTheCommit() throws Exception {
        Run.Result head = Run.in(dir).run("git", "-C", DistLayoutTest.SOURCE.toString(), "rev-parse", "--short=12", "HEAD");
        // Sources unpacked from an archive have no commit to name (the test above covers them); CI builds a clone, so there it must run.
        if (io.hallmark.testing.Peers.required()) {
            org.junit.jupiter.api.Assertions.assertEquals(0, head.exit(), () -> "CI builds a git checkout, but git says: " + head);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(head.exit() == 0, () -> "these sources are no git checkout: " + head);
        Run.in(dir).run("sh", SCRIPT.toString(), dir.resolve("version.properties").toString(), "1.2.3").ok();
        String written = Files.readString(dir.resolve("version.properties"));
        assertTrue(written.contains("\ncommit=" + head.out().strip() + "\nmodified="), written);
        assertTrue(written.matches("(?s).*\nbuilt=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n.*"), written);
    }
}
