package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An EST enrollment as a device with curl makes it: a PKCS#10 CSR, base64 DER, posted with a TLS client certificate. */
final class EstCurl {

    /** The HTTP status and the body (the base64 PKCS#7 on 200, the error text otherwise). */
    record Answer(int status, String body) {
        /** The first certificate of a 200 answer's certs-only PKCS#7. */
        X509CertificateHolder certificate() throws Exception {
            assertEquals(200, status, body);
            CMSSignedData p7 = new CMSSignedData(Base64.getMimeDecoder().decode(body));
            return (X509CertificateHolder) p7.getCertificates().getMatches(null).iterator().next();
        }
    }

    private EstCurl() {
    }

    /** Posts {@code csr} (PEM, converted by openssl) to {@code url} from {@code dir}, trusting {@code rootCa}. */
    static Answer post(Path dir, String url, Path csr, Path clientCert, Path clientKey, Path rootCa) throws Exception {
        Path curl = Peers.tool("curl");
        Peers.Result der = Peers.run(dir, "openssl", "req", "-in", csr.toString(), "-outform", "DER", "-out", "req.der");
        assertEquals(0, der.exit(), der.all());
        Files.writeString(dir.resolve("req.b64"), Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("req.der"))));
        Path response = dir.resolve("response");
        Files.deleteIfExists(response);
        Peers.Result r = Peers.run(dir, curl.toString(), "-sS", "-o", "response", "-w", "%{http_code}", "--cert", clientCert.toString(),
                "--key", clientKey.toString(), "--cacert", rootCa.toString(), "-H", "Content-Type: application/pkcs10", "--data-binary", "@req.b64", url);
        String status = r.out().strip();
        assertEquals(true, status.matches("\\d{3}") && !status.equals("000"), () -> url + ": " + r.all());
        return new Answer(Integer.parseInt(status), Files.exists(response) ? Files.readString(response) : "");
    }
}
