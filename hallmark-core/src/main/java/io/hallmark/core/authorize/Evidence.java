package io.hallmark.core.authorize;

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

    /** A bearer token (the REST API's {@code Authorization: Bearer}); never printed. */
    record BearerToken(String token) implements Evidence {
        @Override
        public String toString() {
            return "BearerToken[***]";
        }
    }

    /**
     * A registered factory station named by an operator at the console ({@code hallmark factory run --station}):
     * access to the data directory and the vault is the authentication; the station's rights and quota still apply.
     */
    record StationName(String name) implements Evidence {
    }

    /** A claimed identity and a shared secret: HTTP Basic (EST bootstrap), later a CMP MAC's reference and key. */
    record SharedSecret(String user, String secret) implements Evidence {
        @Override
        public String toString() {
            return "SharedSecret[" + user + ", ***]";
        }
    }
}
