package io.hallmark.core.revoke;

import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.SharedConfig;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The CAs by the hashes a CertID names its issuer with (SHA-1 or SHA-256 of name and key). Read again when
 * the configuration sequence moved (a CA created on any node).
 */
final class OcspIssuerIndex {

    static final ASN1ObjectIdentifier SHA1 = OIWObjectIdentifiers.idSHA1;
    static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;

    private record IssuerKey(ASN1ObjectIdentifier alg, String nameHash, String keyHash) {
    }

    private final SharedConfig.Cached<Map<IssuerKey, CertificateAuthority>> index;
    /** The last index read, for answers given without blocking, which must not read the store. */
    private volatile Map<IssuerKey, CertificateAuthority> last = Map.of();

    OcspIssuerIndex(SharedConfig config) {
        this.index = config.cache(tx -> index(tx.cas().all()));
    }

    /** The CA the CertID names, or null; may read the store when the configuration moved. */
    CertificateAuthority issuerOf(CertificateID id) {
        Map<IssuerKey, CertificateAuthority> current = index.get();
        last = current;
        return current.get(key(id));
    }

    /** The CA the CertID names as of the last read, or null; never blocks. */
    CertificateAuthority lastKnown(CertificateID id) {
        return last.get(key(id));
    }

    private static IssuerKey key(CertificateID id) {
        return new IssuerKey(id.getHashAlgOID(), HexFormat.of().formatHex(id.getIssuerNameHash()), HexFormat.of().formatHex(id.getIssuerKeyHash()));
    }

    private static Map<IssuerKey, CertificateAuthority> index(List<CertificateAuthority> cas) {
        Map<IssuerKey, CertificateAuthority> index = new HashMap<>();
        BcDigestCalculatorProvider digests = new BcDigestCalculatorProvider();
        for (CertificateAuthority ca : cas) {
            if (!ca.hasKey()) continue; // a CA imported without its key: no responder can sign for it, so "unauthorized"
            for (ASN1ObjectIdentifier alg : List.of(SHA1, SHA256)) {
                try {
                    CertificateID probe = new CertificateID(digests.get(new AlgorithmIdentifier(alg)), ca.holder(), BigInteger.ONE);
                    index.put(key(probe), ca);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(index);
    }
}
