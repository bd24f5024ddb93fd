package io.hallmark.core.matter.tlv;

import io.hallmark.core.matter.MatterOids;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-style: certificates made with BouncyCastle as Hallmark makes them (RCAC, ICAC, NOC; random serials, ids,
 * CATs, names, validity) go DER to TLV to the same DER, whose signature still verifies, and TLV to DER to the same TLV,
 * the TLV always the smaller.
 */
class MatterTlvRoundTripTest {

    private static final long SEED = 0x5EED_2026L;
    private static int converted, oversized;

    @Test
    void generatedFabricChainsRoundTripExactly() throws Exception {
        Random random = new Random(SEED);
        converted = 0;
        oversized = 0;
        for (int i = 0; i < 40; i++) {
            long fabric = 1 + (random.nextLong() >>> 1);
            MatterCerts.Issued root = MatterCerts.sign(MatterCerts.rcac(random, random.nextBoolean() ? fabric : null));
            MatterCerts.Issued icac = MatterCerts.sign(MatterCerts.icac(random, root, random.nextBoolean() ? fabric : null));
            MatterCerts.Issued parent = random.nextBoolean() ? icac : root;
            long nodeId = 1 + Long.remainderUnsigned(random.nextLong(), 0xFFFFFFEFFFFFFFFFL);
            long[] cats = new long[random.nextInt(4)];
            for (int c = 0; c < cats.length; c++) {
                cats[c] = ((long) (c + 1) << 16 | 1 + random.nextInt(0xffff)) & 0xFFFFFFFFL;
            }
            MatterCerts.Spec nocSpec = MatterCerts.noc(random, parent, nodeId, fabric, cats);
            if (cats.length == 0 && random.nextBoolean()) {
                nocSpec.subject = MatterCerts.withCommonName(nocSpec.subject, "node " + i + " ünïcode");
            }
            MatterCerts.Issued noc = MatterCerts.sign(nocSpec);

            for (MatterCerts.Issued[] pair : new MatterCerts.Issued[][] {{root, root}, {icac, root}, {noc, parent}}) {
                assertRoundTrip(pair[0].der(), pair[1]);
            }
        }
        assertTrue(converted >= 100, "most generated certificates fit the limits (" + converted + " converted, " + oversized + " too large)");
    }

    @Test
    void printableStringsDomainComponentsValidityPast2050AndFutureExtensionsRoundTrip() throws Exception {
        Random random = new Random(SEED + 1);
        MatterCerts.Issued root = MatterCerts.sign(MatterCerts.rcac(random, null));
        MatterCerts.Spec spec = MatterCerts.noc(random, root, 0x0000000000000001L, 0xFAB0L);
        spec.subject = MatterCerts.name(MatterOids.NODE_ID, "0000000000000001", MatterOids.FABRIC_ID, "000000000000FAB0",
                BCStyle.O, new DERPrintableString("Example Co"), BCStyle.DC, new DERIA5String("example"), BCStyle.CN, "utf8 name");
        spec.notAfter = new org.bouncycastle.asn1.x509.Time(java.util.Date.from(java.time.Instant.parse("2099-06-30T12:00:00Z")));
        spec.extensions.add(MatterCerts.ext(Extension.subjectAlternativeName, true,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, "node@example.com"))));
        assertRoundTrip(MatterCerts.sign(spec).der(), root);

        MatterCerts.Spec noExpiry = MatterCerts.icac(random, root, null);
        noExpiry.notAfter = new org.bouncycastle.asn1.x509.Time(new org.bouncycastle.asn1.DERGeneralizedTime("99991231235959Z"));
        assertRoundTrip(MatterCerts.sign(noExpiry).der(), root);
    }

    private static void assertRoundTrip(byte[] der, MatterCerts.Issued issuer) throws Exception {
        if (der.length > MatterTlvCertificates.MAX_DER_BYTES) {
            // A 20-byte serial, three CATs and an issuer with a fabric id can pass the limit: refused for its size, not converted.
            var e = assertThrows(HallmarkException.class, () -> MatterTlvCertificates.toTlv(der));
            assertTrue(e.getMessage().contains(der.length + " bytes of DER; Matter certificates are at most 600"), e.getMessage());
            oversized++;
            return;
        }
        converted++;
        byte[] tlv = MatterTlvCertificates.toTlv(der);
        byte[] back = MatterTlvCertificates.toDer(tlv);

        assertArrayEquals(der, back, "DER -> TLV -> DER gives the same bytes");
        assertArrayEquals(tlv, MatterTlvCertificates.toTlv(back), "TLV -> DER -> TLV gives the same bytes");
        assertTrue(tlv.length < der.length, "the TLV (" + tlv.length + ") is smaller than the DER (" + der.length + ")");
        assertTrue(new X509CertificateHolder(back).isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.key().getPublic())),
                "the signature verifies after the round trip");
    }
}
