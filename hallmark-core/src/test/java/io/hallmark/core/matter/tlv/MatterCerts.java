package io.hallmark.core.matter.tlv;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.matter.MatterOids;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Builds Matter operational certificates the way Hallmark's issuance does, with BouncyCastle's certificate builder:
 * Matter DN attributes as UTF8Strings of upper-case hex, random serials, SKI and AKI, the Matter criticalities. A test
 * changes one thing through {@link Spec} to make a certificate the TLV form cannot carry.
 */
final class MatterCerts {

    private MatterCerts() {
    }

    record Issued(byte[] der, KeyPair key, X500Name subject, byte[] ski) {
    }

    /** What a certificate is made of; every field may be changed before {@link #sign}. */
    static final class Spec {
        BigInteger serial;
        X500Name subject;
        X500Name issuer;
        Time notBefore = new Time(Date.from(Instant.parse("2024-01-01T00:00:00Z")));
        Time notAfter = new Time(Date.from(Instant.parse("2034-01-01T00:00:00Z")));
        KeyPair key;
        KeyPair signer;
        String signatureAlgorithm = "SHA256withECDSA";
        final List<Extension> extensions = new ArrayList<>();
    }

    static KeyPair ecKey(String curve) {
        try {
            CryptoProviders.install();
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC"); // BC has the curves the JDK dropped (secp256k1)
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X500Name name(Object... typesAndValues) {
        List<RDN> rdns = new ArrayList<>();
        for (int i = 0; i < typesAndValues.length; i += 2) {
            ASN1Encodable value = typesAndValues[i + 1] instanceof ASN1Encodable a ? a : new DERUTF8String((String) typesAndValues[i + 1]);
            rdns.add(new RDN((ASN1ObjectIdentifier) typesAndValues[i], value));
        }
        return new X500Name(rdns.toArray(RDN[]::new));
    }

    static String hex(long value, int digits) {
        return String.format("%0" + digits + "X", value);
    }

    static BigInteger randomSerial(Random random) {
        int bytes = 1 + random.nextInt(20);
        BigInteger serial;
        do {
            serial = new BigInteger(bytes * 8 - 1, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** A root CA (RCAC): self-signed, rcac-id and optionally a fabric id. */
    static Spec rcac(Random random, Long fabricId) {
        Spec s = new Spec();
        s.serial = randomSerial(random);
        s.subject = fabricId == null ? name(MatterOids.RCAC_ID, hex(random.nextLong(), 16))
                : name(MatterOids.RCAC_ID, hex(random.nextLong(), 16), MatterOids.FABRIC_ID, hex(fabricId, 16));
        s.issuer = s.subject;
        s.key = ecKey("secp256r1");
        s.signer = s.key;
        byte[] ski = ski(s.key);
        s.extensions.add(ext(Extension.basicConstraints, true, new BasicConstraints(true)));
        s.extensions.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
        s.extensions.add(ext(Extension.subjectKeyIdentifier, false, new org.bouncycastle.asn1.DEROctetString(ski)));
        s.extensions.add(ext(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski)));
        return s;
    }

    /** An ICAC issued by {@code parent}. */
    static Spec icac(Random random, Issued parent, Long fabricId) {
        Spec s = new Spec();
        s.serial = randomSerial(random);
        s.subject = fabricId == null ? name(MatterOids.ICAC_ID, hex(random.nextLong(), 16))
                : name(MatterOids.ICAC_ID, hex(random.nextLong(), 16), MatterOids.FABRIC_ID, hex(fabricId, 16));
        s.issuer = parent.subject();
        s.key = ecKey("secp256r1");
        s.signer = parent.key();
        s.extensions.add(ext(Extension.basicConstraints, true, new BasicConstraints(0)));
        s.extensions.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
        s.extensions.add(ext(Extension.subjectKeyIdentifier, false, new org.bouncycastle.asn1.DEROctetString(ski(s.key))));
        s.extensions.add(ext(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(parent.ski())));
        return s;
    }

    /** A NOC for {@code nodeId} on {@code fabricId} with the given CATs, issued by {@code parent}. */
    static Spec noc(Random random, Issued parent, long nodeId, long fabricId, long... cats) {
        Spec s = new Spec();
        s.serial = randomSerial(random);
        List<Object> attributes = new ArrayList<>(List.of(MatterOids.NODE_ID, hex(nodeId, 16), MatterOids.FABRIC_ID, hex(fabricId, 16)));
        for (long cat : cats) {
            attributes.add(MatterOids.NOC_CAT);
            attributes.add(hex(cat, 8));
        }
        s.subject = name(attributes.toArray());
        s.issuer = parent.subject();
        s.key = ecKey("secp256r1");
        s.signer = parent.key();
        s.extensions.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
        s.extensions.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)));
        s.extensions.add(ext(Extension.extendedKeyUsage, true,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth})));
        s.extensions.add(ext(Extension.subjectKeyIdentifier, false, new org.bouncycastle.asn1.DEROctetString(ski(s.key))));
        s.extensions.add(ext(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(parent.ski())));
        return s;
    }

    static Spec with(Spec s, Consumer<Spec> change) {
        change.accept(s);
        return s;
    }

    static Issued sign(Spec s) {
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(s.issuer, s.serial, s.notBefore, s.notAfter, s.subject,
                    SubjectPublicKeyInfo.getInstance(s.key.getPublic().getEncoded()));
            for (Extension e : s.extensions) {
                b.addExtension(e);
            }
            byte[] der = b.build(new JcaContentSignerBuilder(s.signatureAlgorithm).build(s.signer.getPrivate())).getEncoded();
            return new Issued(der, s.key, s.subject, ski(s.key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Extension ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded("DER"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5280 method 1: SHA-1 of the public key bits, 20 bytes, as Matter requires. */
    static byte[] ski(KeyPair key) {
        try {
            byte[] bits = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData().getBytes();
            return MessageDigest.getInstance("SHA-1").digest(bits);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X500Name withCommonName(X500Name name, String cn) {
        List<RDN> rdns = new ArrayList<>(List.of(name.getRDNs()));
        rdns.add(new RDN(BCStyle.CN, new DERUTF8String(cn)));
        return new X500Name(rdns.toArray(RDN[]::new));
    }
}
