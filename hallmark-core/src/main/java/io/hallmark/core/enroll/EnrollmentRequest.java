package io.hallmark.core.enroll;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One enrollment attempt as a front end (EST today; CMP, SCEP, BRSKI later) received it.
 *
 * @param clientChain the TLS client certificate chain, leaf first; empty if none was presented
 * @param basic       HTTP Basic credentials, or null
 * @param csr         the PKCS#10 request (DER)
 */
public record EnrollmentRequest(EnrollmentLabel label, Operation operation, List<X509Certificate> clientChain,
                                BasicCredentials basic, byte[] csr) {

    public enum Operation { ENROLL, REENROLL, SERVER_KEYGEN }

    public record BasicCredentials(String user, String password) {
        @Override
        public String toString() {
            return "BasicCredentials[" + user + ", ***]";
        }
    }

    public EnrollmentRequest {
        clientChain = List.copyOf(clientChain == null ? List.of() : clientChain);
    }
}
