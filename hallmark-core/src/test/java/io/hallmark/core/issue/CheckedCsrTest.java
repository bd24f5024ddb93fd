package io.hallmark.core.issue;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckedCsrTest {

    private static final X500Name SUBJECT = new X500Name("CN=Sensor,SERIALNUMBER=SN-0001");

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    private static byte[] csr(KeyPair keys, String signatureAlgorithm) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(SUBJECT, keys.getPublic())
                .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()))
                .getEncoded();
    }

    private static byte[] p256Csr() throws Exception {
        return csr(KeyAlgorithm.EC_P256.generate(), "SHA256withECDSA");
    }

    private static String rejected(byte[] input) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> CheckedCsr.check(input, KeyPolicy.DEFAULT));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(!e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void acceptsDer() throws Exception {
        CheckedCsr checked = CheckedCsr.check(p256Csr(), KeyPolicy.DEFAULT);
        assertEquals(SUBJECT, checked.subject());
        assertEquals("ec-p256", checked.keyDescription());
    }

    @Test
    void acceptsPemWithEitherLabel() throws Exception {
        byte[] der = p256Csr();
        for (String label : new String[]{"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"}) {
            byte[] pem = Pem.encode(label, der).getBytes(StandardCharsets.US_ASCII);
            CheckedCsr checked = CheckedCsr.check(pem, KeyPolicy.DEFAULT);
            assertEquals(SUBJECT, checked.subject());
            assertEquals(checked.publicKey(), CheckedCsr.check(der, KeyPolicy.DEFAULT).publicKey());
        }
    }

    @Test
    void acceptsEd25519AndRsa() throws Exception {
        assertEquals("ed25519", CheckedCsr.check(csr(KeyAlgorithm.ED25519.generate(), "Ed25519"), KeyPolicy.DEFAULT).keyDescription());
        assertEquals("rsa-2048", CheckedCsr.check(csr(KeyAlgorithm.RSA_2048.generate(), "SHA256withRSA"), KeyPolicy.DEFAULT).keyDescription());
    }

    @Test
    void rejectsGarbage() {
        assertTrue(rejected("hello, I am not a CSR".getBytes(StandardCharsets.US_ASCII)).contains("not a PKCS#10"));
    }

    @Test
    void rejectsPemOfTheWrongType() throws Exception {
        byte[] pem = Pem.encode("CERTIFICATE", p256Csr()).getBytes(StandardCharsets.US_ASCII);
        assertTrue(rejected(pem).contains("CERTIFICATE REQUEST"));
    }

    @Test
    void rejectsABrokenSignature() throws Exception {
        byte[] der = p256Csr();
        der[der.length - 1] ^= 0x01; // last byte of the signature BIT STRING
        assertTrue(rejected(der).contains("proof of possession"));
    }

    @Test
    void rejectsASignatureByAnotherKey() throws Exception {
        KeyPair subjectKeys = KeyAlgorithm.EC_P256.generate();
        KeyPair otherKeys = KeyAlgorithm.EC_P256.generate();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(SUBJECT, subjectKeys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(otherKeys.getPrivate())).getEncoded();
        assertTrue(rejected(der).contains("proof of possession"));
    }

    @Test
    void rejectsRsa1024() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        String message = rejected(csr(g.generateKeyPair(), "SHA256withRSA"));
        assertTrue(message.contains("1024") && message.contains("too weak"), message);
    }

    @Test
    void rejectsEmptyInput() {
        assertTrue(rejected(new byte[0]).contains("empty CSR"));
        HallmarkException e = assertThrows(HallmarkException.class, () -> CheckedCsr.check(null, KeyPolicy.DEFAULT));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
    }

    @Test
    void rejectsTrailingBytesAfterTheDer() throws Exception {
        byte[] der = p256Csr();
        byte[] padded = Arrays.copyOf(der, der.length + 4);
        padded[der.length] = 0x05; // a NULL, then two stray bytes
        padded[der.length + 2] = 0x42;
        assertTrue(rejected(padded).contains("not a PKCS#10"));
        byte[] zeros = Arrays.copyOf(der, der.length + 2);
        assertTrue(rejected(zeros).contains("not a PKCS#10"));
    }

    @Test
    void rejectsATruncatedCsr() throws Exception {
        byte[] der = p256Csr();
        assertTrue(rejected(Arrays.copyOf(der, der.length - 10)).contains("not a PKCS#10"));
    }

    @Test
    void rejectsOversizedInputBeforeParsing() throws Exception {
        byte[] huge = Arrays.copyOf(p256Csr(), 70 * 1024);
        String message = rejected(huge);
        assertTrue(message.contains("larger than") && message.contains(Integer.toString(CheckedCsr.MAX_BYTES)), message);
    }
}
