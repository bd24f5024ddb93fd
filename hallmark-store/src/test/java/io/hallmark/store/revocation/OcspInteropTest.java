package io.hallmark.store.revocation;

import io.hallmark.core.Hallmark;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OCSP engine against OpenSSL: requests made by `openssl ocsp -reqout`, responses checked by `openssl ocsp -respin`. */
class OcspInteropTest {

    @TempDir
    Path dir;

    @Test
    void answersOpenSslRequestsGoodThenRevokedAndUnknown() throws Exception {
        try (Fixture f = Fixture.sqlite(dir)) {
            f.publish(Map.of());
            f.writeCas();
            CertificateRecord dev = f.ldevid("dev", "SN-1");
            OcspResponder ocsp = f.hallmark.ocsp();

            for (String[] variant : new String[][]{{"sha1", "-no_nonce"}, {"sha256", "-no_nonce"}, {"sha1", "-nonce"}, {"sha256", "-nonce"}}) {
                Path req = request(variant[0], variant[1], "-cert", "dev.pem");
                String text = check(ocsp.respond(Files.readAllBytes(req)), req, variant[0], variant[1]);
                assertTrue(text.contains("dev.pem: good"), String.join(" ", variant) + ": " + text);
            }

            // Pre-produced: the same no-nonce request again costs no signature.
            Path plain = request("sha256", "-no_nonce", "-cert", "dev.pem");
            byte[] first = ocsp.respond(Files.readAllBytes(plain));
            long signatures = ocsp.stats().signatures();
            byte[] again = ocsp.respond(Files.readAllBytes(plain));
            assertArrayEquals(first, again);
            assertEquals(signatures, ocsp.stats().signatures());
            // The nonce is echoed, so a request with one is signed afresh.
            Path withNonce = request("sha1", "-nonce", "-cert", "dev.pem");
            BasicOCSPResp nonced = (BasicOCSPResp) new OCSPResp(ocsp.respond(Files.readAllBytes(withNonce))).getResponseObject();
            assertNotNull(nonced.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce));
            assertEquals(signatures + 1, ocsp.stats().signatures());

            // The delegated responder: issued by the CA, OCSPSigning, no-check.
            var responder = nonced.getCerts()[0];
            assertEquals(f.hallmark.cas().get("ldevid-ca").holder().getSubject(), responder.getIssuer());
            assertTrue(org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions()).hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning));
            assertNotNull(responder.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck));

            // Revocation reaches the cached answer at once.
            f.hallmark.revoker().revoke(dev.serial(), RevocationReason.keyCompromise, null, Fixture.ACTOR);
            for (String[] variant : new String[][]{{"sha256", "-no_nonce"}, {"sha1", "-nonce"}}) {
                Path req = request(variant[0], variant[1], "-cert", "dev.pem");
                String text = check(ocsp.respond(Files.readAllBytes(req)), req, variant[0], variant[1]);
                assertTrue(text.contains("dev.pem: revoked"), text);
                assertTrue(text.contains("Reason: keyCompromise"), text);
                assertTrue(text.contains("Revocation Time:"), text);
            }

            // A serial this CA never issued.
            Path unknown = request("sha1", "-no_nonce", "-serial", "0x1234567890abcdef");
            Path resp = f.write("unknown.der", ocsp.respond(Files.readAllBytes(unknown)));
            var shown = Tools.openssl(dir, "ocsp", "-respin", resp.toString(), "-issuer", "ldevid-ca.pem", "-CAfile", "root.pem", "-no_nonce",
                    "-serial", "0x1234567890abcdef");
            assertTrue(shown.all().contains("Response verify OK"), shown.all());
            assertTrue(shown.all().contains("0x1234567890abcdef: unknown"), shown.all());

            // The GET form is decoded by the server, which hands the responder the DER: OcspHttpTest.
        }
    }

    @Test
    void refusesMalformedAndForeignRequestsWithoutThrowing() throws Exception {
        try (Fixture f = Fixture.sqlite(dir)) {
            f.writeCas();
            f.ldevid("dev", "SN-1");
            OcspResponder ocsp = f.hallmark.ocsp();
            byte[] good = Files.readAllBytes(request("sha1", "-nonce", "-cert", "dev.pem"));

            byte[][] malformed = {null, new byte[0], "garbage, not DER".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOf(good, good.length - 5), Arrays.copyOf(good, good.length + 3), new byte[OcspResponder.MAX_REQUEST_BYTES + 1],
                    {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}};
            for (byte[] bad : malformed) {
                assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(ocsp.respond(bad)).getStatus());
            }
            // OpenSSL reads the refusal as such.
            Path resp = f.write("malformed.der", ocsp.respond(Arrays.copyOf(good, 10)));
            var shown = Tools.openssl(dir, "ocsp", "-respin", resp.toString(), "-resp_text", "-noverify");
            assertTrue(shown.all().contains("malformedrequest") || shown.all().contains("malformedRequest"), shown.all());

            // An issuer Hallmark does not have: unauthorized.
            Tools.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
                    "-out", "other.pem", "-subj", "/CN=Someone Else", "-days", "1");
            Path foreign = request("sha1", "-no_nonce", "-serial", "0x1234", "other.pem");
            assertEquals(OCSPRespBuilder.UNAUTHORIZED, new OCSPResp(ocsp.respond(Files.readAllBytes(foreign))).getStatus());
            assertTrue(ocsp.stats().malformed() >= malformed.length);
        }
    }

    @Test
    void anotherNodeSeesTheRevocationByPolling() throws Exception {
        // Several nodes share a PostgreSQL (an embedded SQLite file has one node by design).
        try (Fixture f = Fixture.postgres(dir); Hallmark nodeB = f.secondNode()) {
            f.writeCas();
            CertificateRecord dev = f.ldevid("dev", "SN-1");
            byte[] req = Files.readAllBytes(request("sha256", "-no_nonce", "-cert", "dev.pem"));
            OcspResponder b = nodeB.ocsp();
            assertTrue(check(b.respond(req), dir.resolve("req.der"), "sha256", "-no_nonce").contains("dev.pem: good"));

            f.hallmark.revoker().revoke(dev.serial(), RevocationReason.cessationOfOperation, null, Fixture.ACTOR);
            b.poll();
            String text = check(b.respond(req), dir.resolve("req.der"), "sha256", "-no_nonce");
            assertTrue(text.contains("dev.pem: revoked") && text.contains("cessationOfOperation"), text);
        }
    }

    /** `openssl ocsp -reqout` for the LDevID CA with the given CertID hash and nonce option. */
    private Path request(String hash, String nonce, String what, String value) {
        return request(hash, nonce, what, value, "ldevid-ca.pem");
    }

    private Path request(String hash, String nonce, String what, String value, String issuer) {
        Path out = dir.resolve("req.der");
        var r = Tools.openssl(dir, "ocsp", "-" + hash, "-issuer", issuer, what, value, nonce, "-reqout", out.toString());
        assertEquals(0, r.exit(), r.all());
        return out;
    }

    /** Verifies a response with openssl (signature, delegated responder, nonce) and returns its report. */
    private String check(byte[] response, Path request, String hash, String nonce) throws Exception {
        Path resp = dir.resolve("resp.der");
        Files.write(resp, response);
        Tools.Result r = nonce.equals("-nonce")
                // With a nonce the original request goes in, so openssl compares the echoed nonce with it.
                ? Tools.openssl(dir, "ocsp", "-reqin", request.toString(), "-respin", resp.toString(), "-CAfile", "root.pem",
                        "-VAfile", "ldevid-ca-chain.pem", "-resp_text")
                : Tools.openssl(dir, "ocsp", "-" + hash, "-respin", resp.toString(), "-issuer", "ldevid-ca.pem", "-CAfile", "root.pem", "-no_nonce",
                        "-cert", "dev.pem");
        assertTrue(r.all().contains("Response verify OK"), r.all());
        if (nonce.equals("-nonce")) {
            assertTrue(!r.all().contains("WARNING") && !r.all().contains("Nonce Verify error"), r.all());
            // -resp_text prints "Cert Status: good"; normalise to the -cert form the assertions use.
            return r.all().replace("Cert Status: ", "dev.pem: ");
        }
        return r.all();
    }
}
