package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.MatterOids;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * X.509 DER to and from {@link MatterCertificate}, with BouncyCastle's ASN.1 objects. Reading refuses, naming the
 * reason, what the SDK's {@code ConvertX509CertToChipCert} refuses and what its TLV-to-X.509 conversion could not
 * rebuild byte for byte (the signature covers every byte); writing rebuilds the DER the way the SDK's
 * {@code ConvertChipCertToX509Cert} does, which for a certificate read here is the DER it was read from.
 */
final class CertificateDer {

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final AlgorithmIdentifier EC_P256 = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

    /**
     * Every OID in the SDK's table (gen_asn1oid.py). The SDK turns a future extension back into X.509 only when its OID is
     * none of these, so such an extension, the known ones included, cannot travel as a future extension.
     */
    private static final Set<ASN1ObjectIdentifier> KNOWN_OIDS = Stream.of(
            Arrays.stream(DnAttributeType.values()).map(DnAttributeType::oid),
            Arrays.stream(KeyPurpose.values()).map(KeyPurpose::oid),
            Stream.of(Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage, Extension.subjectKeyIdentifier,
                    Extension.authorityKeyIdentifier, PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                    X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.ecdsa_with_SHA256, SECObjectIdentifiers.secp256r1))
            .flatMap(s -> s).collect(Collectors.toUnmodifiableSet());

    private CertificateDer() {
    }

    static MatterCertificate read(byte[] der) {
        try {
            return readChecked(der);
        } catch (HallmarkException e) {
            throw e;
        } catch (RuntimeException e) {
            // BouncyCastle's lazily parsed objects may still refuse what they hold (a UTF8String that is not UTF-8, say).
            throw bad("a malformed field (" + e.getMessage() + ")");
        }
    }

    private static MatterCertificate readChecked(byte[] der) {
        ASN1Primitive parsed = canonical(der, "the certificate");
        checkVersion(parsed);
        Certificate cert;
        TBSCertificate tbs;
        try {
            cert = Certificate.getInstance(parsed);
            tbs = cert.getTBSCertificate();
        } catch (RuntimeException e) {
            throw bad("not an X.509 certificate (" + e.getMessage() + ")");
        }
        if (tbs.getVersionNumber() != 3) throw bad("X.509 version " + tbs.getVersionNumber() + "; Matter certificates are version 3");
        checkSignatureAlgorithm(tbs.getSignature());
        if (!cert.getSignatureAlgorithm().equals(tbs.getSignature())) {
            throw bad("the outer signatureAlgorithm differs from the one inside the signed part");
        }
        if (tbs.getIssuerUniqueId() != null || tbs.getSubjectUniqueId() != null) {
            throw bad("the certificate has an issuerUniqueID or subjectUniqueID, which the TLV form cannot carry");
        }
        byte[] serial = tbs.getSerialNumber().getValue().toByteArray();
        List<DnAttribute> issuer = name(tbs.getIssuer(), "issuer");
        long notBefore = time(tbs.getStartDate(), "notBefore");
        long notAfter = time(tbs.getEndDate(), "notAfter");
        List<DnAttribute> subject = name(tbs.getSubject(), "subject");
        byte[] key = publicKey(tbs.getSubjectPublicKeyInfo());
        refuseExplicitNonCritical(tbs);
        List<CertExtension> extensions = extensions(tbs.getExtensions());
        byte[] signature = signature(cert.getSignature());
        return new MatterCertificate(serial, issuer, notBefore, notAfter, subject, key, extensions, signature);
    }

