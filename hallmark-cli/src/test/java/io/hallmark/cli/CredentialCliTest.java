package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** API tokens (lifetime, listing without secrets, revocation) and 'ca revoke' with its confirmation, as an operator types them. */
class CredentialCliTest {

    @TempDir
    Path dir;

    private Cli.Run run(String... args) {
        return Cli.run(dir.resolve("data"), args);
    }

    @Test
    void tokensExpireByDefaultListWithoutSecretsAndRevoke() throws Exception {
        assertEquals(0, run("init").exit());
        String normal = run("token", "create", "--role", "operator", "--name", "ci").out().strip();
        String forever = run("token", "create", "--role", "auditor", "--name", "svc", "--ttl", "never").out().strip();
        assertEquals(3, run("token", "create", "--role", "auditor", "--ttl", "soon").exit(), "a bad lifetime is bad input");

        Cli.Run list = run("token", "list", "--json");
        assertEquals(0, list.exit(), list.err());
        assertFalse(list.out().contains(normal.substring(normal.lastIndexOf('_') + 1)), "no secret in the listing");
        JsonNode tokens = new ObjectMapper().readTree(list.out());
        assertEquals(2, tokens.size());
        JsonNode ci = tokens.get(0), svc = tokens.get(1);
        assertEquals("ci", ci.get("name").asText());
        java.time.Duration life = java.time.Duration.between(java.time.Instant.parse(ci.get("created").asText()), java.time.Instant.parse(ci.get("expires").asText()));
        assertEquals(java.time.Duration.ofDays(90), life, "90 days unless asked otherwise");
        assertEquals("never", svc.get("expires").asText());
        assertEquals("active", ci.get("status").asText());

        String id = normal.split("_")[1];
        assertEquals(0, run("token", "revoke", id).exit());
        assertEquals(5, run("token", "revoke", id).exit(), "revoked twice: conflict");
        assertEquals(4, run("token", "revoke", "nosuchid").exit());
        assertEquals("revoked", new ObjectMapper().readTree(run("token", "list", "--json").out()).get(0).get("status").asText());
        assertTrue(forever.startsWith("hmk_"));
    }

    @Test
    void caRevokeNeedsConfirmationAndStopsIssuanceBelow() throws Exception {
        assertEquals(0, run("init").exit());
        Cli.Run unconfirmed = run("ca", "revoke", "idevid-ca", "--reason", "keyCompromise");
        assertEquals(2, unconfirmed.exit(), unconfirmed.err());
        assertTrue(unconfirmed.err().contains("--confirm"), unconfirmed.err());
        assertEquals(1, unconfirmed.err().strip().lines().count(), "a usage error is one line: " + unconfirmed.err());
        assertTrue(run("ca", "show", "idevid-ca").out().contains("active"));

        Cli.Run done = run("ca", "revoke", "idevid-ca", "--reason", "keyCompromise", "--confirm");
        assertEquals(0, done.exit(), done.err());
        assertTrue(run("ca", "show", "idevid-ca").out().contains("REVOKED"));
        Cli.Run refused = run("issue", "--ca", "idevid-ca", "--profile", "idevid", "--generate-key", "--subject", "CN=x",
                "--serial-number", "AFTER-1", "--out", dir.resolve("x.pem").toString());
        assertEquals(6, refused.exit(), refused.err());
        assertTrue(refused.err().contains("idevid-ca") && refused.err().contains("revoked"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), "one line");
        // The ordinary revoke command refuses CA certificates too.
        String rootSerial = new ObjectMapper().readTree(run("ca", "show", "root", "--json").out()).get("serial").asText();
        assertEquals(6, run("revoke", rootSerial, "--reason", "keyCompromise").exit());
    }
}
