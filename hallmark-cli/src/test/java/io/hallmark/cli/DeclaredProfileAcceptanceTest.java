package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.HallmarkServer;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profile declared only in a hierarchy file (a subject attribute by OID, a DNS SAN, critical cA=FALSE, a
 * certificate policy) issues the same extensions through {@code hallmark issue}, EST and a factory batch, and a
 * CSR that breaks its subject template is refused with the reason on each path, nothing stored.
 */
class DeclaredProfileAcceptanceTest {

    private static final String HIERARCHY = """
            cas:
              - {name: root, subject: "CN=Test Root,O=Example", validity: forever, pathLen: 1}
              - {name: idevid-ca, parent: root, subject: "CN=Test IDevID CA,O=Example", validity: forever, profiles: [idevid]}
              - {name: dac-ca, parent: root, subject: "CN=Test DAC CA,O=Example", validity: forever, profiles: [dac]}
              - {name: clients-ca, parent: root, subject: "CN=Test Clients CA,O=Example", profiles: [client, server]}
            profiles:
              - name: dac
                kind: end-entity
                validity: forever
                keyUsage: [digitalSignature]
                subject:
                  closed: true
                  attributes:
                    - {type: commonName, presence: required}
                    - {type: organizationName, presence: fixed, value: Example}
                    - {type: serialNumber, presence: optional}
                    - {type: 1.3.6.1.4.1.37244.2.1, presence: required, stringType: utf8, minLength: 4, maxLength: 4}
                subjectAltNames: {allowed: [dns], required: [dns]}
                basicConstraints: {critical: true}
                certificatePolicies:
                  - {oid: 1.3.6.1.4.1.99999.7.1, cpsUri: "https://pki.example.com/cps"}
            """;
    private static final String GOOD_SUBJECT = "/CN=sensor/O=Example/matterVid=FFF1";
    /** openssl's -subj skips attributes by OID unless a config's oid_section names them. */
    private static final String OPENSSL_CONFIG = """
            oid_section = oids
            [oids]
            matterVid = 1.3.6.1.4.1.37244.2.1
            [req]
            distinguished_name = dn
            string_mask = utf8only
            [dn]
            """;

    @TempDir
    Path dir;

