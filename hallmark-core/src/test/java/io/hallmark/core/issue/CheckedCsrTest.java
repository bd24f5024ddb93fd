package io.hallmark.core.issue;

import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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

    private static byte[] csr(X500Name subject) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }

    /** A subject of one attribute whose value is encoded exactly as given (BouncyCastle checks nothing here). */
    private static X500Name subject(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new X500NameBuilder().addRDN(type, value).build();
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

    // Review defect 7: device-chosen subjects are issued as sent.

    @Test
    void refusesControlCharactersInTheSubject() throws Exception {
        String[] forged = {
                "x\u001b[2J\u001b[31mFAKE-ROOT\nline", // ESC (terminal escape) and a newline
                "tab\there", "del\u007f", "csi\u009b31m", // C0, DEL, C1 (8-bit CSI)
                "evil\u202egpj.exe", "isolate\u2066x\u2069", // bidi override, isolate
                "two\u2028lines", "two\u2029paragraphs"};
        for (String value : forged) {
            String message = rejected(csr(subject(BCStyle.CN, new DERUTF8String(value))));
            assertTrue(message.contains("commonName") && message.contains("control"), message);
            assertTrue(message.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e || c == 0x2066 || c == 0x2028 || c == 0x2029),
                    "the refusal must not carry the character itself: " + message);
        }
        String inOrganization = rejected(csr(new X500NameBuilder().addRDN(BCStyle.CN, "ok").addRDN(BCStyle.O, new DERUTF8String("Ac\u001bme")).build()));
        assertTrue(inOrganization.contains("organizationName"), inOrganization);
    }

    @Test
    void refusesAttributesLongerThanTheirX520UpperBound() throws Exception {
        String huge = rejected(csr(subject(BCStyle.CN, new DERUTF8String("x".repeat(5000)))));
        assertTrue(huge.contains("commonName") && huge.contains("5000") && huge.contains("64"), huge);
        assertTrue(huge.length() < 300, "the refusal does not repeat the value: " + huge.length() + " characters");
        rejected(csr(subject(BCStyle.CN, new DERUTF8String("x".repeat(65)))));
        assertEquals(64, CheckedCsr.check(csr(subject(BCStyle.CN, new DERUTF8String("\u00e9".repeat(64)))), KeyPolicy.DEFAULT)
                .subject().getRDNs()[0].getFirst().getValue().toString().length(), "64 characters, 128 UTF-8 bytes: within the bound");
        rejected(csr(subject(BCStyle.O, new DERUTF8String("o".repeat(65)))));
        rejected(csr(subject(BCStyle.OU, new DERUTF8String("u".repeat(65)))));
        rejected(csr(subject(BCStyle.L, new DERUTF8String("l".repeat(129)))));
        CheckedCsr.check(csr(subject(BCStyle.L, new DERUTF8String("l".repeat(128)))), KeyPolicy.DEFAULT);
        rejected(csr(subject(BCStyle.ST, new DERUTF8String("s".repeat(129)))));
        rejected(csr(subject(BCStyle.T, new DERUTF8String("t".repeat(65)))));
        rejected(csr(subject(BCStyle.SERIALNUMBER, new DERPrintableString("9".repeat(65)))));
        rejected(csr(subject(BCStyle.EmailAddress, new DERIA5String("a".repeat(250) + "@x.example"))));
        String country = rejected(csr(subject(BCStyle.C, new DERPrintableString("USA"))));
        assertTrue(country.contains("countryName"), country);
        rejected(csr(subject(BCStyle.CN, new DERUTF8String(""))));
    }

    @Test
    void refusesWrongStringTypesAndUnknownAttributes() throws Exception {
        // serialNumber and countryName are PrintableStrings (X.520); '*' is not a PrintableString character.
        rejected(csr(subject(BCStyle.SERIALNUMBER, new DERUTF8String("SN-1"))));
        rejected(csr(subject(BCStyle.SERIALNUMBER, new DERPrintableString("SN*1", false))));
        rejected(csr(subject(BCStyle.C, new DERUTF8String("DE"))));
        // A device's own attribute type: its syntax and bound are unknown, so it is refused, naming the OID.
        String unknown = rejected(csr(subject(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7"), new DERUTF8String("x"))));
        assertTrue(unknown.contains("1.3.6.1.4.1.99999.7"), unknown);
    }

    @Test
    void acceptsOrdinaryDeviceSubjects() throws Exception {
        for (String dn : new String[]{"CN=Sensor,SERIALNUMBER=SN-0001", "CN=gateway-7,O=Acme GmbH,OU=Line 3,L=M\u00fcnchen,ST=Bayern,C=DE",
                "E=ops@example.com,DC=example,DC=com,CN=device \u6e29\u5ea6\u8a08", "UID=dev-1,CN=x,T=thermostat"}) {
            X500Name name = new X500Name(dn);
            assertEquals(name, CheckedCsr.check(csr(name), KeyPolicy.DEFAULT).subject(), dn);
        }
    }

    // Review defect 8: CSRs signed with SHA-1 are accepted.

    @Test
    void refusesSha1AndMd5Signatures() throws Exception {
        KeyPair ec = KeyAlgorithm.EC_P256.generate();
        KeyPair rsa = KeyAlgorithm.RSA_2048.generate();
        assertEquals("CSR signed with ecdsa-with-SHA1; SHA-1 and MD5 signatures are refused, sign with SHA-256 or stronger",
                rejected(csr(ec, "SHA1withECDSA")));
        assertTrue(rejected(csr(rsa, "SHA1withRSA")).startsWith("CSR signed with sha1WithRSAEncryption; SHA-1 and MD5"));
        assertTrue(rejected(csr(rsa, "MD5withRSA")).startsWith("CSR signed with md5WithRSAEncryption; SHA-1 and MD5"));
        assertTrue(rejected(csr(rsa, "SHA1withRSAandMGF1")).startsWith("CSR signed with RSASSA-PSS with SHA-1; SHA-1 and MD5"));
        String sha224 = rejected(csr(ec, "SHA224withECDSA"));
        assertTrue(sha224.startsWith("CSR signed with ecdsa-with-SHA224") && sha224.contains("SHA-256 or stronger"), sha224);
    }

    @Test
    void acceptsSha256AndStrongerSignatures() throws Exception {
        KeyPair ec = KeyAlgorithm.EC_P256.generate();
        KeyPair rsa = KeyAlgorithm.RSA_2048.generate();
        for (String alg : new String[]{"SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA", "SHA3-256withECDSA"}) {
            assertEquals("ec-p256", CheckedCsr.check(csr(ec, alg), KeyPolicy.DEFAULT).keyDescription(), alg);
        }
        for (String alg : new String[]{"SHA256withRSA", "SHA512withRSA", "SHA256withRSAandMGF1", "SHA384withRSAandMGF1"}) {
            assertEquals("rsa-2048", CheckedCsr.check(csr(rsa, alg), KeyPolicy.DEFAULT).keyDescription(), alg);
        }
    }
}
