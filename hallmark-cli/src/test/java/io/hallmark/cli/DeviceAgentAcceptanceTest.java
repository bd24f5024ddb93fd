package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Pem;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Issue #3: the device agent against a real in-process server, checked with openssl. */
class DeviceAgentAcceptanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static EstTestServer server;
    static Path[] idevid;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new EstTestServer(shared.resolve("server"));
        idevid = server.idevid(shared.resolve("devices"), "DEV-1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    static Cli.Run ok(String... args) {
        Cli.Run r = Cli.raw(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + "\n" + r);
        return r;
    }

    static JsonNode json(Cli.Run r) throws Exception {
        return JSON.readTree(r.out());
    }

    static JsonNode enroll(Path state) throws Exception {
        return json(ok("device", "enroll", "--server", server.url(), "--idevid-cert", idevid[0].toString(), "--idevid-key", idevid[1].toString(),
                "--ca-cert", server.ca("root").toString(), "--state", state.toString(), "--json"));
    }

    private static Cli.Run reenroll(Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("device", "reenroll", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                "--state", state.toString(), "--json"));
        args.addAll(List.of(more));
        return Cli.raw(args.toArray(String[]::new));
    }

    private static X509Certificate cert(Path file) throws Exception {
        return Pem.x509(Pem.derOf(Files.readAllBytes(file), "CERTIFICATE"));
    }

    @Test
    void enrolledLdevidVerifiesWithOpensslAsAClientCertificate() throws Exception {
        Path state = dir.resolve("state");
        JsonNode r = enroll(state);
        assertEquals("enrolled", r.get("action").asText());
        assertEquals("DEV-1", r.get("deviceId").asText());

        Path current = state.resolve("current");
        Peers.tool("openssl");
        // Root from the test (not from the server), intermediates from what /cacerts delivered.
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-purpose", "sslclient",
                "-CAfile", server.ca("root").toString(), "-untrusted", current.resolve("ca-chain.pem").toString(),
                current.resolve("ldevid.pem").toString());
        assertEquals(0, verify.exit(), verify::all);
        assertTrue(verify.out().contains(": OK"), verify::all);

        String text = Peers.run(dir, "openssl", "x509", "-in", current.resolve("ldevid.pem").toString(), "-noout", "-text").out();
        assertTrue(text.contains("serialNumber = DEV-1"), text);
        assertTrue(text.contains("TLS Web Client Authentication"), text);
        assertEquals(server.hallmark.cas().get("ldevid-ca").x509().getSubjectX500Principal(), cert(current.resolve("ldevid.pem")).getIssuerX500Principal());

        // The stored key belongs to the certificate (openssl compares the public halves) and is private to its owner.
        String keyPub = Peers.run(dir, "openssl", "pkey", "-in", current.resolve("ldevid.key").toString(), "-pubout").out();
        String certPub = Peers.run(dir, "openssl", "x509", "-in", current.resolve("ldevid.pem").toString(), "-noout", "-pubkey").out();
        assertEquals(certPub, keyPub);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(current.resolve("ldevid.key"))));
        // A new key, not the IDevID's.
        assertNotEquals(cert(idevid[0]).getPublicKey(), cert(current.resolve("ldevid.pem")).getPublicKey());
    }

    @Test
    void forcedReenrollmentKeepsTheSubjectWithANewKey() throws Exception {
        Path state = dir.resolve("state");
        enroll(state);
        X509Certificate before = cert(state.resolve("current/ldevid.pem"));
        String keyBefore = Files.readString(state.resolve("current/ldevid.key"));

        Cli.Run run = reenroll(state, "--force");
        assertEquals(0, run.exit(), run::toString);
        JsonNode r = json(run);
        assertEquals("renewed", r.get("action").asText());
        X509Certificate after = cert(state.resolve("current/ldevid.pem"));
        assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
        assertEquals(before.getSubjectX500Principal(), after.getSubjectX500Principal());
        assertNotEquals(before.getPublicKey(), after.getPublicKey());
        assertNotEquals(keyBefore, Files.readString(state.resolve("current/ldevid.key")));
        assertEquals(after.getSerialNumber().toString(16), r.get("serial").asText());

        Peers.tool("openssl");
        Peers.Result verify = Peers.run(dir, "openssl", "verify", "-x509_strict", "-purpose", "sslclient",
                "-CAfile", server.ca("root").toString(), "-untrusted", state.resolve("current/ca-chain.pem").toString(),
                state.resolve("current/ldevid.pem").toString());
        assertEquals(0, verify.exit(), verify::all);

        // The renewed LDevID authenticates the next renewal: the server accepted the chain of custody.
        Cli.Run again = reenroll(state, "--force");
        assertEquals(0, again.exit(), again::toString);
        assertNotEquals(after.getSerialNumber(), cert(state.resolve("current/ldevid.pem")).getSerialNumber());
        // The previous generation is kept for readers that resolved the link just before; older ones are gone.
        try (var entries = Files.list(state)) {
            assertEquals(2, entries.filter(p -> p.getFileName().toString().startsWith("gen-")).count());
        }
    }

    @Test
    void reenrollmentOfAFreshLdevidIsANoOp() throws Exception {
        Path state = dir.resolve("state");
        JsonNode enrolled = enroll(state);
        Path target = Files.readSymbolicLink(state.resolve("current"));

        Cli.Run run = reenroll(state);
        assertEquals(0, run.exit(), run::toString);
        JsonNode r = json(run);
        assertEquals("not-due", r.get("action").asText());
        assertEquals(enrolled.get("serial").asText(), r.get("serial").asText());
        assertEquals(target, Files.readSymbolicLink(state.resolve("current")), "nothing replaced");

        // Text mode says so in words, for a person at a shell.
        Cli.Run text = Cli.raw("device", "reenroll", "--server", server.url(), "--ca-cert", server.ca("root").toString(),
                "--state", state.toString(), "--renew-at", "0.5");
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().startsWith("not due"), text::toString);
    }

    @Test
    void pkcs12IdevidEnrollsToo() throws Exception {
        Peers.tool("openssl");
        Files.writeString(dir.resolve("pw"), "s3cret pass\n");
        Peers.Result export = Peers.run(dir, "openssl", "pkcs12", "-export", "-in", idevid[0].toString(), "-inkey", idevid[1].toString(),
                "-passout", "file:pw", "-out", "idevid.p12");
        assertEquals(0, export.exit(), export::all);
        Path state = dir.resolve("state");
        JsonNode r = json(ok("device", "enroll", "--server", server.url(), "--idevid-p12", dir.resolve("idevid.p12").toString(),
                "--p12-password-file", dir.resolve("pw").toString(), "--ca-cert", server.ca("root").toString(),
                "--state", state.toString(), "--json"));
        assertEquals("DEV-1", r.get("deviceId").asText());

        Files.writeString(dir.resolve("wrong"), "not it\n");
        Cli.Run wrong = Cli.raw("device", "enroll", "--server", server.url(), "--idevid-p12", dir.resolve("idevid.p12").toString(),
                "--p12-password-file", dir.resolve("wrong").toString(), "--ca-cert", server.ca("root").toString(), "--state", state.toString());
        assertEquals(ExitCodes.BAD_INPUT, wrong.exit(), wrong::toString);
        assertTrue(wrong.err().contains("wrong password"), wrong::toString);
    }

    @Test
    void refusalsAreOneReadableLine() throws Exception {
        Path state = dir.resolve("state");
        enroll(state);
        Path ldevid = state.resolve("current/ldevid.pem");
        Path ldevidKey = state.resolve("current/ldevid.key");

        // An LDevID is not an IDevID: the server's own reason and its status come through.
        Cli.Run notIdevid = Cli.raw("device", "enroll", "--server", server.url(), "--idevid-cert", ldevid.toString(), "--idevid-key", ldevidKey.toString(),
                "--ca-cert", server.ca("root").toString(), "--state", dir.resolve("other").toString());
        assertEquals(ExitCodes.FORBIDDEN, notIdevid.exit(), notIdevid::toString);
        assertEquals(1, notIdevid.err().lines().count(), notIdevid::toString);
        assertTrue(notIdevid.err().contains("EST server refused simpleenroll (HTTP 403): the client certificate is not an IDevID"), notIdevid::toString);

        // A server that does not chain to the given CA is not talked to.
        Cli.Run untrusted = Cli.raw("device", "enroll", "--server", server.url(), "--idevid-cert", idevid[0].toString(), "--idevid-key", idevid[1].toString(),
                "--ca-cert", idevid[0].toString(), "--state", dir.resolve("other").toString());
        assertEquals(ExitCodes.FAILED, untrusted.exit(), untrusted::toString);
        assertTrue(untrusted.err().contains("TLS with " + server.url()), untrusted::toString);
        assertFalse(Files.exists(dir.resolve("other/current")), "nothing stored");

        // A key that is not the certificate's is caught before any connection.
        Cli.Run mismatch = Cli.raw("device", "enroll", "--server", server.url(), "--idevid-cert", idevid[0].toString(), "--idevid-key", ldevidKey.toString(),
                "--ca-cert", server.ca("root").toString(), "--state", dir.resolve("other").toString());
        assertEquals(ExitCodes.BAD_INPUT, mismatch.exit(), mismatch::toString);
        assertTrue(mismatch.err().contains("does not belong to the certificate"), mismatch::toString);

        Cli.Run empty = reenroll(dir.resolve("nothing-here"));
        assertEquals(ExitCodes.NOT_FOUND, empty.exit(), empty::toString);
        assertTrue(empty.err().contains("run 'hallmark device enroll' first"), empty::toString);

        Cli.Run badShare = reenroll(state, "--renew-at", "1.5");
        assertEquals(ExitCodes.BAD_INPUT, badShare.exit(), badShare::toString);
    }
}
