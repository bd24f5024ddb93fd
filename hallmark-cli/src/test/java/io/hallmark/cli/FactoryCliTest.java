package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factory and station commands, run in-process as a person would type them. */
class FactoryCliTest {

    @TempDir
    Path dir;

    static void writeCsr(Path file) throws IOException {
        byte[] csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=cli device,O=Hallmark Test"));
        Files.writeString(file, Pem.encode("CERTIFICATE REQUEST", csr));
    }

    /** deviceSerial -> row cells of the CSV manifest. */
    static Map<String, List<String>> manifest(Path out) throws IOException {
        try (var lines = Files.lines(out.resolve("manifest.csv"))) {
            return lines.skip(1).map(l -> List.of(l.split(",", -1))).collect(Collectors.toMap(c -> c.get(0), c -> c));
        }
    }

    static String capture(Runnable r, boolean stdout) {
        PrintStream old = stdout ? System.out : System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        if (stdout) System.setOut(p); else System.setErr(p);
        try {
            r.run();
        } finally {
            if (stdout) System.setOut(old); else System.setErr(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** openssl verify -x509_strict: the bundle chains to the data directory's root through the batch chain. */
    static void assertOpensslVerifies(String data, Path chain, Path bundle) throws Exception {
        Process verify = new ProcessBuilder("openssl", "verify", "-x509_strict", "-CAfile", Path.of(data, "ca", "root.pem").toString(),
                "-untrusted", chain.toString(), bundle.toString()).redirectErrorStream(true).start();
        String verdict = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, verify.waitFor(), verdict);
    }

    @Test
    void runTwiceReplaysAndANewKeyIsRefused() throws Exception {
        requireOpenssl();
        String data = dir.resolve("data").toString();
        assertEquals(0, Main.run("--data", data, "init"));
        Path csrs = Files.createDirectories(dir.resolve("csrs"));
        for (String d : List.of("DEV-1", "DEV-2", "DEV-3")) writeCsr(csrs.resolve(d + ".csr"));

        Path out1 = dir.resolve("out1");
        assertEquals(0, Main.run("--data", data, "factory", "run", "--csr-dir", csrs.toString(), "--out", out1.toString()));
        var first = manifest(out1);
        assertEquals(3, first.size());
        first.values().forEach(row -> assertEquals("issued", row.get(1)));

        // The bundle is a certificate plus its chain that openssl accepts against the root.
        Path bundle = out1.resolve(first.get("DEV-1").get(6));
        assertOpensslVerifies(data, out1.resolve("chain.pem"), bundle);

        Path out2 = dir.resolve("out2");
        assertEquals(0, Main.run("--data", data, "factory", "run", "--csr-dir", csrs.toString(), "--out", out2.toString()));
        var second = manifest(out2);
        for (String d : first.keySet()) {
            assertEquals("existing", second.get(d).get(1));
            assertEquals(first.get(d).get(2), second.get(d).get(2), "same certificate serial for " + d);
        }

        writeCsr(csrs.resolve("DEV-2.csr")); // a new key for a provisioned device
        Path out3 = dir.resolve("out3");
        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "factory", "run", "--csr-dir", csrs.toString(), "--out", out3.toString()));
        var third = manifest(out3);
        assertEquals("error", third.get("DEV-2").get(1));
        assertTrue(third.get("DEV-2").get(7).contains("for a different key"), third.get("DEV-2").toString());
        assertEquals("existing", third.get("DEV-1").get(1));
    }

