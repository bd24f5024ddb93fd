package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The EST CSR attributes (RFC 7030 §4.5.2, as RFC 8951 and RFC 9908 §3 clarify) that tell a device which key to
 * make: for EC keys an id-ecPublicKey attribute whose value is the curve, for RSA an rsaEncryption attribute whose
 * value is the modulus size, for any other key (Ed25519, ML-DSA, SLH-DSA, composites) the key algorithm's OID; then
 * the signature algorithm where it differs from the key's, and the subject serialNumber. Both directions are
 * derived from {@link KeyAlgorithm}, so an algorithm added there is offered and understood here unchanged.
 */
public final class CsrAttributes {

    /** What a device read from a CSR attributes answer. */
    public record Requested(Optional<KeyAlgorithm> key, List<String> ignored) {
    }

    /** Key algorithm OIDs of the algorithms that are neither EC nor RSA, learnt once from a key of each. */
    private static final Map<KeyAlgorithm, ASN1ObjectIdentifier> KEY_OIDS = new ConcurrentHashMap<>();

    private CsrAttributes() {
    }

    /** The DER of a CsrAttrs asking for an {@code algorithm} key. */
    public static byte[] encode(KeyAlgorithm algorithm) {
        List<AttrOrOID> items = new ArrayList<>();
        ASN1ObjectIdentifier signature = signatureOid(algorithm);
        ASN1Encodable key = keyItem(algorithm);
        if (!(key instanceof ASN1ObjectIdentifier oid && oid.equals(signature))) items.add(new AttrOrOID(signature));
        items.add(key instanceof Attribute a ? new AttrOrOID(a) : new AttrOrOID((ASN1ObjectIdentifier) key));
        items.add(new AttrOrOID(BCStyle.SERIALNUMBER));
        try {
            return new CsrAttrs(items.toArray(AttrOrOID[]::new)).getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The key a CsrAttrs asks for, if it names one {@link KeyAlgorithm} makes; what else it holds that is not the
     * serialNumber or a known signature algorithm is listed as ignored (dotted OIDs), for the caller to log.
     *
     * @throws IllegalArgumentException if {@code der} is not a CsrAttrs
     */
    public static Requested read(byte[] der) {
        CsrAttrs attrs = CsrAttrs.getInstance(der);
        KeyAlgorithm found = null;
        List<String> ignored = new ArrayList<>();
        for (AttrOrOID item : attrs.getAttrOrOIDs()) {
            ASN1Encodable asked = item.isOid() ? item.getOid() : item.getAttribute();
            KeyAlgorithm match = null;
            for (KeyAlgorithm a : KeyAlgorithm.values()) {
                if (keyItem(a).equals(asked)) match = a;
            }
            if (match != null && found == null) {
                found = match;
            } else if (match == null && !known(item)) {
                ignored.add(item.isOid() ? item.getOid().getId() : item.getAttribute().getAttrType().getId() + " (attribute)");
            }
        }
        return new Requested(Optional.ofNullable(found), ignored);
    }

    private static boolean known(AttrOrOID item) {
        if (!item.isOid()) return false;
        if (item.getOid().equals(BCStyle.SERIALNUMBER)) return true;
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (signatureOid(a).equals(item.getOid())) return true;
        }
        return false;
    }

    /** An Attribute (EC curve, RSA size) or the key algorithm's OID. */
    private static ASN1Encodable keyItem(KeyAlgorithm algorithm) {
        if (algorithm.curve() != null) {
            return new Attribute(X9ObjectIdentifiers.id_ecPublicKey, new DERSet(ECNamedCurveTable.getOID(algorithm.curve())));
        }
        if (algorithm.jcaName().equals("RSA")) {
            return new Attribute(PKCSObjectIdentifiers.rsaEncryption, new DERSet(new ASN1Integer(algorithm.bits())));
        }
        // Post-quantum keys carry their OID; only Ed25519 is asked of a generated key (once: SLH-DSA keys take seconds).
        if (algorithm.oid() != null) return algorithm.oid();
        return KEY_OIDS.computeIfAbsent(algorithm, a ->
                SubjectPublicKeyInfo.getInstance(a.generate().getPublic().getEncoded()).getAlgorithm().getAlgorithm());
    }

    private static ASN1ObjectIdentifier signatureOid(KeyAlgorithm algorithm) {
        return new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.signatureAlgorithm()).getAlgorithm();
    }
}
