package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.cli.Cli;
import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The CRL benchmark at a small size: openssl ca -gencrl signs the same revocations with the CA key the bench hands it. */
class BenchCrlTest {

    @Test
    void bothSidesSignTheSameRevocations() throws Exception {
        Peers.tool("openssl");
        Cli.Run r = Cli.raw("bench", "crl", "--revoked", "200", "--runs", "2", "--with-bc-builder", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(200, j.get("revoked").asInt());
        assertEquals(2, j.get("runs").asInt());
        // The bench has checked that both CRLs verify and hold the 200 entries; the same entries and key make
        // DER of the same size, give or take the signature's length and the CRL number's encoding.
        int ours = j.get("hallmarkDerBytes").asInt();
        assertEquals(ours, j.get("opensslDerBytes").asInt(), 4, r::toString);
        assertTrue(j.get("hallmarkMs").asDouble() > 0 && j.get("opensslMs").asDouble() > 0 && j.get("bcBuilderMs").asDouble() > 0, r::toString);
        assertTrue(j.get("openssl").asText().startsWith("OpenSSL "), r::toString);
    }
}
