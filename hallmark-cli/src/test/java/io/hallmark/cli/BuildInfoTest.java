package io.hallmark.cli;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What `hallmark -V` says about the build: filled-in values as they are, anything the build could not fill in as unknown. */
class BuildInfoTest {

    @Test
    void aReleaseBuildSaysVersionCommitAndTime() throws Exception {
        BuildInfo b = BuildInfo.of(props("version=1.2.0\ncommit=1a2b3c4d5e6f\nmodified=false\nbuilt=2026-05-02T10:00:00Z\n"));
        assertEquals(new BuildInfo("1.2.0", "1a2b3c4d5e6f", false, "2026-05-02T10:00:00Z"), b);
        assertEquals("commit 1a2b3c4d5e6f, built 2026-05-02T10:00:00Z", b.provenance());
        assertEquals("commit 1a2b3c4d5e6f (with uncommitted changes), built 2026-05-02T10:00:00Z",
                BuildInfo.of(props("version=1.2.0\ncommit=1a2b3c4d5e6f\nmodified=true\nbuilt=2026-05-02T10:00:00Z\n")).provenance());
    }

    @Test
    void placeholdersTheBuildLeftAreNeverPrinted() throws Exception {
        BuildInfo b = BuildInfo.of(props("version=0.1.0\ncommit=${git.commit.id.abbrev}\nmodified=${git.dirty}\nbuilt=\n"));
        assertEquals(new BuildInfo("0.1.0", "unknown", false, "unknown"), b);
    }

    @Test
    void theCliFromItsOwnClassesIsADevBuild() {
        // This module's classes have no version resource: the launcher jar of hallmark-dist carries it.
        assertEquals(new BuildInfo("dev", "unknown", false, "unknown"), BuildInfo.current());
    }

    private static Properties props(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
