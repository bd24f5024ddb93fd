package io.hallmark.core.crypto;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The post-quantum KeyAlgorithm constants as other code uses them: parse, generate, a CSR signed with the key (what the device
 * agent and EST serverkeygen do), its proof of possession verified, the key described by KeyPolicy, the signature named by
 * SignatureAlgorithmPolicy; OIDs as FIPS 204/205 (RFC 9881, RFC 9909) and the composite specification assign them.
 */
class PostQuantumKeysTest {

    private static final Map<String, String> OIDS = Map.ofEntries(
            Map.entry("ml-dsa-44", "2.16.840.1.101.3.4.3.17"), Map.entry("ml-dsa-65", "2.16.840.1.101.3.4.3.18"),
            Map.entry("ml-dsa-87", "2.16.840.1.101.3.4.3.19"), Map.entry("slh-dsa-sha2-128s", "2.16.840.1.101.3.4.3.20"),
            Map.entry("slh-dsa-sha2-128f", "2.16.840.1.101.3.4.3.21"), Map.entry("slh-dsa-sha2-192s", "2.16.840.1.101.3.4.3.22"),
            Map.entry("slh-dsa-sha2-256s", "2.16.840.1.101.3.4.3.24"), Map.entry("slh-dsa-shake-128s", "2.16.840.1.101.3.4.3.26"),
            Map.entry("mldsa44-ed25519-sha512", "1.3.6.1.5.5.7.6.39"), Map.entry("mldsa44-ecdsa-p256-sha256", "1.3.6.1.5.5.7.6.40"),
            Map.entry("mldsa65-ecdsa-p256-sha512", "1.3.6.1.5.5.7.6.45"), Map.entry("mldsa65-ecdsa-p384-sha512", "1.3.6.1.5.5.7.6.46"),
            Map.entry("mldsa65-ed25519-sha512", "1.3.6.1.5.5.7.6.48"), Map.entry("mldsa87-ecdsa-p384-sha512", "1.3.6.1.5.5.7.6.49"));

    @Test
    void everyPostQuantumKeySignsACsrWhoseProofOfPossessionVerifies() throws Exception {
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (!a.postQuantum()) continue;
            assertEquals(OIDS.get(a.id()), a.oid().getId(), a.id());
            var keys = a.generate();
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(Csrs.create(keys, a, new X500Name("CN=" + a.id())));
            AlgorithmIdentifier signature = csr.getSignatureAlgorithm();
            assertEquals(OIDS.get(a.id()), signature.getAlgorithm().getId(), a.id());
            assertNull(signature.getParameters(), "parameters absent: " + a.id());
            assertEquals(OIDS.get(a.id()), csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
            assertTrue(Signatures.verify(signature, csr.getSubjectPublicKeyInfo(), csr.toASN1Structure().getCertificationRequestInfo().getEncoded(),
                    csr.getSignature()), a.id());
            byte[] tampered = csr.getSignature().clone();
            tampered[tampered.length / 2] ^= 1;
            assertFalse(Signatures.verify(signature, csr.getSubjectPublicKeyInfo(), csr.toASN1Structure().getCertificationRequestInfo().getEncoded(),
                    tampered), a.id());
            assertNull(SignatureAlgorithmPolicy.refusal(signature), a.id());
            assertEquals(a.id(), KeyPolicy.DEFAULT.check(csr.getSubjectPublicKeyInfo()));
            assertEquals(a, KeyAlgorithm.ofPostQuantumKey(keys.getPublic()));
        }
        assertEquals("id-ml-dsa-44", SignatureAlgorithmPolicy.name(new AlgorithmIdentifier(KeyAlgorithm.ML_DSA_44.oid())));
        assertEquals("id-MLDSA44-ECDSA-P256-SHA256", SignatureAlgorithmPolicy.name(new AlgorithmIdentifier(KeyAlgorithm.MLDSA44_ECDSA_P256_SHA256.oid())));
        assertTrue(SignatureAlgorithmPolicy.isName("id-slh-dsa-sha2-128s"));
    }

    @Test
    void mlDsaIsTheJdksOwnAndNamesParseAsTheSpecificationsSpellThem() throws Exception {
        assertEquals("SUN", KeyAlgorithm.ML_DSA_44.newSignature().getProvider().getName());
        assertEquals("SUN", KeyAlgorithm.ML_DSA_65.keyFactory().getProvider().getName());
        assertEquals(KeyAlgorithm.MLDSA44_ECDSA_P256_SHA256, KeyAlgorithm.parse("id-MLDSA44-ECDSA-P256-SHA256"));
        assertEquals(KeyAlgorithm.MLDSA65_ED25519_SHA512, KeyAlgorithm.parse("MLDSA65-Ed25519-SHA512"));
        assertEquals(KeyAlgorithm.ML_DSA_87, KeyAlgorithm.parse(" ML-DSA-87 "));
        assertFalse(KeyAlgorithm.EC_P256.postQuantum());
        HallmarkException e = assertThrows(HallmarkException.class, () -> KeyAlgorithm.parse("dilithium2"));
        assertTrue(e.getMessage().contains("ml-dsa-44"), e.getMessage());
    }

    @Test
    void malformedPostQuantumKeysAndUnlistedKindsAreRefused() {
        SubjectPublicKeyInfo good = SubjectPublicKeyInfo.getInstance(KeyAlgorithm.ML_DSA_44.generate().getPublic().getEncoded());
        byte[] raw = good.getPublicKeyData().getBytes();
        var shortKey = new SubjectPublicKeyInfo(good.getAlgorithm(), Arrays.copyOf(raw, raw.length - 1));
        HallmarkException e = assertThrows(HallmarkException.class, () -> KeyPolicy.DEFAULT.check(shortKey));
        assertEquals("malformed ml-dsa-44 public key: 1311 bytes, not 1312", e.getMessage());
        var withParameters = new SubjectPublicKeyInfo(new AlgorithmIdentifier(KeyAlgorithm.ML_DSA_44.oid(), DERNull.INSTANCE), new DERBitString(raw));
        assertThrows(HallmarkException.class, () -> KeyPolicy.DEFAULT.check(withParameters));
        HallmarkException notAllowed = assertThrows(HallmarkException.class, () -> new KeyPolicy(Set.of("ec-p256"), 2048).check(good));
        assertEquals("ml-dsa-44 keys are not allowed by this profile (allowed: ec-p256)", notAllowed.getMessage());
        assertEquals(Set.of("ml-dsa-44"), KeyPolicy.of(java.util.List.of("ml-dsa-44"), null).allowed());
    }
}
