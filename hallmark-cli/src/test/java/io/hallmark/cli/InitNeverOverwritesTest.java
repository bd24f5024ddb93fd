package io.hallmark.cli;

import io.hallmark.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code init} over an installation refuses to overwrite anything: each refusal is one line and exit 5, and every
 * file under the data directory (checksum and mode) and the database's content (row counts, audit and
 * configuration heads) are the same afterwards. On SQLite, and across a directory and a PostgreSQL database that
 * do not belong together, both ways.
 */
class InitNeverOverwritesTest {

    @TempDir
    Path dir;

    private static Cli.Run run(Path data, String... args) {
        return Cli.run(data, args);
    }

    private static Cli.Run ok(Path data, String... args) {
        return Cli.ok(data, args);
    }

    /** A refusal: exit 5, one line on stderr starting with {@code start}, nothing on stdout. */
    private static Cli.Run refused(Cli.Run r, String start) {
        assertEquals(ExitCodes.CONFLICT, r.exit(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("hallmark: " + start), r::toString);
        assertTrue(r.err().contains("nothing was changed"), r::toString);
        assertEquals("", r.out(), r::toString);
        return r;
    }

    @Test
    void aSecondInitChangesNothingAndSaysWhy() {
        Path data = dir.resolve("data");
        ok(data, "init");
        InstallationSnapshot before = InstallationSnapshot.of(data, null);
        assertTrue(before.files().containsKey("ca/root.pem") && before.files().containsKey("keys") && before.files().containsKey("vault.pass"), before::toString);
        assertTrue(before.database().get("cas").startsWith("4 rows"), before::toString);

        refused(run(data, "init"), data + " already holds this hierarchy (4 CAs in jdbc:sqlite:");
        refused(run(data, "init", "--json"), data + " already holds this hierarchy");
        Cli.Run withUrl = refused(run(data, "init", "--base-url", "http://pki.example.test:8080"), data + " already holds this hierarchy");
        assertTrue(withUrl.err().contains("change the base URL with 'hallmark publication --base-url'"), withUrl::toString);
        assertEquals(before, InstallationSnapshot.of(data, null));
    }

    @Test
    void aFileThatDiffersFromAnExistingCaNamesTheDifferenceAndChangesNothing() throws Exception {
        Path data = dir.resolve("data");
        // ldevid-ca asks for 20 years under a 10-year root: cut to the root's notAfter, which is no difference later.
        String hierarchy = """
                cas:
                  - {name: root, subject: "CN=Test Root,O=T", validity: 10y}
                  - {name: ldevid-ca, parent: root, subject: "CN=Test LDevID CA,O=T", validity: %s, profiles: [ldevid]}
                  - {name: ops-ca, parent: root, subject: "%s", validity: 5y, algorithm: %s, profiles: [client]}
                """;
        Path file = dir.resolve("h.yaml");
        Files.writeString(file, hierarchy.formatted("20y", "CN=Test Ops CA,O=T", "ec-p256"));
        ok(data, "init", "--hierarchy", file.toString());
        InstallationSnapshot before = InstallationSnapshot.of(data, null);

        Files.writeString(file, hierarchy.formatted("20y", "CN=Other Ops CA,O=T", "ec-p256"));
        refused(run(data, "init", "--hierarchy", file.toString()),
                "CA ops-ca exists with subject 'CN=Test Ops CA,O=T' (file says 'CN=Other Ops CA,O=T'): init never changes an existing CA");
        Files.writeString(file, hierarchy.formatted("20y", "CN=Test Ops CA,O=T", "ec-p256").replace("validity: 5y", "validity: 3y"));
        refused(run(data, "init", "--hierarchy", file.toString()), "CA ops-ca exists with validity 5y (until ");
        Cli.Run two = refused(run(data, "init", "--hierarchy", file.toString()), "CA ops-ca exists with validity 5y");
        assertTrue(two.err().contains("(file says 3y)"), two::toString);
        Files.writeString(file, hierarchy.formatted("20y", "CN=Test Ops CA,O=T", "ec-p384").replace("validity: 10y", "validity: forever"));
        Cli.Run both = refused(run(data, "init", "--hierarchy", file.toString()), "CA root exists with validity 10y");
        assertTrue(both.err().contains("(file says forever); CA ops-ca exists with algorithm ec-p256 (file says ec-p384):"), both::toString);
        assertEquals(before, InstallationSnapshot.of(data, null));

        // What a file adds is still created; what exists (ldevid-ca's cut validity included) is reported as it is.
        Files.writeString(file, hierarchy.formatted("20y", "CN=Test Ops CA,O=T", "ec-p256")
                + "  - {name: extra-ca, parent: root, subject: \"CN=Extra CA,O=T\", validity: 1y, profiles: [ldevid]}\n");
        Cli.Run added = ok(data, "init", "--hierarchy", file.toString());
        assertTrue(added.out().contains("extra-ca     created"), added::toString);
        assertTrue(added.out().contains("ldevid-ca    exists\n") && added.out().contains("root         exists\n"), added::toString);
        assertEquals(before.files().get("ca/root.pem"), InstallationSnapshot.files(data).get("ca/root.pem"));
    }

    @Test
    void aDirectoryThatHoldsAHierarchyIsNotInitialisedAgainstAnEmptyPostgresql() {
        Path data = dir.resolve("data");
        ok(data, "init");
        try (TestPostgres pg = TestPostgres.create()) {
            InstallationSnapshot before = InstallationSnapshot.of(data, pg.url());
            assertEquals(Map.of(), before.database(), "a fresh schema holds no table");
            String start = data + " already holds a CA hierarchy (ca/root.pem) but the database " + pg.url() + " holds none";
            refused(run(data, "--db", pg.url(), "init"), start);
            refused(run(data, "--db", pg.url(), "quickstart", "--no-serve"), start);
            assertEquals(before, InstallationSnapshot.of(data, pg.url()), "no file changed, and no table was created in PostgreSQL");
            assertEquals(InstallationSnapshot.of(data, null), InstallationSnapshot.of(data, null));

            // The SQLite file gone from the directory is the same case: the keys and ca/ remain.
            Path moved = dir.resolve("hallmark.db");
            try {
                Files.move(data.resolve("hallmark.db"), moved);
                InstallationSnapshot without = InstallationSnapshot.of(data, null);
                refused(run(data, "init"), data + " already holds a CA hierarchy (ca/root.pem) but its database " + data.resolve("hallmark.db") + " holds none");
                assertEquals(without, InstallationSnapshot.of(data, null), "no SQLite file was created");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aPostgresqlThatHoldsAHierarchyIsNotInitialisedFromAnotherDirectory() throws Exception {
        try (TestPostgres pg = TestPostgres.create()) {
            Path first = dir.resolve("first");
            ok(first, "--db", pg.url(), "init");
            InstallationSnapshot firstBefore = InstallationSnapshot.of(first, pg.url());
            refused(run(first, "--db", pg.url(), "init"), first + " already holds this hierarchy (4 CAs in " + pg.url());

            Path empty = Files.createDirectory(dir.resolve("empty"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            refused(run(empty, "--db", pg.url(), "init"), "the database " + pg.url() + " already holds a CA hierarchy (4 CAs, root 'CN=Hallmark Root CA");
            refused(run(empty, "--db", pg.url(), "quickstart", "--no-serve"), "the database " + pg.url() + " already holds a CA hierarchy");
            assertEquals(Map.of("", "dir rwx------"), InstallationSnapshot.files(empty), "nothing was written to the empty directory");

            // A directory of another installation: its root is not the database's.
            Path other = dir.resolve("other");
            ok(other, "init");
            InstallationSnapshot otherBefore = InstallationSnapshot.of(other, null);
            refused(run(other, "--db", pg.url(), "init"), other.resolve("ca") + "/clients-ca.pem is not the certificate of CA clients-ca in the database "
                    + pg.url() + ": the directory and the database belong to different installations");
            assertEquals(otherBefore, InstallationSnapshot.of(other, null));
            assertEquals(firstBefore, InstallationSnapshot.of(first, pg.url()));
        }
    }
}
