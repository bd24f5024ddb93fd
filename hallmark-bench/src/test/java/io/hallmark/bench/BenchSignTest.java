package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signing benchmark, short: the software vault beside openssl speed. (The PKCS#11 side needs SOFTHSM2_CONF in
 * the process's environment; the vault itself is tested against SoftHSM2 in hallmark-core and hallmark-cli.)
 */
class BenchSignTest {

    @Test
    void theSoftwareVaultSignsBesideOpensslSpeed() throws Exception {
        Peers.tool("openssl");
        Cli.Run r = Cli.raw("bench", "sign", "--vault", "software", "--threads", "1", "--seconds", "1", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("software", j.get("vault").asText());
        assertEquals(1, j.get("threads").asInt());
        assertTrue(j.get("signatures").asLong() > 0 && j.get("signaturesPerSecond").asDouble() > 0, r::toString);
        assertTrue(j.get("opensslSignPerSecond").asDouble() > 0, r::toString);
    }

    @Test
    void thePkcs11VaultWithoutItsTokenIsBadInput() {
        Cli.Run r = Cli.raw("bench", "sign", "--vault", "pkcs11", "--no-peers");
        assertEquals(3, r.exit(), r::toString);
        assertTrue(r.err().contains("needs --pkcs11-library, --pkcs11-token and --pkcs11-pin-file"), r::toString);
        Cli.Run unknown = Cli.raw("bench", "sign", "--vault", "tpm", "--no-peers");
        assertEquals(3, unknown.exit(), unknown::toString);
    }
}