    private Path csr(String name, String subject, String key) {
        Path out = dir.resolve(name + ".csr");
        Path config = dir.resolve("openssl.cnf");
        try {
            Files.writeString(config, OPENSSL_CONFIG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("openssl").toString(), "req", "-new", "-config", config.toString(), "-utf8", "-subj", subject,
                "-addext", "subjectAltName=DNS:sensor-1.example.com", "-out", out.toString()));
        if (Files.exists(dir.resolve(key))) cmd.addAll(List.of("-key", key));
        else cmd.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key));
        Peers.Result r = Peers.run(dir, cmd);
        assertEquals(0, r.exit(), r.all());
        return out;
    }

    private static X509CertificateHolder pem(Path file) throws Exception {
        return new X509CertificateHolder(Pem.blocks(Files.readAllBytes(file), "CERTIFICATE").getFirst());
    }

    /** Each extension as OID, criticality and value: the form the three paths must agree on. */
    private static List<String> extensions(X509CertificateHolder cert) {
        List<String> out = new ArrayList<>();
        for (ASN1ObjectIdentifier oid : cert.getExtensions().getExtensionOIDs()) {
            Extension e = cert.getExtension(oid);
            out.add(oid.getId() + (e.isCritical() ? " critical " : " ") + HexFormat.of().formatHex(e.getExtnValue().getOctets()));
        }
        return out;
    }

    /** Certificates of profile dac in the store (the server issues its own TLS certificate when it starts). */
    private int certificateCount(String data) throws Exception {
        Cli.Run list = Cli.run(Path.of(data), "cert", "list", "--json");
        assertEquals(0, list.exit(), list::toString);
        int count = 0;
        for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.out())) {
            if (row.path("profile").asText().equals("dac")) count++;
        }
        return count;
    }

    @Test
    void aDeclaredProfileIssuesTheSameExtensionsThroughIssueEstAndAFactoryBatch() throws Exception {
        Peers.tool("curl");
        String data = dir.resolve("data").toString();
        Files.writeString(dir.resolve("hierarchy.yaml"), HIERARCHY);
        Cli.Run init = Cli.run(Path.of(data), "init", "--hierarchy", dir.resolve("hierarchy.yaml").toString());
        assertEquals(0, init.exit(), init::toString);
        Path good = csr("good", GOOD_SUBJECT, "device.key");
        Path noVid = csr("novid", "/CN=sensor/O=Example", "device.key");

        // hallmark issue
        Cli.Run issued = Cli.run(Path.of(data), "issue", "--ca", "dac-ca", "--profile", "dac", "--csr", good.toString(),
                "--out", dir.resolve("issue.pem").toString());
        assertEquals(0, issued.exit(), issued::toString);
        assertEquals(1, certificateCount(data));
        Cli.Run refused = Cli.run(Path.of(data), "issue", "--ca", "dac-ca", "--profile", "dac", "--csr", noVid.toString(),
                "--out", dir.resolve("refused.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, refused.exit(), refused::toString);
        assertEquals("hallmark: the subject lacks attribute 1.3.6.1.4.1.37244.2.1, which profile dac requires\n", refused.err());
        assertEquals(1, certificateCount(data), "the refused CSR stored nothing");

        // A factory batch: two devices, one whose CSR breaks the template.
        Path csrs = Files.createDirectories(dir.resolve("csrs"));
        Files.copy(good, csrs.resolve("DEV-1.csr"));
        Files.copy(noVid, csrs.resolve("DEV-2.csr"));
        Path out = dir.resolve("batch");
        Cli.run(Path.of(data), "factory", "run", "--ca", "dac-ca", "--profile", "dac", "--csr-dir", csrs.toString(), "--out", out.toString());
        var manifest = FactoryCliTest.manifest(out);
        assertEquals("issued", manifest.get("DEV-1").get(1), manifest::toString);
        assertEquals("error", manifest.get("DEV-2").get(1), manifest::toString); // the manifest's word for a refused item
        assertTrue(String.join(",", manifest.get("DEV-2")).contains("the subject lacks attribute 1.3.6.1.4.1.37244.2.1"), manifest::toString);
        X509CertificateHolder viaFactory = pem(out.resolve(manifest.get("DEV-1").get(6)));

        // EST: an IDevID authenticates the device; the label selects dac-ca and the profile.
        csr("idevid", "/CN=idevid", "idevid.key");
        Cli.Run idevid = Cli.run(Path.of(data), "issue", "--ca", "idevid-ca", "--profile", "idevid", "--csr", dir.resolve("idevid.csr").toString(),
                "--serial-number", "DEV-3", "--out", dir.resolve("idevid.pem").toString());
        assertEquals(0, idevid.exit(), idevid::toString);
        assertEquals(0, Cli.run(Path.of(data), "est", "label", "set", "--name", "dac", "--ca", "dac-ca", "--profile", "dac").exit());
        int stored = certificateCount(data);
        assertEquals(2, stored, "issue and the batch's one good device");
        X509CertificateHolder viaEst;
        String estRefusal;
        Path dataDir = Path.of(data);
        try (Hallmark hallmark = new Hallmark(JdbcStore.open(dataDir, null),
                new KeyVaults(new SoftwareKeyVault(dataDir.resolve("keys"), () -> Passphrase.resolve(dataDir, false))), Clock.systemUTC());
             HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0,
                     List.of("127.0.0.1"), null))) {
            String url = server.httpsUri().resolve("/.well-known/est/dac/simpleenroll").toString();
            viaEst = estEnroll(url, data, good);
            estRefusal = new String(enroll(url, data, noVid, 400), StandardCharsets.UTF_8);
        }
        assertTrue(estRefusal.contains("the subject lacks attribute 1.3.6.1.4.1.37244.2.1, which profile dac requires"), estRefusal);
        assertEquals(stored + 1, certificateCount(data), "the refused EST request stored nothing");

        X509CertificateHolder viaIssue = pem(dir.resolve("issue.pem"));
        // Same key, same CA, no publication configured: every extension is identical, SKI and AKI included.
        assertEquals(extensions(viaIssue), extensions(viaEst));
        assertEquals(extensions(viaIssue), extensions(viaFactory));
        Peers.Result text = Peers.run(dir, "openssl", "x509", "-noout", "-text", "-in", dir.resolve("issue.pem").toString());
        assertTrue(text.out().matches("(?s).*X509v3 Basic Constraints: critical\\s+CA:FALSE.*"), text.out());
        assertTrue(text.out().contains("Policy: 1.3.6.1.4.1.99999.7.1") && text.out().contains("CPS: https://pki.example.com/cps"), text.out());
        assertTrue(text.out().contains("DNS:sensor-1.example.com"), text.out());
        assertTrue(text.out().matches("(?s).*Subject: .*1\\.3\\.6\\.1\\.4\\.1\\.37244\\.2\\.1 ?= ?FFF1.*"), text.out());
    }

    private X509CertificateHolder estEnroll(String url, String data, Path csr) throws Exception {
        return EstCurl.post(dir, url, csr, dir.resolve("idevid.pem"), dir.resolve("idevid.key"), Path.of(data, "ca", "root.pem")).certificate();
    }

    private byte[] enroll(String url, String data, Path csr, int status) throws Exception {
        EstCurl.Answer answer = EstCurl.post(dir, url, csr, dir.resolve("idevid.pem"), dir.resolve("idevid.key"), Path.of(data, "ca", "root.pem"));
        assertEquals(status, answer.status(), () -> url + ": " + answer.body());
        return answer.body().getBytes(StandardCharsets.UTF_8);
    }
}
