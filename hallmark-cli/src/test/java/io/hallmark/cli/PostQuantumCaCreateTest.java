package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hallmark ca create --algorithm} after init: an SLH-DSA root over an ML-DSA issuing CA, and composite ML-DSA chains
 * (with ECDSA, with Ed25519), each with a device certificate, validated by BouncyCastle's PKIX; OIDs as FIPS 205 / RFC 9909
 * and the composite specification assign them.
 */
class PostQuantumCaCreateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void bouncyCastle() {
        if (Security.getProvider("BC") == null) Security.addProvider(new BouncyCastleProvider());
    }

    @Test
    void slhDsaRootAndCompositeChainsValidateWithBouncyCastle() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        // SLH-DSA-SHA2-128s root (FIPS 205; id-slh-dsa-sha2-128s 2.16.840.1.101.3.4.3.20) over an ML-DSA-44 issuing CA.
        chain(data, "slh-root", "slh-dsa-sha2-128s", "slh-ldevid-ca", "ml-dsa-44", "ml-dsa-44",
                "2.16.840.1.101.3.4.3.20", "2.16.840.1.101.3.4.3.17");
        // Composite ML-DSA (1.3.6.1.5.5.7.6.46 id-MLDSA65-ECDSA-P384-SHA512 over 1.3.6.1.5.5.7.6.40 id-MLDSA44-ECDSA-P256-SHA256),
        // the names given as the specification spells them.
        chain(data, "hybrid-root", "id-MLDSA65-ECDSA-P384-SHA512", "hybrid-ca", "id-MLDSA44-ECDSA-P256-SHA256", "mldsa44-ecdsa-p256-sha256",
                "1.3.6.1.5.5.7.6.46", "1.3.6.1.5.5.7.6.40");
        // And with Ed25519: 1.3.6.1.5.5.7.6.48 id-MLDSA65-Ed25519-SHA512 over 1.3.6.1.5.5.7.6.39 id-MLDSA44-Ed25519-SHA512.
        chain(data, "ed-hybrid-root", "mldsa65-ed25519-sha512", "ed-hybrid-ca", "mldsa44-ed25519-sha512", "mldsa44-ed25519-sha512",
                "1.3.6.1.5.5.7.6.48", "1.3.6.1.5.5.7.6.39");

        JsonNode cas = JSON.readTree(Cli.ok(data, "ca", "list", "--json").out());
        assertEquals("slh-dsa-sha2-128s", PostQuantumChainTest.find(cas, "slh-root").path("algorithm").asText());
        assertEquals("mldsa44-ecdsa-p256-sha256", PostQuantumChainTest.find(cas, "hybrid-ca").path("algorithm").asText());
        assertTrue(Cli.ok(data, "inventory", "--algorithm", "id-MLDSA44-Ed25519-SHA512", "--json").out().contains("ed-hybrid-ca-leaf"));

        // Refusals, one line each, nothing created.
        Cli.Run unknown = Cli.run(data, "ca", "create", "--name", "x-root", "--algorithm", "ml-dsa-99");
        assertEquals(ExitCodes.BAD_INPUT, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().startsWith("hallmark: unknown key algorithm 'ml-dsa-99' (known: ec-p256, "), unknown::toString);
        Cli.Run twice = Cli.run(data, "ca", "create", "--name", "slh-root", "--algorithm", "ml-dsa-65");
        assertEquals(ExitCodes.CONFLICT, twice.exit(), twice::toString);
        Cli.Run orphan = Cli.run(data, "ca", "create", "--name", "orphan-ca", "--parent", "no-such-ca", "--algorithm", "ml-dsa-44");
        assertEquals(ExitCodes.NOT_FOUND, orphan.exit(), orphan::toString);
        String list = Cli.ok(data, "ca", "list").out();
        assertFalse(list.contains("x-root") || list.contains("orphan-ca"), list);
    }

    private void chain(Path data, String root, String rootAlg, String ca, String caAlg, String leafAlg, String rootOid, String caOid) throws Exception {
        Cli.ok(data, "ca", "create", "--name", root, "--algorithm", rootAlg, "--subject", "CN=" + root + ",O=T", "--path-len", "0");
        Cli.Run created = Cli.ok(data, "ca", "create", "--name", ca, "--parent", root, "--algorithm", caAlg, "--profiles", "ldevid", "--validity", "5y");
        assertTrue(created.out().contains(ca), created::toString);
        Path leafPem = dir.resolve(ca + "-leaf.pem");
        Cli.ok(data, "issue", "--ca", ca, "--profile", "ldevid", "--generate-key", "--key-algorithm", leafAlg, "--subject", "CN=" + ca + "-leaf",
                "--serial-number", ca + "-leaf", "--out", leafPem.toString());
        X509Certificate rootCert = PostQuantumChainTest.jdk(data.resolve("ca/" + root + ".pem"));
        X509Certificate caCert = PostQuantumChainTest.jdk(data.resolve("ca/" + ca + ".pem"));
        X509Certificate leaf = PostQuantumChainTest.jdk(leafPem);
        assertEquals(rootOid, rootCert.getSigAlgOID());
        assertEquals(rootOid, caCert.getSigAlgOID(), "the root signs with its own algorithm");
        assertEquals(caOid, leaf.getSigAlgOID());
        assertEquals(caOid, new JcaX509CertificateHolder(caCert).getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
        CertPathValidator.getInstance("PKIX", "BC").validate(PostQuantumChainTest.path(leaf, caCert),
                PostQuantumChainTest.parameters(rootCert, List.of(), false));
        // A certificate whose signature was altered fails the same validation: the check is real.
        byte[] der = leaf.getEncoded();
        der[der.length - 10] ^= 1;
        X509Certificate forged = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        org.junit.jupiter.api.Assertions.assertThrows(java.security.cert.CertPathValidatorException.class,
                () -> CertPathValidator.getInstance("PKIX", "BC").validate(PostQuantumChainTest.path(forged, caCert),
                        PostQuantumChainTest.parameters(rootCert, List.of(), false)));
        assertTrue(Files.exists(data.resolve("ca/" + ca + "-chain.pem")));
    }
}