    @Test
    void stationCreateListAndRunAsStation() throws Exception {
        requireOpenssl();
        String data = dir.resolve("data").toString();
        assertEquals(0, Main.run("--data", data, "init"));
        Path creds = dir.resolve("station");
        assertEquals(0, Main.run("--data", data, "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid",
                "--quota", "4", "--site", "Plant 1", "--out", creds.toString()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.resolve("station.key"))));
        Process verify = new ProcessBuilder("openssl", "verify", "-purpose", "sslclient", "-CAfile", Path.of(data, "ca", "root.pem").toString(),
                "-untrusted", creds.resolve("chain.pem").toString(), creds.resolve("station.pem").toString()).redirectErrorStream(true).start();
        String verdict = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, verify.waitFor(), verdict);

        // Same name again: refused, nothing written over.
        assertEquals(ExitCodes.CONFLICT, Main.run("--data", data, "station", "create", "--name", "line-1", "--ca", "idevid-ca",
                "--profile", "idevid", "--out", dir.resolve("again").toString()));

        Path out = dir.resolve("out");
        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "factory", "run", "--simulate", "6", "--prefix", "SIMT-",
                "--station", "line-1", "--out", out.toString()));
        var rows = manifest(out);
        assertEquals(4, rows.values().stream().filter(r -> r.get(1).equals("issued")).count());
        assertEquals(2, rows.values().stream().filter(r -> r.get(7).contains("has used its quota")).count());
        // Simulated devices get their key next to the certificate, owner-only.
        Path pem = out.resolve(rows.get("SIMT-00000001").get(6));
        Path key = pem.resolveSibling(pem.getFileName().toString().replace(".pem", ".key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        String listed = capture(() -> assertEquals(0, Main.run("--data", data, "station", "list", "--json")), true);
        assertTrue(listed.contains("\"name\" : \"line-1\"") && listed.contains("\"issued\" : 4") && listed.contains("\"quota\" : 4"), listed);

        assertEquals(ExitCodes.FORBIDDEN, Main.run("--data", data, "factory", "run", "--simulate", "1", "--profile", "ldevid",
                "--ca", "ldevid-ca", "--station", "line-1", "--out", dir.resolve("no").toString()));
    }

    @Test
    void zipBundlesHoldOneEntryPerDeviceThatOpensslAccepts() throws Exception {
        requireOpenssl();
        String data = dir.resolve("data").toString();
        assertEquals(0, Main.run("--data", data, "init"));
        Path out = dir.resolve("out");
        assertEquals(0, Main.run("--data", data, "factory", "run", "--simulate", "2100", "--prefix", "ZIP-", "--chunk", "300",
                "--bundles", "zip", "--out", out.toString()));
        var rows = manifest(out);
        assertEquals(2100, rows.size());
        // One archive per 1000 input items whatever the chunk size; each device's bundle is named in the manifest.
        try (var zips = Files.list(out.resolve("bundles"))) {
            assertEquals(List.of("items-000000000.zip", "items-000001000.zip", "items-000002000.zip"),
                    zips.map(f -> f.getFileName().toString()).sorted().toList());
        }
        String file = rows.get("ZIP-00002012").get(6);
        assertEquals("bundles/items-000002000.zip!/ZIP-00002012.pem", file);
        Path archive = out.resolve(file.substring(0, file.indexOf('!')));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))); // simulate: keys inside
        Path bundle = dir.resolve("ZIP-00002012.pem");
        try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
            assertEquals(200, zip.size()); // items 2000-2099: 100 certificates + 100 keys
            Files.write(bundle, zip.getInputStream(zip.getEntry("ZIP-00002012.pem")).readAllBytes());
            assertTrue(new String(zip.getInputStream(zip.getEntry("ZIP-00002012.key")).readAllBytes(), StandardCharsets.US_ASCII)
                    .startsWith("-----BEGIN PRIVATE KEY-----"));
        }
        assertOpensslVerifies(data, out.resolve("chain.pem"), bundle);

        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "factory", "run", "--simulate", "1", "--bundles", "tar", "--out", dir.resolve("x").toString()));
    }

    @Test
    void badInputIsOneLineAndStoresNothing() throws Exception {
        String data = dir.resolve("data").toString();
        assertEquals(0, Main.run("--data", data, "init"));
        Path csv = dir.resolve("devices.csv");
        Files.writeString(csv, "serial,request\nA,B\n");
        String err = capture(() -> assertEquals(ExitCodes.BAD_INPUT,
                Main.run("--data", data, "factory", "run", "--csv", csv.toString(), "--out", dir.resolve("o").toString())), false);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("must name the columns deviceSerial and csr"), err);

        Files.writeString(csv, "deviceSerial,csr,keyStorage\nC-1,bm90IGEgY3Ny,tpm\n");
        assertEquals(ExitCodes.BAD_INPUT, Main.run("--data", data, "factory", "run", "--csv", csv.toString(), "--out", dir.resolve("o2").toString()));
        assertTrue(manifest(dir.resolve("o2")).get("C-1").get(7).contains("not a PKCS#10"));
        String certs = capture(() -> Main.run("--data", data, "cert", "list", "--json"), true);
        assertTrue(!certs.contains("C-1"), certs);
    }

    /** openssl is a peer: absent, these tests abort visibly, or fail when peers are required (CI). */
    static void requireOpenssl() {
        io.hallmark.testing.Peers.tool("openssl"); // fails in CI, aborts visibly elsewhere
    }
}
