package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatterTlvVectorsTest {

    /** Who signed each vector, so that the rebuilt DER is checked against the issuer's key, not only against the file. */
    private static final Map<String, String> ISSUER = Map.ofEntries(Map.entry("Root01", "Root01"), Map.entry("Root02", "Root02"),
            Map.entry("Root03", "Root03"), Map.entry("ICA01", "Root01"), Map.entry("ICA02", "Root02"), Map.entry("ICA01_1", "Root01"),
            Map.entry("FWSign01", "ICA01_1"), Map.entry("Node01_01", "ICA01"), Map.entry("Node01_02", "Root01"),
            Map.entry("Node02_01", "ICA02"), Map.entry("Node02_02", "ICA02"), Map.entry("Node02_03", "ICA02"), Map.entry("Node02_04", "ICA02"),
            Map.entry("Node02_05", "ICA02"), Map.entry("Node02_06", "ICA02"), Map.entry("Node02_07", "ICA02"), Map.entry("Node02_08", "ICA02"),
            Map.entry("PDCID01", "PDCID01"));

    static final java.util.List<String> PAIRS = TlvVectors.PAIRS;

    @ParameterizedTest
    @FieldSource("PAIRS")
    void eachTlvVectorDecodesToItsDerByteForByte(String name) throws Exception {
        byte[] der = MatterTlvCertificates.toDer(TlvVectors.bytes(name + ".chip"));

        assertArrayEquals(TlvVectors.bytes(name + ".der"), der);
        X509CertificateHolder issuer = new X509CertificateHolder(TlvVectors.bytes(ISSUER.get(name) + ".der"));
        assertTrue(new X509CertificateHolder(der).isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getSubjectPublicKeyInfo())),
                "the rebuilt certificate's signature verifies with " + ISSUER.get(name) + "'s key");
    }

    @ParameterizedTest
    @FieldSource("PAIRS")
    void eachDerVectorEncodesToItsTlvByteForByte(String name) {
        byte[] der = TlvVectors.bytes(name + ".der");
        byte[] tlv = MatterTlvCertificates.toTlv(der);

        assertArrayEquals(TlvVectors.bytes(name + ".chip"), tlv);
        assertTrue(tlv.length < der.length);
    }

    @Test
    void aSubjectKeyIdentifierUnderACommonProfileTagIsRefusedAsAnInvalidTag() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> MatterTlvCertificates.toDer(TlvVectors.bytes("Node01_01_Err01.chip")));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("extension with a common-profile tag"), e.getMessage());
    }

    @Test
    void theCompactNetworkIdentityDecodesToTheFullCertificate() {
        byte[] der = MatterTlvCertificates.toDer(TlvVectors.bytes("PDCID01_Compact.chip"));

        assertArrayEquals(TlvVectors.bytes("PDCID01.der"), der);
        // The TLV form of that certificate is the full one: the compact form is read, never written.
        assertArrayEquals(TlvVectors.bytes("PDCID01.chip"), MatterTlvCertificates.toTlv(der));
    }
}
