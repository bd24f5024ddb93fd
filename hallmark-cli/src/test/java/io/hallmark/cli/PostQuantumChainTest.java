package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.HallmarkServer;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A post-quantum chain beside the classical one, declared in the hierarchy file: ML-DSA-65 root, ML-DSA-44 issuing CA,
 * an ML-DSA-44 LDevID from a JDK keytool CSR through {@code hallmark issue}, validated by the JDK's PKIX validator (SUN)
 * and BouncyCastle's; its CRL and OCSP answers, good and revoked, verified by both; an ML-DSA CSR refused by a profile
 * that allows P-256 only, nothing stored.
 */
class PostQuantumChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIERARCHY = """
            cas:
              - {name: root, subject: "CN=T Root CA,O=T", algorithm: ec-p384, pathLen: 1}
              - {name: ldevid-ca, parent: root, subject: "CN=T LDevID CA,O=T", validity: 10y, profiles: [p256-ldevid]}
              - {name: clients-ca, parent: root, subject: "CN=T Clients CA,O=T", validity: 10y, profiles: [client, server]}
              - {name: pq-root, subject: "CN=T PQ Root CA,O=T", algorithm: ml-dsa-65, pathLen: 1}
              - {name: pq-ldevid-ca, parent: pq-root, subject: "CN=T PQ LDevID CA,O=T", algorithm: ml-dsa-44, validity: 10y, profiles: [ldevid]}
            profiles:
              - name: p256-ldevid
                kind: end-entity
                validity: 90d
                keyUsage: [digitalSignature]
                extendedKeyUsage: [clientAuth]
                keys: {allowed: [ec-p256]}
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void bouncyCastle() {
        if (Security.getProvider("BC") == null) Security.addProvider(new BouncyCastleProvider());
    }

    @Test
    void mlDsaChainFromAKeytoolCsrValidatesWithTheJdkAndBouncyCastleWithCrlAndOcsp() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(dir.resolve("hierarchy.yaml"), HIERARCHY);
        Cli.ok(data, "init", "--hierarchy", dir.resolve("hierarchy.yaml").toString());
        Cli.ok(data, "publication", "--base-url", "http://pki.example.com");
        JsonNode cas = JSON.readTree(Cli.ok(data, "ca", "list", "--json").out());
        assertEquals("ml-dsa-65", find(cas, "pq-root").path("algorithm").asText());
        assertEquals("ml-dsa-44", find(cas, "pq-ldevid-ca").path("algorithm").asText());

        // Two devices with JDK keytool keys: one to stay good, one to revoke.
        Path good = keytoolCsr("good", "CN=pq-good"), bad = keytoolCsr("bad", "CN=pq-bad");

        // The P-256-only profile refuses the ML-DSA CSR with its reason; nothing is stored.
        int before = JSON.readTree(Cli.ok(data, "cert", "list", "--json").out()).size();
        Cli.Run refused = Cli.run(data, "issue", "--ca", "ldevid-ca", "--profile", "p256-ldevid", "--csr", good.toString(),
                "--serial-number", "PQ-0", "--out", dir.resolve("refused.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("ml-dsa-44 keys are not allowed by this profile (allowed: ec-p256)"), refused::toString);
        assertEquals(before, JSON.readTree(Cli.ok(data, "cert", "list", "--json").out()).size(), "nothing stored");
        assertTrue(Files.notExists(dir.resolve("refused.pem")));

        Cli.ok(data, "issue", "--ca", "pq-ldevid-ca", "--profile", "ldevid", "--csr", good.toString(), "--serial-number", "PQ-1",
                "--out", dir.resolve("good.pem").toString());
        Cli.ok(data, "issue", "--ca", "pq-ldevid-ca", "--profile", "ldevid", "--csr", bad.toString(), "--serial-number", "PQ-2",
                "--out", dir.resolve("bad.pem").toString());
        X509Certificate root = jdk(data.resolve("ca/pq-root.pem")), issuing = jdk(data.resolve("ca/pq-ldevid-ca.pem"));
        X509Certificate leaf = jdk(dir.resolve("good.pem")), revoked = jdk(dir.resolve("bad.pem"));

        // FIPS 204 / RFC 9881 identifiers, parameters absent, in the certificates' signature and key fields.
        assertEquals("2.16.840.1.101.3.4.3.18", root.getSigAlgOID());
        assertEquals("2.16.840.1.101.3.4.3.18", issuing.getSigAlgOID());
        assertEquals("2.16.840.1.101.3.4.3.17", leaf.getSigAlgOID());
        assertNull(leaf.getSigAlgParams());
        assertEquals("2.16.840.1.101.3.4.3.17", new JcaX509CertificateHolder(leaf).getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
        // The store records the key algorithm by name: the inventory finds both devices (and the ML-DSA-44 CA's own certificate).
        String recorded = Cli.ok(data, "inventory", "--algorithm", "ml-dsa-44", "--json").out();
        assertTrue(recorded.contains(leaf.getSerialNumber().toString(16)) && recorded.contains(revoked.getSerialNumber().toString(16)), recorded);
        assertTrue(Cli.ok(data, "inventory", "--algorithm", "ml-dsa-65", "--json").out().contains(root.getSerialNumber().toString(16)));

        // No revocation checking: the JDK (SUN) and BouncyCastle both build and validate the ML-DSA chain.
        for (String provider : List.of("SUN", "BC")) {
            PKIXParameters p = parameters(root, List.of(), false);
            CertPathValidator.getInstance("PKIX", provider).validate(path(leaf, issuing), p);
        }
        assertEquals("SUN", CertPathValidator.getInstance("PKIX", "SUN").getProvider().getName());

        Cli.ok(data, "revoke", revoked.getSerialNumber().toString(16), "--reason", "keyCompromise");

        // The CRL, signed ML-DSA-44 by the issuing CA: JDK and BouncyCastle verify it; with it, both validators pass the
        // good certificate and refuse the revoked one.
        Path crlFile = dir.resolve("pq.crl");
        Cli.ok(data, "crl", "generate", "--ca", "pq-ldevid-ca", "--out", crlFile.toString());
        byte[] crlDer = Files.readAllBytes(crlFile);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crlDer));
        assertEquals("2.16.840.1.101.3.4.3.17", crl.getSigAlgOID());
        crl.verify(issuing.getPublicKey(), "SUN");
        assertTrue(new X509CRLHolder(crlDer).isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(issuing)));
        assertTrue(crl.isRevoked(revoked) && !crl.isRevoked(leaf));
        Path rootCrl = dir.resolve("pq-root.crl");
        Cli.ok(data, "crl", "generate", "--ca", "pq-root", "--out", rootCrl.toString());
        X509CRL rootList = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(rootCrl));
        rootList.verify(root.getPublicKey());
        for (String provider : List.of("SUN", "BC")) {
            CertPathValidator validator = CertPathValidator.getInstance("PKIX", provider);
            PKIXParameters p = parameters(root, List.of(crl, rootList), true);
            if (provider.equals("SUN")) {
                PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
                p.addCertPathChecker(checker);
            }
            validator.validate(path(leaf, issuing), p);
            CertPathValidatorException e = assertThrows(CertPathValidatorException.class, () -> validator.validate(path(revoked, issuing), p), provider);
            // SUN: "Certificate has been revoked, reason: KEY_COMPROMISE..."; BC: "Certificate revocation after ..., reason: keyCompromise"
            assertTrue(String.valueOf(e.getMessage()).toLowerCase().matches("(?s).*revo(ked|cation).*key_?compromise.*"), provider + ": " + e.getMessage());
        }

        // OCSP over HTTP from the real server: the JDK's OCSP revocation checker, and BouncyCastle on the same answers.
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(data, null),
                new KeyVaults(new SoftwareKeyVault(data.resolve("keys"), () -> Passphrase.resolve(data, false))), Clock.systemUTC());
             HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0, List.of("127.0.0.1"), null))) {
            java.net.URI ocsp = server.httpUri().resolve("/ocsp");
            CertPathValidator validator = CertPathValidator.getInstance("PKIX", "SUN");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            checker.setOcspResponder(ocsp);
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK));
            PKIXParameters p = parameters(root, List.of(), false);
            p.addCertPathChecker(checker);
            validator.validate(path(leaf, issuing), p);
            CertPathValidatorException e = assertThrows(CertPathValidatorException.class, () -> validator.validate(path(revoked, issuing), p));
            assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason(), e::toString);

            BasicOCSPResp goodAnswer = ocsp(ocsp, leaf, issuing);
            BasicOCSPResp revokedAnswer = ocsp(ocsp, revoked, issuing);
            for (BasicOCSPResp answer : List.of(goodAnswer, revokedAnswer)) {
                assertEquals("2.16.840.1.101.3.4.3.17", answer.getSignatureAlgOID().getId());
                X509CertificateHolder responder = answer.getCerts()[0];
                assertTrue(responder.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(issuing)));
                assertTrue(answer.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(responder)));
                // The JDK alone: the responder certificate under the CA, the answer's signature under the responder's key.
                X509Certificate responderJdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(responder.getEncoded()));
                responderJdk.verify(issuing.getPublicKey(), "SUN");
                java.security.Signature s = java.security.Signature.getInstance("ML-DSA", "SUN");
                s.initVerify(responderJdk.getPublicKey());
                s.update(answer.getTBSResponseData());
                assertTrue(s.verify(answer.getSignature()));
            }
            assertNull(goodAnswer.getResponses()[0].getCertStatus(), "good");
            assertInstanceOf(RevokedStatus.class, revokedAnswer.getResponses()[0].getCertStatus());
        }
    }

    private Path keytoolCsr(String alias, String dn) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Peers.Result gen = Peers.run(dir, keytool.toString(), "-genkeypair", "-keyalg", "ML-DSA-44", "-alias", alias, "-dname", dn,
                "-keystore", alias + ".p12", "-storetype", "PKCS12", "-storepass", "changeit");
        assertEquals(0, gen.exit(), gen::all);
        Peers.Result req = Peers.run(dir, keytool.toString(), "-certreq", "-alias", alias, "-keystore", alias + ".p12", "-storepass", "changeit",
                "-file", alias + ".csr");
        assertEquals(0, req.exit(), req::all);
        return dir.resolve(alias + ".csr");
    }

    private static BasicOCSPResp ocsp(java.net.URI uri, X509Certificate cert, X509Certificate issuer) throws Exception {
        var id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/ocsp-request").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        OCSPResp resp = new OCSPResp(response.body());
        assertEquals(OCSPResp.SUCCESSFUL, resp.getStatus());
        return (BasicOCSPResp) resp.getResponseObject();
    }

    static JsonNode find(JsonNode list, String name) {
        for (JsonNode n : list) if (n.path("name").asText().equals(name)) return n;
        throw new AssertionError(name + " not in " + list);
    }

    static X509Certificate jdk(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE")));
    }

    static java.security.cert.CertPath path(X509Certificate... certs) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(List.of(certs));
    }

    static PKIXParameters parameters(X509Certificate anchor, List<X509CRL> crls, boolean revocation) throws Exception {
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        p.setRevocationEnabled(revocation);
        if (!crls.isEmpty()) p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(new ArrayList<>(crls))));
        return p;
    }
}