    static byte[] write(MatterCertificate c) {
        ASN1EncodableVector extensions = new ASN1EncodableVector();
        c.extensions().forEach(e -> extensions.add(extension(e)));
        ASN1EncodableVector tbs = new ASN1EncodableVector();
        tbs.add(new DERTaggedObject(true, 0, new ASN1Integer(2)));
        tbs.add(new ASN1Integer(new BigInteger(c.serial())));
        tbs.add(ECDSA_WITH_SHA256);
        tbs.add(name(c.issuer()));
        tbs.add(new DERSequence(new ASN1Encodable[] {time(c.notBefore()), time(c.notAfter())}));
        tbs.add(name(c.subject()));
        tbs.add(new SubjectPublicKeyInfo(EC_P256, c.publicKey()));
        tbs.add(new DERTaggedObject(true, 3, new DERSequence(extensions)));
        byte[] sig = c.signature();
        DERSequence ecdsa = new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(sig, 0, 32))), new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)))});
        try {
            return new DERSequence(new ASN1Encodable[] {new DERSequence(tbs), ECDSA_WITH_SHA256, new DERBitString(ecdsa.getEncoded(ASN1Encoding.DER))})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A future extension's bytes: one DER-encoded X.509 Extension whose OID the TLV form has no other place for. */
    static CertExtension.Future futureExtension(byte[] der) {
        ASN1Primitive parsed = canonical(der, "a future extension");
        Extension extension;
        try {
            extension = Extension.getInstance(parsed);
        } catch (RuntimeException e) {
            throw bad("a future extension is not an X.509 Extension (" + e.getMessage() + ")");
        }
        if (KNOWN_OIDS.contains(extension.getExtnId())) {
            throw bad("extension " + extension.getExtnId().getId() + " cannot travel as a future extension: the SDK reads it as one of its own");
        }
        return new CertExtension.Future(extension.getExtnId(), der);
    }

    private static ASN1Primitive canonical(byte[] der, String what) {
        ASN1Primitive parsed;
        try {
            parsed = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), der)) {
                throw bad(what + " is not in DER (BER lengths or another non-canonical encoding), so its exact bytes cannot be rebuilt");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HallmarkException h) throw h;
            throw bad(what + " is not DER (" + e.getMessage() + ")");
        }
        return parsed;
    }

    /** Looked at before BouncyCastle parses the rest, which refuses a v1 or v2 certificate with extensions less clearly. */
    private static void checkVersion(ASN1Primitive certificate) {
        int version = 1;
        try {
            ASN1Encodable first = ASN1Sequence.getInstance(ASN1Sequence.getInstance(certificate).getObjectAt(0)).getObjectAt(0);
            if (first instanceof org.bouncycastle.asn1.ASN1TaggedObject t && t.getTagNo() == 0) {
                version = ASN1Integer.getInstance(t.getExplicitBaseObject()).intValueExact() + 1;
            }
        } catch (RuntimeException e) {
            throw bad("not an X.509 certificate (" + e.getMessage() + ")");
        }
        if (version != 3) throw bad("X.509 version " + version + "; Matter certificates are version 3");
    }

    private static void checkSignatureAlgorithm(AlgorithmIdentifier algorithm) {
        if (!algorithm.getAlgorithm().equals(X9ObjectIdentifiers.ecdsa_with_SHA256)) {
            throw bad("signed with " + algorithmName(algorithm.getAlgorithm()) + "; Matter certificates are signed with ecdsa-with-SHA256");
        }
        if (algorithm.getParameters() != null) throw bad("the ecdsa-with-SHA256 algorithm identifier carries parameters, which it must not");
    }

    private static String algorithmName(ASN1ObjectIdentifier oid) {
        if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA1)) return "ecdsa-with-SHA1";
        if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA384)) return "ecdsa-with-SHA384";
        if (oid.equals(X9ObjectIdentifiers.ecdsa_with_SHA512)) return "ecdsa-with-SHA512";
        if (oid.equals(PKCSObjectIdentifiers.sha256WithRSAEncryption)) return "sha256WithRSAEncryption";
        if (oid.equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519)) return "Ed25519";
        return oid.getId();
    }

    private static List<DnAttribute> name(X500Name name, String which) {
        List<DnAttribute> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            if (rdn.isMultiValued()) throw bad("the " + which + " has a multi-valued RDN; the TLV form holds one attribute per RDN");
            AttributeTypeAndValue atv = rdn.getFirst();
            ASN1ObjectIdentifier oid = atv.getType();
            DnAttributeType type = DnAttributeType.byOid(oid).orElseThrow(() -> bad("the " + which + " attribute " + oid.getId()
                    + (oid.equals(MatterOids.VENDOR_ID) || oid.equals(MatterOids.PRODUCT_ID)
                    ? " (Vendor ID / Product ID, of attestation certificates) has no TLV tag; PAA, PAI and DAC stay X.509"
                    : " has no TLV tag, so the TLV form cannot carry it")));
            ASN1Encodable value = atv.getValue();
            DnAttribute.StringType stringType;
            String text;
            if (value instanceof ASN1UTF8String s) {
                stringType = DnAttribute.StringType.UTF8;
                text = s.getString();
            } else if (value instanceof ASN1PrintableString s) {
                stringType = DnAttribute.StringType.PRINTABLE;
                text = s.getString();
            } else if (value instanceof ASN1IA5String s) {
                stringType = DnAttribute.StringType.IA5;
                text = s.getString();
            } else {
                throw bad("the " + which + " " + type.label() + " is a " + value.toASN1Primitive().getClass().getSimpleName().replace("DER", "").replace("DL", "")
                        + "; the TLV form carries only UTF8String, PrintableString and IA5String");
            }
            if (type.kind() == DnAttributeType.Kind.STRING) {
                out.add(new DnAttribute.Text(type, text, stringType));
            } else {
                if (stringType != DnAttribute.StringType.UTF8) throw bad("the " + which + " " + type.label() + " is not a UTF8String");
                if (text.length() != type.hexDigits() || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F')) {
                    throw bad("the " + which + " " + type.label() + " \"" + text + "\" is not " + type.hexDigits() + " upper-case hex digits");
                }
                out.add(new DnAttribute.MatterId(type, Long.parseUnsignedLong(text, 16)));
            }
        }
        return out;
    }

    private static ASN1Encodable name(List<DnAttribute> attributes) {
        ASN1EncodableVector rdns = new ASN1EncodableVector();
        for (DnAttribute a : attributes) {
            ASN1Encodable value = switch (a) {
                case DnAttribute.MatterId id -> new DERUTF8String(id.text());
                case DnAttribute.Text t -> switch (t.stringType()) {
                    case UTF8 -> new DERUTF8String(t.value());
                    case PRINTABLE -> new DERPrintableString(t.value());
                    case IA5 -> new DERIA5String(t.value());
                };
            };
            rdns.add(new DERSet(new DERSequence(new ASN1Encodable[] {a.type().oid(), value})));
        }
        return new DERSequence(rdns);
    }

    private static long time(Time time, String field) {
        Instant instant;
        try {
            instant = time.getDate().toInstant();
        } catch (RuntimeException e) {
            throw bad(field + " is not a valid time (" + e.getMessage() + ")");
        }
        long matter = MatterTime.fromInstant(instant, field);
        byte[] rebuilt = encoded(time(matter));
        if (!Arrays.equals(encoded(time.toASN1Primitive()), rebuilt)) {
            throw bad(field + " is written as " + describe(time.toASN1Primitive()) + " where the TLV form rebuilds " + describe(time(matter))
                    + " (UTCTime YYMMDDHHMMSSZ before 2050, GeneralizedTime YYYYMMDDHHMMSSZ from 2050)");
        }
        return matter;
    }

    private static ASN1Primitive time(long matterSeconds) {
        Instant t = MatterTime.toInstant(matterSeconds);
        return t.isBefore(UTC_TIME_END) ? new DERUTCTime(UTC_TIME.format(t)) : new DERGeneralizedTime(GENERALIZED_TIME.format(t));
    }

    private static String describe(ASN1Primitive time) {
        return time instanceof ASN1GeneralizedTime g ? "GeneralizedTime " + g.getTimeString()
                : "UTCTime " + time; // ASN1UTCTime prints its string as written
    }

    private static byte[] publicKey(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        if (!algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            String kind = algorithm.equals(PKCSObjectIdentifiers.rsaEncryption) ? "an RSA key"
                    : algorithm.equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519) ? "an Ed25519 key" : "a key of type " + algorithm.getId();
            throw bad("the subject public key is " + kind + "; Matter certificates carry EC P-256 keys");
        }
        ASN1Encodable parameters = spki.getAlgorithm().getParameters();
        if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
            throw bad("the EC key has explicit or implicit curve parameters; only the named curve prime256v1 is carried");
        }
        if (!curve.equals(SECObjectIdentifiers.secp256r1)) {
            String name = org.bouncycastle.asn1.x9.ECNamedCurveTable.getName(curve);
            throw bad("the EC key is on curve " + (name != null ? name : curve.getId()) + "; Matter certificates use prime256v1 (P-256)");
        }
        ASN1BitString bits = spki.getPublicKeyData();
        if (bits.getPadBits() != 0) throw bad("the public key BIT STRING has unused bits");
        return bits.getOctets();
    }

    /**
     * An extension that writes out critical FALSE (DER leaves the default out; the SDK refuses it). BouncyCastle's
     * Extension drops the field when it parses, so this looks at the extensions as they were written.
     */
    private static void refuseExplicitNonCritical(TBSCertificate tbs) {
        for (ASN1Encodable field : ASN1Sequence.getInstance(tbs.toASN1Primitive())) {
            if (field instanceof org.bouncycastle.asn1.ASN1TaggedObject t && t.getTagNo() == 3) {
                for (ASN1Encodable raw : ASN1Sequence.getInstance(t.getExplicitBaseObject())) {
                    ASN1Sequence extension = ASN1Sequence.getInstance(raw);
                    if (extension.size() == 3 && extension.getObjectAt(1) instanceof ASN1Boolean b && !b.isTrue()) {
                        throw bad("extension " + extension.getObjectAt(0) + " writes out critical FALSE, which DER leaves out (it is the default)");
                    }
                }
            }
        }
    }

    private static List<CertExtension> extensions(Extensions extensions) {
        List<CertExtension> out = new ArrayList<>();
        if (extensions == null) return out;
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension e = extensions.getExtension(oid);
            CertExtension parsed = extension(e);
            if (!Arrays.equals(encoded(extension(parsed)), encoded(e))) {
                throw bad("extension " + oid.getId() + " is encoded otherwise than the TLV form rebuilds it, so the signature would not verify");
            }
            out.add(parsed);
        }
        return out;
    }

    private static CertExtension extension(Extension e) {
        ASN1ObjectIdentifier oid = e.getExtnId();
        try {
            if (oid.equals(Extension.basicConstraints)) {
                critical(e, "basicConstraints", true);
                ASN1Sequence seq = ASN1Sequence.getInstance(e.getParsedValue());
                boolean ca = false;
                Integer pathLen = null;
                int i = 0;
                if (i < seq.size() && seq.getObjectAt(i) instanceof ASN1Boolean b) {
                    if (!b.isTrue()) throw bad("basicConstraints writes out cA FALSE, which DER leaves out (it is the default)");
                    ca = true;
                    i++;
                }
                if (i < seq.size() && seq.getObjectAt(i) instanceof ASN1Integer n) {
                    BigInteger v = n.getValue();
                    if (v.signum() < 0 || v.bitLength() > 8) throw bad("basicConstraints pathLenConstraint " + v + " is outside 0..255");
                    pathLen = v.intValue();
                    i++;
                }
                if (i != seq.size()) throw bad("basicConstraints holds something other than cA and pathLenConstraint");
                return new CertExtension.BasicConstraints(ca, pathLen);
            }
            if (oid.equals(Extension.keyUsage)) {
                critical(e, "keyUsage", true);
                ASN1BitString bits = ASN1BitString.getInstance(e.getParsedValue());
                byte[] bytes = bits.getBytes();
                int used = bytes.length * 8 - bits.getPadBits(), value = 0;
                for (int k = 0; k < used; k++) {
                    if ((bytes[k / 8] & (0x80 >>> (k % 8))) != 0) {
                        if (k >= 16) throw bad("keyUsage sets bit " + k + ", beyond those the TLV form carries");
                        value |= 1 << k;
                    }
                }
                return new CertExtension.KeyUsage(value);
            }
            if (oid.equals(Extension.extendedKeyUsage)) {
                critical(e, "extendedKeyUsage", true);
                List<KeyPurpose> purposes = new ArrayList<>();
                for (ASN1Encodable p : ASN1Sequence.getInstance(e.getParsedValue())) {
                    ASN1ObjectIdentifier id = ASN1ObjectIdentifier.getInstance(p);
                    purposes.add(KeyPurpose.byOid(id).orElseThrow(() -> bad("extendedKeyUsage purpose " + id.getId() + " has no TLV number")));
                }
                return new CertExtension.ExtendedKeyUsage(purposes);
            }
            if (oid.equals(Extension.subjectKeyIdentifier)) {
                critical(e, "subjectKeyIdentifier", false);
                return new CertExtension.SubjectKeyId(ASN1OctetString.getInstance(e.getParsedValue()).getOctets());
            }
            if (oid.equals(Extension.authorityKeyIdentifier)) {
                critical(e, "authorityKeyIdentifier", false);
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(e.getParsedValue());
                if (aki.getAuthorityCertIssuer() != null || aki.getAuthorityCertSerialNumber() != null) {
                    throw bad("authorityKeyIdentifier names the issuer and serial; the TLV form carries only the key identifier");
                }
                if (aki.getKeyIdentifierObject() == null) throw bad("authorityKeyIdentifier has no keyIdentifier");
                return new CertExtension.AuthorityKeyId(aki.getKeyIdentifierObject().getOctets());
            }
            return futureExtension(e.getEncoded(ASN1Encoding.DER));
        } catch (HallmarkException h) {
            throw h;
        } catch (IOException | RuntimeException ex) {
            throw bad("extension " + oid.getId() + " is malformed (" + ex.getMessage() + ")");
        }
    }

    /** The criticality the TLV form gives back for this extension; one the TLV cannot record is refused. */
    private static void critical(Extension e, String name, boolean required) {
        if (e.isCritical() != required) {
            throw bad(name + " is " + (required ? "not critical" : "critical") + "; the TLV form does not record criticality and rebuilds it "
                    + (required ? "critical" : "non-critical"));
        }
    }

    private static Extension extension(CertExtension e) {
        if (e instanceof CertExtension.Future f) {
            return Extension.getInstance(canonical(f.der(), "a future extension"));
        }
        ASN1Encodable value = switch (e) {
            case CertExtension.BasicConstraints bc -> {
                ASN1EncodableVector v = new ASN1EncodableVector();
                if (bc.ca()) v.add(ASN1Boolean.TRUE);
                if (bc.pathLen() != null) v.add(new ASN1Integer(bc.pathLen()));
                yield new DERSequence(v);
            }
            case CertExtension.KeyUsage ku -> {
                int bcBits = 0; // BouncyCastle numbers named bits from the first byte's top bit down
                for (int k = 0; k < 8; k++) {
                    if ((ku.bits() & (1 << k)) != 0) bcBits |= 0x80 >>> k;
                }
                yield new org.bouncycastle.asn1.x509.KeyUsage(bcBits);
            }
            case CertExtension.ExtendedKeyUsage eku -> new DERSequence(eku.purposes().stream().map(KeyPurpose::oid).toArray(ASN1Encodable[]::new));
            case CertExtension.SubjectKeyId ski -> new DEROctetString(ski.id());
            case CertExtension.AuthorityKeyId aki -> new DERSequence(new DERTaggedObject(false, 0, new DEROctetString(aki.id())));
            case CertExtension.Future f -> throw new IllegalStateException("handled above");
        };
        boolean critical = e instanceof CertExtension.BasicConstraints || e instanceof CertExtension.KeyUsage || e instanceof CertExtension.ExtendedKeyUsage;
        return new Extension(e.oid(), critical, encoded(value));
    }

    private static byte[] signature(ASN1BitString bits) {
        if (bits.getPadBits() != 0) throw bad("the signature BIT STRING has unused bits");
        byte[] octets = bits.getOctets();
        ASN1Sequence seq;
        try {
            seq = ASN1Sequence.getInstance(canonical(octets, "the ECDSA signature value"));
        } catch (IllegalArgumentException e) {
            throw bad("the signature value is not an ECDSA-Sig-Value SEQUENCE");
        }
        if (seq.size() != 2 || !(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
            throw bad("the signature value is not an ECDSA-Sig-Value (two INTEGERs)");
        }
        byte[] raw = new byte[64];
        place(r.getValue(), raw, 0);
        place(s.getValue(), raw, 32);
        return raw;
    }

    private static void place(BigInteger v, byte[] raw, int at) {
        if (v.signum() <= 0 || v.bitLength() > 256) throw bad("the ECDSA signature has an r or s outside 1..2^256, not a P-256 signature");
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0;
        System.arraycopy(b, skip, raw, at + 32 - (b.length - skip), b.length - skip);
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HallmarkException bad(String what) {
        return HallmarkException.badInput("cannot be carried in the Matter TLV form: " + what);
    }
}
