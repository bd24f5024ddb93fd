package io.hallmark.cli.broker;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a broker trusts for devices: the CAs their certificates chain to (issuing CAs and their issuers up to the
 * root, which OpenSSL needs to build a path) and the current CRL of each, unscoped so that it covers every
 * certificate of its CA whatever distribution point the certificate names.
 *
 * @param cas     issuing CAs first, then their issuers, each once
 * @param crls    one complete CRL per CA, in the same order
 * @param baseUrl the publication base URL (where EMQX fetches CRLs), null if none is set
 */
public record TrustBundle(List<CertificateAuthority> cas, List<GeneratedCrl> crls, String baseUrl) {

    public TrustBundle {
        cas = List.copyOf(cas);
        crls = List.copyOf(crls);
    }

    public String caPem() {
        return cas.stream().map(c -> Pem.certificate(c.certificate())).collect(Collectors.joining());
    }

    public String crlPem() {
        return crls.stream().map(c -> Pem.encode("X509 CRL", c.der())).collect(Collectors.joining());
    }

    /** "ldevid-ca, root": for comments and messages. */
    public String caNames() {
        return cas.stream().map(CertificateAuthority::name).collect(Collectors.joining(", "));
    }

    /**
     * The longest chain from a device certificate to a root: nginx's ssl_verify_depth (the leaf's issuer counts one,
     * and so on to the root; nginx's default of 1 refuses a device below an intermediate CA).
     */
    public int depth() {
        int max = 1;
        for (CertificateAuthority ca : cas) {
            int d = 1;
            for (CertificateAuthority c = ca; c.parent() != null; c = byName(c.parent())) d++;
            max = Math.max(max, d);
        }
        return max;
    }

    private CertificateAuthority byName(String name) {
        return cas.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("CA " + name + " is not in the bundle"));
    }
}
