package io.hallmark.core.enroll;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a front end collected about the caller, before anyone judged it. Each authorizer looks for the
 * kinds it understands; a front end adds kinds as protocols need them (a CMP message signature, an
 * attestation statement, a BRSKI voucher).
 */
public sealed interface Evidence {

    /** A certificate chain the caller proved it holds the key of: a TLS client certificate (EST), leaf first. */
    record ClientCertificateChain(List<X509Certificate> chain) implements Evidence {
        public ClientCertificateChain {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) throw new IllegalArgumentException("an empty chain is no evidence");
        }

        public X509Certificate leaf() {
            return chain.getFirst();
        }
    }

    /** A claimed identity and a shared secret: HTTP Basic (EST bootstrap), later a CMP MAC's reference and key. */
    record SharedSecret(String user, String secret) implements Evidence {
        @Override
        public String toString() {
            return "SharedSecret[" + user + ", ***]";
        }
    }
}
