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

import java.util.Arrays;
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
            // Every recorded certificate passes here (the factory's committer: a thousand per transaction), and parsing
            // the whole certificate to read one OID cost about 6 µs of its ~30; the subject key's few bytes are enough.
            byte[] spki = subjectPublicKeyInfo(der);
            return of(spki != null ? SubjectPublicKeyInfo.getInstance(spki) : Certificate.getInstance(der).getSubjectPublicKeyInfo());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The subjectPublicKeyInfo element of a certificate's DER, found by skipping the TBSCertificate's fields before it
     * (version, serialNumber, signature, issuer, validity, subject); null where the DER is anything but the plain
     * definite-length form with one-octet tags, which the full parse then reads as before.
     */
    static byte[] subjectPublicKeyInfo(byte[] der) {
        int tbs = into(der, 0, der.length, 0x30);               // Certificate
        if (tbs < 0) return null;
        int end = end(der, 0);
        int at = into(der, tbs, end, 0x30);                     // TBSCertificate
        if (at < 0) return null;
        int tbsEnd = end(der, tbs);
        if (at < tbsEnd && (der[at] & 0xff) == 0xa0) at = end(der, at); // [0] version
        for (int field = 0; field < 5 && at > 0; field++) {     // serialNumber, signature, issuer, validity, subject
            at = at < tbsEnd ? end(der, at) : -1;
        }
        if (at < 0 || at >= tbsEnd || (der[at] & 0xff) != 0x30) return null;
        int spkiEnd = end(der, at);
        return spkiEnd < 0 || spkiEnd > tbsEnd ? null : Arrays.copyOfRange(der, at, spkiEnd);
    }

    /** The offset of the value of the element at {@code at} if it has tag {@code tag} and fits before {@code limit}; else -1. */
    private static int into(byte[] der, int at, int limit, int tag) {
        if (at >= limit || (der[at] & 0xff) != tag) return -1;
        int e = end(der, at);
        return e < 0 || e > limit ? -1 : at + headerLength(der, at);
    }

    /** The offset just past the element at {@code at}; -1 for a multi-octet tag, an indefinite or overlong length, or truncation. */
    private static int end(byte[] der, int at) {
        if (at < 0 || at + 1 >= der.length || (der[at] & 0x1f) == 0x1f) return -1;
        int first = der[at + 1] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 3 || at + 2 + octets > der.length) return -1;
            length = 0;
            for (int i = 0; i < octets; i++) length = length << 8 | der[at + 2 + i] & 0xff;
        }
        long end = (long) at + headerLength(der, at) + length;
        return end > der.length ? -1 : (int) end;
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
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
