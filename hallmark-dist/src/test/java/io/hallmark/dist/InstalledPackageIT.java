package io.hallmark.dist;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The release's acceptance: the Debian package the build made, installed for real ({@code dpkg -i}; these tests
 * run as root in CI) and used from a fresh, empty directory with no source tree on any path, as an operator
 * would; removed again at the end. Where it cannot be installed (not root, or a hallmark package or its data
 * already on the machine, which a test must not touch) the package is unpacked with {@code dpkg-deb -x} into a
 * directory instead, and what needs the real installation is reported as not run; in CI that fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InstalledPackageIT {

    static final Path TARGET = Path.of(System.getProperty("hallmark.dist.dir"));
    static final List<String> UNITS = List.of("hallmark.service", "hallmark-device-renew.service", "hallmark-device-renew.timer");
    static final Path DATA = Path.of("/var/lib/hallmark");
    static final Path ETC = Path.of("/etc/hallmark");
    /** Left by an installation of this test: a run killed before it removed the package lets the next one clean up. */
    static final Path MARKER = ETC.resolve(".installed-by-acceptance-test");

    Path work;
    Path deb;
    /** "/" when installed, else where the package was unpacked. */
    Path root;
    boolean installed;
    String notInstalledBecause;
    FileChannel lockFile;
    FileLock lock;

    @BeforeAll
    void installThePackage() throws Exception {
        Peers.tool("dpkg-deb");
        Peers.tool("systemd-analyze");
        work = Files.createTempDirectory("hallmark-release-");
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("hallmark_.+_[a-z0-9]+\\.deb")).toList();
            assertEquals(1, debs.size(), "one Debian package in " + TARGET + " (the build makes it wherever dpkg-deb is): " + debs);
            deb = debs.getFirst();
        }
        // One installation at a time on a machine: two builds testing at once would remove each other's package.
        lockFile = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "hallmark-package-test.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockFile.lock();

        Run here = Run.in(work);
        boolean root = here.run("id", "-u").out().strip().equals("0");
        if (root && Files.exists(MARKER)) {
            System.out.println("removing what a killed earlier run of this test left: " + Files.readString(MARKER).strip());
            removeEverything(Files.readString(MARKER).contains("user=created"));
        }
        boolean packaged = here.run("dpkg-query", "-W", "-f=${Status}", "hallmark").out().contains("install ok installed");
        if (!root) notInstalledBecause = "not root";
        else if (packaged) notInstalledBecause = "a hallmark package is installed already";
        else if (Files.exists(DATA) || Files.exists(ETC)) notInstalledBecause = DATA + " or " + ETC + " exists already: an earlier installation's";

        long started = System.nanoTime();
        if (notInstalledBecause == null) {
            boolean userExisted = here.run("getent", "passwd", "hallmark").exit() == 0;
            here.run("dpkg", "-i", deb.toString()).ok();
            Files.writeString(MARKER, "user=" + (userExisted ? "existed" : "created") + "\n");
            installed = true;
            this.root = Path.of("/");
        } else {
            if (Peers.required()) {
                fail("the acceptance needs the package installed (dpkg -i), but " + notInstalledBecause);
            }
            System.out.println("NOTE: " + deb.getFileName() + " unpacked, not installed (" + notInstalledBecause
                    + "): the service user's test is not run");
            this.root = Files.createDirectories(work.resolve("root"));
            here.run("dpkg-deb", "-x", deb.toString(), this.root.toString()).ok();
        }
        System.out.printf("%s %s in %.1f s (%d MB)%n", installed ? "installed" : "unpacked", deb.getFileName(),
                (System.nanoTime() - started) / 1e9, Files.size(deb) >> 20);
    }

    @AfterAll
    void removeThePackage() throws Exception {
        try {
            if (installed) {
                removeEverything(Files.exists(MARKER) && Files.readString(MARKER).contains("user=created"));
            }
        } finally {
            if (lock != null) lock.release();
            if (lockFile != null) lockFile.close();
            if (work != null) Run.in(Path.of("/")).run("rm", "-rf", work.toString());
        }
    }

    /** The package purged, and what it keeps on purge (data, passphrase) and the user deleted: all this test made. */
    private static void removeEverything(boolean userCreated) {
        Run run = Run.in(Path.of("/"));
        String status = run.run("dpkg-query", "-W", "-f=${Status}", "hallmark").out();
        if (status.endsWith(" installed") || status.endsWith(" config-files")) { // installed, or removed but not purged
            run.run("dpkg", "--purge", "hallmark").ok();
        }
        run.run("rm", "-rf", DATA.toString(), ETC.toString()).ok();
        if (userCreated) {
            run.run("userdel", "hallmark");
            run.run("groupdel", "hallmark"); // where userdel did not remove the group along
        }
    }

    Path hallmark() {
        return root.resolve("usr/bin/hallmark");
    }

    /** A fresh empty directory, the environment of a new login: no JAVA_HOME (a wrong one, to be sure), no source tree. */
    Run fresh(String name) throws IOException {
        return Run.in(Files.createDirectory(work.resolve(name))).with("JAVA_HOME", "/nonexistent");
    }

    @Test
    @Order(1)
    void versionNamesTheCommitItWasBuiltFrom() throws Exception {
        Properties build = new Properties();
        try (var in = Files.newInputStream(TARGET.resolve("classes/META-INF/hallmark/version.properties"))) {
            build.load(in);
        }
        Run.Result r = fresh("version").run(hallmark().toString(), "-V").ok();
        String[] lines = r.out().split("\n");
        assertEquals("hallmark " + System.getProperty("hallmark.version"), lines[0], r::toString);
        assertTrue(lines[1].startsWith("commit " + build.getProperty("commit")) && lines[1].contains(", built " + build.getProperty("built")),
                r::toString);
        assertTrue(build.getProperty("commit").matches("[0-9a-f]{12}|unknown"), build::toString);
        assertTrue(lines[2].startsWith("Java "), r::toString);
    }

    @Test
    @Order(2)
    void quickstartServesFromAFreshDirectory() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        Run dir = fresh("quickstart");
        int https = freePort();
        int http = freePort();
        // The name devices would use (docs/install.md); the listeners stay on the loopback so the test binds nothing public.
        String host = "pki.example.test";
        Process p = dir.builder(List.of(hallmark().toString(), "--data", "data", "quickstart", "--devices", "1", "--hostname", host,
                "--listen", "127.0.0.1:" + https, "--http-listen", "127.0.0.1:" + http)).redirectErrorStream(true).start();
        try {
            long started = System.nanoTime();
            StringBuilder seen = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int listening = 0;
            for (String line; listening < 2 && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("listening on ")) listening++;
            }
            assertEquals(2, listening, () -> "never said it was listening on both:\n" + seen);
            System.out.printf("quickstart set up and serving in %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertTrue(seen.toString().contains("Hallmark is set up in " + dir.dir().resolve("data")), seen::toString);
            String command = installed ? "hallmark" : hallmark().toString(); // on PATH once installed
            assertTrue(seen.toString().contains("\n  " + command + " --data data cert list\n"), "its hints name the command as typed:\n" + seen);

            String rootPem = dir.dir().resolve("data/ca/root.pem").toString();
            Run.Result health = dir.run("curl", "-sS", "--cacert", rootPem, "https://127.0.0.1:" + https + "/healthz").ok();
            assertEquals("ok", health.out().strip(), health::toString);
            Run.Result cacerts = dir.run("curl", "-sS", "-o", "cacerts.b64", "-w", "%{http_code}", "--cacert", rootPem,
                    "https://127.0.0.1:" + https + "/.well-known/est/cacerts").ok();
            assertEquals("200", cacerts.out(), cacerts::toString);
            assertFalse(Files.readString(dir.dir().resolve("cacerts.b64")).isBlank());

            // The server's TLS certificate names the host too.
            Run.Result named = dir.run("curl", "-sS", "--cacert", rootPem, "--resolve", host + ":" + https + ":127.0.0.1",
                    "https://" + host + ":" + https + "/healthz").ok();
            assertEquals("ok", named.out().strip(), named::toString);

            // The demo IDevID names where its CRL is, under the hostname; that address serves it.
            Run.Result cdp = dir.run("openssl", "x509", "-in", "data/demo/DEMO-0001.pem", "-noout", "-ext", "crlDistributionPoints").ok();
            Matcher url = Pattern.compile("URI:(http://\\S+\\.crl)").matcher(cdp.out());
            assertTrue(url.find(), cdp::toString);
            assertTrue(url.group(1).startsWith("http://" + host + ":" + http + "/"), cdp::toString);
            dir.run("curl", "-sSf", "--resolve", host + ":" + http + ":127.0.0.1", "-o", "idevid.crl", url.group(1)).ok();
            Run.Result crl = dir.run("openssl", "crl", "-inform", "DER", "-in", "idevid.crl", "-noout", "-issuer").ok();
            Run.Result issuer = dir.run("openssl", "x509", "-in", "data/demo/DEMO-0001.pem", "-noout", "-issuer").ok();
            assertEquals(issuer.out(), crl.out(), "the CRL of the certificate's issuer");

            p.destroy(); // SIGTERM, as systemctl stop sends
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops within the graceful period");
            assertEquals(143, p.exitValue(), "terminated by SIGTERM after a clean shutdown (the unit's SuccessExitStatus)");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Order(3)
    void theServiceUserInitsWithThePassphraseThePackageMade() throws Exception {
        Assumptions.assumeTrue(installed, () -> "not installed: " + notInstalledBecause);
        assertEquals("hallmark hallmark rwx------", owners(DATA));
        assertEquals("root hallmark rwxr-x---", owners(ETC));
        assertEquals("hallmark hallmark rw-------", owners(ETC.resolve("vault.pass")));
        assertTrue(Files.readString(ETC.resolve("vault.pass")).strip().matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url");

        // What the service does, less systemd (not running here): the user, the data directory, the passphrase file.
        List<String> asService = List.of("runuser", "-u", "hallmark", "--", "env", "HALLMARK_PASSPHRASE_FILE=" + ETC.resolve("vault.pass"),
                "/usr/bin/hallmark", "--data", DATA.toString());
        Run dir = Run.in(Path.of("/")); // as systemd starts it (no WorkingDirectory=): this test's directories are root's only
        Run.Result init = dir.run(concat(asService, "init")).ok();
        assertTrue(init.out().contains("root") && init.out().contains("created"), init::toString);
        assertFalse(Files.exists(DATA.resolve("vault.pass")), "the passphrase stays in /etc/hallmark, out of the data directory");
        Run.Result cas = dir.run(concat(asService, "ca", "list", "--json")).ok();
        assertTrue(cas.out().contains("\"ldevid-ca\""), cas::toString);
        assertEquals("hallmark hallmark rw-------", owners(DATA.resolve("hallmark.db")));
    }

    @Test
    @Order(4)
    void systemdAcceptsTheUnits() throws Exception {
        List<String> paths = new ArrayList<>();
        for (String unit : UNITS) {
            Path shipped = root.resolve("usr/lib/systemd/system").resolve(unit);
            if (installed) {
                paths.add(shipped.toString());
            } else {
                // verify checks that ExecStart's program exists: point it at the unpacked one.
                Path copy = Files.createDirectories(work.resolve("unit-copies")).resolve(unit);
                Files.writeString(copy, Files.readString(shipped).replace("ExecStart=/usr/bin/hallmark ", "ExecStart=" + hallmark() + " "));
                paths.add(copy.toString());
            }
        }
        Run dir = fresh("units");
        Run.Result verify = dir.run(concat(List.of("systemd-analyze", "verify"), paths.toArray(String[]::new)));
        assertEquals(0, verify.exit(), verify::toString);
        assertEquals("", verify.err().strip(), "no warning either: " + verify);
        // The hardening keeps the exposure score "OK" (systemd's scale, 0 to 10): 2.5 at most.
        for (String service : List.of(paths.get(0), paths.get(1))) {
            Run.Result security = dir.run("systemd-analyze", "security", "--offline=true", "--threshold=25", service);
            assertEquals(0, security.exit(), security::toString);
            System.out.println(security.out().lines().filter(l -> l.contains("Overall exposure")).findFirst().orElse(security.out()));
        }
    }

    @Test
    @Order(5)
    void theRuntimeHasEveryModuleTheJarsUse() throws Exception {
        Path app = root.resolve("usr/lib/hallmark");
        String java = Path.of(System.getProperty("java.home"), "bin", "jdeps").toString();
        List<String> command = new ArrayList<>(List.of(java, "-q", "--multi-release", String.valueOf(Runtime.version().feature()),
                "--ignore-missing-deps", "--print-module-deps", "--class-path", app.resolve("lib") + "/*"));
        try (Stream<Path> jars = Files.list(app.resolve("lib"))) {
            jars.map(Path::toString).sorted().forEach(command::add);
        }
        Run dir = fresh("modules");
        Set<String> needed = new TreeSet<>(Arrays.asList(dir.run(command).ok().out().strip().split(",")));
        Set<String> present = new TreeSet<>();
        dir.run(app.resolve("runtime/bin/java").toString(), "--list-modules").ok().out().lines()
                .forEach(l -> present.add(l.replaceAll("@.*", "").strip()));
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(present);
        assertEquals(Set.of(), missing, "add them to deb.runtime.modules in hallmark-dist/pom.xml; jdeps says " + needed);
        Set<String> listed = new TreeSet<>(Arrays.asList(System.getProperty("hallmark.runtime.modules").split(",")));
        assertTrue(present.containsAll(listed), "the runtime has what the pom lists: " + present);
    }

    @Test
    @Order(6)
    void purgingRemovesTheProgramAndKeepsTheCasData() throws Exception {
        Assumptions.assumeTrue(installed, () -> "not installed: " + notInstalledBecause);
        Run.Result purge = Run.in(work).run("dpkg", "--purge", "hallmark").ok();
        assertFalse(Files.exists(Path.of("/usr/bin/hallmark"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(Path.of("/usr/lib/hallmark")));
        for (String unit : UNITS) assertFalse(Files.exists(Path.of("/usr/lib/systemd/system", unit)), unit);
        assertTrue(Files.exists(DATA.resolve("hallmark.db")) && Files.exists(ETC.resolve("vault.pass")),
                "the database, keys and passphrase are never removed by the package: " + purge);
        assertTrue(purge.err().contains("kept /var/lib/hallmark"), "and it says so: " + purge);
    }

    private static String owners(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        return a.owner().getName() + " " + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
