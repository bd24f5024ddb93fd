package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.MatterOids;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificates the TLV form cannot carry are refused with the reason, as the SDK's ConvertX509CertToChipCert refuses them. */
class MatterTlvRefusalsTest {

    private final Random random = new Random(21);
    private final MatterCerts.Issued root = MatterCerts.sign(MatterCerts.rcac(random, 0xFAB000000000001DL));

    private MatterCerts.Spec noc() {
        return MatterCerts.noc(random, root, 0xDEDEDEDE00010001L, 0xFAB000000000001DL);
    }

    private byte[] nocWith(Consumer<MatterCerts.Spec> change) {
        return MatterCerts.sign(MatterCerts.with(noc(), change)).der();
    }

    private static void refused(byte[] der, String reason) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> MatterTlvCertificates.toTlv(der));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains(reason), "expected the reason '" + reason + "' in: " + e.getMessage());
    }

    private static void replace(MatterCerts.Spec s, Extension e) {
        s.extensions.removeIf(x -> x.getExtnId().equals(e.getExtnId()));
        s.extensions.add(e);
    }

    @Test
    void theBaselineConverts() {
        MatterTlvCertificates.toTlv(MatterCerts.sign(noc()).der());
    }

    @Test
    void wrongCurveAndKeyTypes() throws Exception {
        refused(nocWith(s -> s.key = MatterCerts.ecKey("secp384r1")), "the EC key is on curve secp384r1");
        refused(nocWith(s -> s.key = MatterCerts.ecKey("secp256k1")), "the EC key is on curve secp256k1");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", "BC"); // small, so the size limit is not what refuses it
        rsa.initialize(1024);
        var rsaKey = rsa.generateKeyPair();
        refused(nocWith(s -> s.key = rsaKey), "the subject public key is an RSA key");
    }

    @Test
    void signatureAlgorithmsOtherThanEcdsaWithSha256() {
        refused(nocWith(s -> s.signatureAlgorithm = "SHA1withECDSA"), "signed with ecdsa-with-SHA1");
        refused(nocWith(s -> s.signatureAlgorithm = "SHA384withECDSA"), "signed with ecdsa-with-SHA384");
    }

    @Test
    void stringTypesTheTlvCannotCarry() {
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "DEDEDEDE00010001", BCStyle.CN, new DERBMPString("bmp"))),
                "is a BMPString; the TLV form carries only UTF8String, PrintableString and IA5String");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "DEDEDEDE00010001", BCStyle.CN, new DERIA5String("ia5"))),
                "common-name (2.5.4.3) as an IA5String");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "DEDEDEDE00010001", BCStyle.DC, new DERUTF8String("dc"))),
                "domain-component (0.9.2342.19200300.100.1.25) as a UTF8 string");
        refused(nocWith(s -> s.subject = MatterCerts.name(BCStyle.E, new DERIA5String("a@example.com"))),
                "attribute 1.2.840.113549.1.9.1 has no TLV tag");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "dededede00010001")), "is not 16 upper-case hex digits");
    }

    @Test
    void attestationCertificatesStayX509() {
        refused(nocWith(s -> s.subject = MatterCerts.name(BCStyle.CN, "DAC", MatterOids.VENDOR_ID, "FFF1", MatterOids.PRODUCT_ID, "8000")),
                "(Vendor ID / Product ID, of attestation certificates) has no TLV tag");
    }

    @Test
    void matterIdsOutsideTheirRanges() {
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "0000000000000000", MatterOids.FABRIC_ID, "0000000000000001")),
                "is not an operational node id");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "FFFFFFF000000000", MatterOids.FABRIC_ID, "0000000000000001")),
                "is not an operational node id");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "0000000000000001", MatterOids.FABRIC_ID, "0000000000000000")),
                "is 0, which is not a valid fabric id");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "0000000000000001", MatterOids.NOC_CAT, "ABCD0000")),
                "ABCD0000 has version 0");
        refused(nocWith(s -> s.subject = MatterCerts.name(MatterOids.NODE_ID, "0000000000000001", MatterOids.FABRIC_ID, "0000000000000001",
                BCStyle.CN, "a", BCStyle.O, "b", BCStyle.OU, "c", BCStyle.L, "d")),
                "the subject has 6 attributes; Matter allows at most 5");
    }

    @Test
    void criticalityTheTlvCannotRecord() {
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.basicConstraints, false, new BasicConstraints(false)))),
                "basicConstraints is not critical");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.keyUsage, false, new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature)))), "keyUsage is not critical");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)))), "extendedKeyUsage is not critical");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.subjectKeyIdentifier, true, new DEROctetString(new byte[20])))),
                "subjectKeyIdentifier is critical");
    }

    @Test
    void criticalFalseWrittenOutIsRefused() throws Exception {
        // BouncyCastle's builder never writes critical FALSE, so the certificate is assembled by hand and signed.
        var tbs = TBSCertificate.getInstance(
                Certificate.getInstance(MatterCerts.sign(noc()).der()).getTBSCertificate());
        ASN1EncodableVector fields = new ASN1EncodableVector();
        for (ASN1Encodable f : ASN1Sequence.getInstance(tbs.toASN1Primitive())) {
            if (f instanceof ASN1TaggedObject t && t.getTagNo() == 3) {
                ASN1EncodableVector exts = new ASN1EncodableVector();
                for (ASN1Encodable e : ASN1Sequence.getInstance(t.getExplicitBaseObject())) {
                    Extension x = Extension.getInstance(e);
                    exts.add(x.isCritical() ? x : new DERSequence(new ASN1Encodable[] {
                            x.getExtnId(), ASN1Boolean.FALSE, x.getExtnValue()}));
                }
                fields.add(new DERTaggedObject(true, 3, new DERSequence(exts)));
            } else {
                fields.add(f);
            }
        }
        byte[] tbsDer = new DERSequence(fields).getEncoded("DER");
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(root.key().getPrivate());
        signer.getOutputStream().write(tbsDer);
        byte[] der = new DERSequence(new ASN1Encodable[] {ASN1Primitive.fromByteArray(tbsDer),
                signer.getAlgorithmIdentifier(), new DERBitString(signer.getSignature())}).getEncoded("DER");

        refused(der, "extension 2.5.29.14 writes out critical FALSE");
    }

    @Test
    void extensionContentsTheTlvCannotCarry() {
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.basicConstraints, true, new DERSequence(new ASN1Integer(0))))),
                "pathLenConstraint without cA TRUE");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.subjectKeyIdentifier, false, new DEROctetString(new byte[32])))),
                "subjectKeyIdentifier is 32 bytes");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                new GeneralNames(new GeneralName(root.subject())), BigInteger.ONE)))), "authorityKeyIdentifier");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.extendedKeyUsage, true,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_ipsecIKE)))), "extendedKeyUsage purpose 1.3.6.1.5.5.7.3.17 has no TLV number");
        refused(nocWith(s -> replace(s, MatterCerts.ext(Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.decipherOnly)))), "(decipherOnly)");
        refused(nocWith(s -> s.extensions.add(MatterCerts.ext(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, false, new DERSequence()))),
                "cannot travel as a future extension");
        refused(nocWith(s -> s.extensions.clear()), "the certificate has no extensions");
    }

    @Test
    void validityTheTlvCannotCarry() {
        refused(nocWith(s -> s.notBefore = new Time(new DERGeneralizedTime("20240101000000Z"))),
                "notBefore is written as GeneralizedTime 20240101000000Z where the TLV form rebuilds UTCTime 240101000000Z");
        refused(nocWith(s -> s.notBefore = new Time(Date.from(Instant.parse("1999-12-31T23:59:59Z")))),
                "is not after 2000-01-01T00:00:00Z");
        refused(nocWith(s -> s.notAfter = new Time(Date.from(Instant.parse("2140-01-01T00:00:00Z")))),
                "is past the last time the TLV form carries");
    }

    @Test
    void sizesBeyondTheSdkLimits() {
        refused(nocWith(s -> s.subject = MatterCerts.withCommonName(s.subject, "x".repeat(200))), "bytes of DER; Matter certificates are at most 600");
        HallmarkException e = assertThrows(HallmarkException.class, () -> MatterTlvCertificates.toDer(new byte[401]));
        assertTrue(e.getMessage().contains("401 bytes; Matter TLV certificates are at most 400"), e.getMessage());
    }

    @Test
    void notAVersion3Certificate() {
        // A v3 certificate with its version field rewritten to v2 (1): its signature no longer matters, its version does.
        byte[] der = MatterCerts.sign(noc()).der();
        byte[] v2 = der.clone();
        for (int i = 0; i < 12; i++) {
            if (v2[i] == (byte) 0xa0 && v2[i + 1] == 3 && v2[i + 2] == 2 && v2[i + 3] == 1 && v2[i + 4] == 2) {
                v2[i + 4] = 1;
            }
        }
        refused(v2, "X.509 version 2; Matter certificates are version 3");
        refused(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "not an X.509 certificate");
        refused(new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00}, "not in DER");
    }
}
