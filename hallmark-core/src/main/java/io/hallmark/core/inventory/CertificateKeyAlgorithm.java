package io.hallmark.core.inventory;

import io.hallmark.core.crypto.KeyAlgorithm;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The key algorithm of a certificate's subject key, named as {@link KeyAlgorithm} names them ({@code ec-p256},
 * {@code rsa-2048}, {@code ed25519}); keys Hallmark does not generate get names of the same form
 * ({@code ec-p521}, {@code rsa-1024}, {@code ed448}); post-quantum keys their {@link KeyAlgorithm} ids ({@code ml-dsa-44},
 * {@code slh-dsa-sha2-128s}, {@code mldsa44-ecdsa-p256-sha256}), anything else {@code oid-} and its algorithm OID.
 * Recorded with each certificate at issuance, so that inventory queries filter on a column, not on DER.
 */
public final class CertificateKeyAlgorithm {

    /** What a recorded name looks like; a filter value of another form is refused as a typo. */
    private static final Pattern FORM = Pattern.compile(
            "rsa-\\d{3,5}|ec-[a-z0-9]{1,24}|ed25519|ed448|ml-dsa-(44|65|87)|slh-dsa-(sha2|shake)-(128|192|256)[sf]|mldsa(44|65|87)-[a-z0-9-]{5,32}|oid-[0-9.]{3,24}|unknown");

    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "ec-p256", SECObjectIdentifiers.secp384r1, "ec-p384",
            SECObjectIdentifiers.secp521r1, "ec-p521", SECObjectIdentifiers.secp256k1, "ec-secp256k1");

    private CertificateKeyAlgorithm() {
    }

    /** The name of {@code der}'s subject key algorithm; {@code unknown} if the DER cannot be read (never throws). */
    public static String of(byte[] der) {
        try {
            return of(Certificate.getInstance(der).getSubjectPublicKeyInfo());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    static String of(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier oid = spki.getAlgorithm().getAlgorithm();
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            try {
                return "rsa-" + RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            var parameters = spki.getAlgorithm().getParameters();
            String curve = parameters instanceof ASN1ObjectIdentifier named ? CURVES.get(named) : null;
            return curve != null ? curve : "ec-other";
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) return "ed25519";
        if (oid.equals(EdECObjectIdentifiers.id_Ed448)) return "ed448";
        KeyAlgorithm postQuantum = KeyAlgorithm.ofOid(oid);
        if (postQuantum != null) return postQuantum.id();
        return "oid-" + oid.getId();
    }

    /**
     * {@code text} as an algorithm name to filter on or mark deprecated: one {@link KeyAlgorithm} knows (any case),
     * or one of the recorded forms above.
     *
     * @throws io.hallmark.core.error.HallmarkException BAD_INPUT for anything else
     */
    public static String parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("id-mldsa")) t = t.substring(3); // the composite specification's own spelling
        if (FORM.matcher(t).matches()) return t;
        throw io.hallmark.core.error.HallmarkException.badInput("unknown key algorithm '" + text + "' (known: " + KeyAlgorithm.known()
                + "; also rsa-BITS, ec-CURVE, ed448, the other SLH-DSA sets)");
    }
}
