package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPolicyTest {

    @BeforeAll
    static void providers() {
        CryptoProviders.install();
    }

    private static SubjectPublicKeyInfo spki(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    private static SubjectPublicKeyInfo rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return spki(g.generateKeyPair().getPublic());
    }

    private static HallmarkException rejected(KeyPolicy policy, SubjectPublicKeyInfo key) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> policy.check(key));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        return e;
    }

    @Test
    void acceptsTheDefaultKeyKindsAndDescribesThem() throws Exception {
        assertEquals("ec-p256", KeyPolicy.DEFAULT.check(spki(KeyAlgorithm.EC_P256.generate().getPublic())));
        assertEquals("ec-p384", KeyPolicy.DEFAULT.check(spki(KeyAlgorithm.EC_P384.generate().getPublic())));
        assertEquals("ed25519", KeyPolicy.DEFAULT.check(spki(KeyAlgorithm.ED25519.generate().getPublic())));
        assertEquals("rsa-2048", KeyPolicy.DEFAULT.check(rsa(2048)));
        assertEquals("rsa-3072", KeyPolicy.DEFAULT.check(rsa(3072)));
    }

    /** Server-side key generation makes "a key like the CSR's" by this agreement (KeyAlgorithm.toGenerateLike). */
    @Test
    void describesEveryGeneratedKeyByTheIdOfItsAlgorithm() {
        Set<String> kinds = new java.util.HashSet<>(Set.of("ec-p256", "ec-p384", "ec-p521", "ed25519", "ed448", "rsa"));
        for (KeyAlgorithm a : KeyAlgorithm.values()) if (a.postQuantum()) kinds.add(a.id());
        KeyPolicy everything = new KeyPolicy(kinds, 2048);
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            String described = everything.check(spki(a.generate().getPublic()));
            assertEquals(a.id(), described);
            assertEquals(a, KeyAlgorithm.toGenerateLike(described));
        }
    }

    @Test
    void aKeyTypeThePolicyAllowsButNoAlgorithmMakesIsRefusedByName() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp521r1"));
        String p521 = new KeyPolicy(Set.of("ec-p521"), 2048).check(spki(g.generateKeyPair().getPublic()));
        HallmarkException e = assertThrows(HallmarkException.class, () -> KeyAlgorithm.toGenerateLike(p521));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("ec-p521") && e.getMessage().contains("rsa-3072"), e.getMessage());
        assertThrows(HallmarkException.class, () -> KeyAlgorithm.toGenerateLike(KeyPolicy.DEFAULT.check(rsa(2560))));
    }

    @Test
    void rejectsRsa1024NamingSizeAndMinimum() throws Exception {
        String message = rejected(KeyPolicy.DEFAULT, rsa(1024)).getMessage();
        assertTrue(message.contains("1024") && message.contains("minimum"), message);
    }

    @Test
    void enforcesAStricterRsaMinimum() throws Exception {
        KeyPolicy strict = new KeyPolicy(Set.of("rsa"), 3072);
        assertTrue(rejected(strict, rsa(2048)).getMessage().contains("minimum 3072"));
        assertEquals("rsa-3072", strict.check(rsa(3072)));
    }

    @Test
    void refusesToAllowRsaBelow2048() {
        HallmarkException e = assertThrows(HallmarkException.class, () -> new KeyPolicy(Set.of("rsa"), 1024));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
    }

    @Test
    void rejectsSecp256k1() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
        g.initialize(new ECGenParameterSpec("secp256k1"));
        String message = rejected(KeyPolicy.DEFAULT, spki(g.generateKeyPair().getPublic())).getMessage();
        assertTrue(message.contains("1.3.132.0.10") && message.contains("not allowed"), message);
    }

    @Test
    void rejectsP521UnlessAllowed() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp521r1"));
        SubjectPublicKeyInfo key = spki(g.generateKeyPair().getPublic());
        assertTrue(rejected(KeyPolicy.DEFAULT, key).getMessage().contains("ec-p521"));
        assertEquals("ec-p521", new KeyPolicy(Set.of("ec-p521"), 2048).check(key));
    }

    @Test
    void rejectsEd448UnlessAllowed() throws Exception {
        SubjectPublicKeyInfo key = spki(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic());
        String message = rejected(KeyPolicy.DEFAULT, key).getMessage();
        assertTrue(message.contains("ed448") && message.contains("not allowed"), message);
        assertEquals("ed448", new KeyPolicy(Set.of("ed448"), 2048).check(key));
    }

    @Test
    void rejectsKindsLeftOutOfThePolicy() throws Exception {
        KeyPolicy ecOnly = new KeyPolicy(Set.of("ec-p256"), 2048);
        assertTrue(rejected(ecOnly, rsa(2048)).getMessage().contains("rsa-2048 keys are not allowed"));
        assertTrue(rejected(ecOnly, spki(KeyAlgorithm.ED25519.generate().getPublic())).getMessage().contains("ed25519"));
    }

    @Test
    void rejectsExplicitCurveParameters() throws Exception {
        SubjectPublicKeyInfo named = spki(KeyAlgorithm.EC_P256.generate().getPublic());
        var explicit = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(ECNamedCurveTable.getByName("secp256r1"))),
                named.getPublicKeyData().getBytes());
        // As it would arrive in a CSR: parsed from DER.
        SubjectPublicKeyInfo parsed = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(explicit.getEncoded()));
        assertTrue(rejected(KeyPolicy.DEFAULT, parsed).getMessage().contains("explicit curve parameters"));
    }

    @Test
    void jsonIsTheSameTextOnEveryRunAndReadsBack() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        KeyPolicy policy = new KeyPolicy(Set.of("rsa", "ed25519", "ec-p384", "ec-p256"), 3072);
        String text = json.writeValueAsString(policy);
        assertEquals("{\"allowed\":[\"ec-p256\",\"ec-p384\",\"ed25519\",\"rsa\"],\"minRsaBits\":3072}", text);
        assertEquals(policy, json.readValue(text, KeyPolicy.class));
    }

    @Test
    void missingFieldsTakeTheDefaults() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(new KeyPolicy(Set.of("ec-p256"), 2048), json.readValue("{\"allowed\":[\"ec-p256\"]}", KeyPolicy.class));
        assertEquals(new KeyPolicy(KeyPolicy.DEFAULT.allowed(), 3072), json.readValue("{\"minRsaBits\":3072}", KeyPolicy.class));
        assertEquals(KeyPolicy.DEFAULT, KeyPolicy.of(null, null));
        assertEquals(KeyPolicy.DEFAULT, json.readValue("{}", KeyPolicy.class));
    }

    @Test
    void rejectsUnknownAlgorithms() {
        var dsaLike = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_dsa), new byte[]{1, 2, 3});
        assertTrue(rejected(KeyPolicy.DEFAULT, dsaLike).getMessage().contains(X9ObjectIdentifiers.id_dsa.getId()));
    }
}
