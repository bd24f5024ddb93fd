package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Review defects 7 and 8 over EST with curl as the device: a CSR whose subject carries terminal escapes and a
 * newline, one with a 5000-character commonName, and one signed with ecdsa-with-SHA1 are each answered 400
 * with the reason, and nothing is stored.
 */
class EstCsrHygieneTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static Path[] device;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
        device = f.idevid("HYGIENE-1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    /** POSTs the base64 CSR to simpleenroll with the IDevID; returns status and body. */
    private static String[] enroll(Path csrB64) throws Exception {
        Peers.Result r = Peers.run(dir, "curl", "-sS", "--cacert", f.root.toString(), "--cert", device[0].toString(), "--key", device[1].toString(),
                "-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csrB64, "-o", "body.out", "-w", "%{http_code}", f.est("simpleenroll"));
        assertEquals(0, r.exit(), r::all);
        return new String[]{r.out(), Files.readString(dir.resolve("body.out"))};
    }

    private static void assertRefused(Path csrB64, String reason) throws Exception {
        long before = f.certificates();
        String[] reply = enroll(csrB64);
        assertEquals("400", reply[0], () -> reply[1]);
        assertTrue(reply[1].contains(reason), () -> reason + " in: " + reply[1]);
        assertEquals(1, reply[1].strip().lines().count(), () -> "one line: " + reply[1]);
        assertTrue(reply[1].chars().noneMatch(c -> c == 0x1b), "the reason does not echo the escape: " + reply[1]);
        assertEquals(before, f.certificates(), "nothing stored");
    }

    @Test
    void aSubjectWithTerminalEscapesAndANewlineIs400() throws Exception {
        Path csr = f.csrB64(device[1], "/CN=x\u001b[2J\u001b[31mFAKE-ROOT\nline two", "forged");
        assertRefused(csr, "commonName contains the control character U+001B");
    }

    @Test
    void aCommonNameOf5000CharactersIs400() throws Exception {
        // openssl refuses to make it (its own ub-common-name check), so BouncyCastle does.
        byte[] der = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256,
                new X500NameBuilder().addRDN(BCStyle.CN, new DERUTF8String("x".repeat(5000))).build());
        Path csr = Files.writeString(dir.resolve("huge.b64"), Base64.getMimeEncoder().encodeToString(der) + "\n");
        assertRefused(csr, "commonName has 5000 characters; X.520 allows at most 64");
    }

    @Test
    void aCsrSignedWithSha1Is400() throws Exception {
        Path der = dir.resolve("sha1.der");
        Peers.Result r = Peers.run(dir, "openssl", "req", "-new", "-sha1", "-key", device[1].toString(), "-subj", "/CN=sensor",
                "-outform", "DER", "-out", der.toString());
        assertEquals(0, r.exit(), r::all);
        Path csr = Files.writeString(dir.resolve("sha1.b64"), Base64.getMimeEncoder().encodeToString(Files.readAllBytes(der)) + "\n");
        assertRefused(csr, "CSR signed with ecdsa-with-SHA1; SHA-1 and MD5 signatures are refused, sign with SHA-256 or stronger");
    }

    @Test
    void theSameDeviceStillEnrollsWithAnOrdinaryCsr() throws Exception {
        long before = f.certificates();
        String[] reply = enroll(f.csrB64(device[1], "/CN=sensor/O=Example", "good"));
        assertEquals("200", reply[0], () -> reply[1]);
        assertEquals(before + 1, f.certificates());
    }
}
