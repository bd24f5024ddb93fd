package io.hallmark.core.inventory;

import io.hallmark.core.TestKey;
import io.hallmark.core.crypto.KeyAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The subject key found by skipping the TBSCertificate's fields is the one a full parse finds, in every form Hallmark records. */
class CertificateKeyAlgorithmTest {

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "ED25519", "RSA_4096", "ML_DSA_44", "MLDSA44_ECDSA_P256_SHA256"})
    void theSkippedToKeyIsTheParsedOneForV3AndV1Certificates(KeyAlgorithm algorithm) throws Exception {
        TestKey key = TestKey.generate(algorithm);
        X500Name name = new X500Name("CN=a subject long enough for long-form lengths,O=an organisation name of some length,OU=a unit,OU=another unit,serialNumber=42");
        Date from = new Date(0), to = new Date(4102444800000L);
        byte[] v3 = new X509v3CertificateBuilder(name, BigInteger.valueOf(7), from, to, name, key.spki())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false)).build(key.signer()).getEncoded();
        byte[] v1 = new X509v1CertificateBuilder(name, new BigInteger(159, new java.util.Random(1)), from, to, name, key.spki())
                .build(key.signer()).getEncoded();
        for (byte[] der : new byte[][]{v3, v1}) {
            assertArrayEquals(Certificate.getInstance(der).getSubjectPublicKeyInfo().getEncoded(), CertificateKeyAlgorithm.subjectPublicKeyInfo(der));
            assertEquals(algorithm.id(), CertificateKeyAlgorithm.of(der));
        }
    }

    @Test
    void anythingButPlainDerFallsBackToTheFullParse() throws Exception {
        TestKey key = TestKey.generate(KeyAlgorithm.EC_P256);
        X500Name name = new X500Name("CN=x");
        byte[] der = new X509v3CertificateBuilder(name, BigInteger.ONE, new Date(0), new Date(4102444800000L), name, key.spki())
                .build(key.signer()).getEncoded();
        for (int cut = 0; cut < der.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(der, cut);
            assertNull(CertificateKeyAlgorithm.subjectPublicKeyInfo(truncated), "cut at " + cut);
            assertEquals("unknown", CertificateKeyAlgorithm.of(truncated), "cut at " + cut);
        }
        byte[] indefinite = der.clone();
        indefinite[1] = (byte) 0x80;
        assertNull(CertificateKeyAlgorithm.subjectPublicKeyInfo(indefinite));
        byte[] notASequence = der.clone();
        notASequence[0] = 0x31;
        assertNull(CertificateKeyAlgorithm.subjectPublicKeyInfo(notASequence));
        assertEquals("unknown", CertificateKeyAlgorithm.of(new byte[]{0x30, 0x03, 0x02, 0x01, 0x01}));
        assertEquals("unknown", CertificateKeyAlgorithm.of(new byte[0]));
    }
}
