package io.hallmark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What a build of the command is: its version, the commit it was built from and when. The launcher jar made by
 * hallmark-dist carries it in {@link #RESOURCE}; the CLI run from its own classes (tests, an IDE) has none and
 * is a "dev" build of an unknown commit.
 *
 * @param modified the working tree had changes that were not committed when it was built
 */
record BuildInfo(String version, String commit, boolean modified, String built) {

    static final String RESOURCE = "META-INF/hallmark/version.properties";
    static final String UNKNOWN = "unknown";

    static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) return new BuildInfo("dev", UNKNOWN, false, UNKNOWN);
            Properties p = new Properties();
            p.load(in);
            return of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A value the build could not fill in (a placeholder left as it was, or nothing) is unknown, never printed raw. */
    static BuildInfo of(Properties p) {
        return new BuildInfo(value(p, "version", "dev"), value(p, "commit", UNKNOWN), Boolean.parseBoolean(value(p, "modified", "false")),
                value(p, "built", UNKNOWN));
    }

    private static String value(Properties p, String key, String otherwise) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.contains("${") ? otherwise : v;
    }

    /** E.g. {@code commit 1a2b3c4d5e6f (with uncommitted changes), built 2026-05-02T10:00:00Z}. */
    String provenance() {
        return "commit " + commit + (modified ? " (with uncommitted changes)" : "") + ", built " + built;
    }
}
