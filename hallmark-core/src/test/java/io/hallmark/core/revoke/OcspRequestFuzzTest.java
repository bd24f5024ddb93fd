package io.hallmark.core.revoke;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.Req;

/**
 * Hostile OCSP requests (a POST body, or a GET path once decoded) as the responder reads them. The documented
 * refusal is a null (answered malformedRequest); any exception, an OutOfMemoryError or a hang is a finding. What is
 * accepted is read the way the responder reads it (every CertID's issuer hashes and serial), so a request that
 * parses but breaks the answer is a finding too. Without JAZZER_FUZZ the seed corpus beside this class replays in
 * the normal build; docs/security.md (Fuzzing) says how to run it long.
 */
class OcspRequestFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void requests(byte[] input) {
        OcspRequest request = OcspRequest.parse(input);
        if (request == null) {
            return;
        }
        if (request.singles().length == 0 || request.singles().length > OcspResponder.MAX_CERT_IDS) {
            throw new AssertionError("accepted " + request.singles().length + " CertIDs");
        }
        for (Req single : request.singles()) {
            CertificateID id = single.getCertID();
            id.getHashAlgOID();
            id.getIssuerNameHash();
            id.getIssuerKeyHash();
            id.getSerialNumber();
        }
    }
}
