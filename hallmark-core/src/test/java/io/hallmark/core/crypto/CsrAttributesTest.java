package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class CsrAttributesTest {

    @Test
    void everyKeyAlgorithmIsAskedForAndUnderstoodBack() {
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            CsrAttributes.Requested read = CsrAttributes.read(CsrAttributes.encode(a));
            assertEquals(Optional.of(a), read.key(), a.id());
            assertEquals(List.of(), read.ignored(), a.id() + ": the signature algorithm and serialNumber are known");
        }
    }

    /** RFC 7030 §4.5.2's form, as the server answered before policies existed: a device that read that reads this. */
    @Test
    void p256IsTheSameAnswerAsBefore() throws Exception {
        byte[] before = new CsrAttrs(new AttrOrOID[]{
                new AttrOrOID(X9ObjectIdentifiers.ecdsa_with_SHA256),
                new AttrOrOID(new Attribute(X9ObjectIdentifiers.id_ecPublicKey, new DERSet(SECObjectIdentifiers.secp256r1))),
                new AttrOrOID(BCStyle.SERIALNUMBER)}).getEncoded("DER");
        assertArrayEquals(before, CsrAttributes.encode(KeyAlgorithm.EC_P256));
    }

    @Test
    void rsaNamesItsSizeAndEd25519ItsOid() {
        CsrAttrs rsa = CsrAttrs.getInstance(CsrAttributes.encode(KeyAlgorithm.RSA_3072));
        assertTrue(List.of(rsa.getAttrOrOIDs()).stream().anyMatch(i -> !i.isOid() && i.getAttribute().getAttrValues().getObjectAt(0).toString().equals("3072")));
        CsrAttrs ed = CsrAttrs.getInstance(CsrAttributes.encode(KeyAlgorithm.ED25519));
        assertEquals(2, ed.size(), "Ed25519's key and signature OID are one: the OID once, then serialNumber");
        assertEquals("1.3.101.112", ed.getAttrOrOIDs()[0].getOid().getId());
    }

    @Test
    void whatItDoesNotKnowIsIgnoredAndNamed() throws Exception {
        byte[] der = new CsrAttrs(new AttrOrOID[]{
                new AttrOrOID(new ASN1ObjectIdentifier("1.2.3.4.5")),
                new AttrOrOID(new Attribute(new ASN1ObjectIdentifier("1.2.3.4.6"), new DERSet(new DERUTF8String("x")))),
                new AttrOrOID(new Attribute(X9ObjectIdentifiers.id_ecPublicKey, new DERSet(SECObjectIdentifiers.secp384r1))),
                new AttrOrOID(BCStyle.SERIALNUMBER)}).getEncoded("DER");
        CsrAttributes.Requested read = CsrAttributes.read(der);
        assertEquals(Optional.of(KeyAlgorithm.EC_P384), read.key());
        assertEquals(List.of("1.2.3.4.5", "1.2.3.4.6 (attribute)"), read.ignored());
        // A curve no KeyAlgorithm makes is no key asked for: the caller keeps its default.
        byte[] p521 = new CsrAttrs(new AttrOrOID[]{
                new AttrOrOID(new Attribute(X9ObjectIdentifiers.id_ecPublicKey, new DERSet(SECObjectIdentifiers.secp521r1)))}).getEncoded("DER");
        assertEquals(Optional.empty(), CsrAttributes.read(p521).key());
        assertThrows(IllegalArgumentException.class, () -> CsrAttributes.read(new byte[]{0x30, 0x03, 0x02, 0x01, 0x01}));
    }
}
