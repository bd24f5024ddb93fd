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

    @Test
    void fromStoreTimesTheCrlServiceOverRevocationsItLoadedIntoSqlite() throws Exception {
        Peers.tool("openssl");
        Cli.Run r = Cli.raw("bench", "crl", "--from-store", "--revoked", "300", "--runs", "2", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("sqlite", j.get("db").asText(), r::toString);
        assertEquals(300, j.get("revoked").asInt());
        assertEquals(2, j.get("hallmarkRunsMs").size());
        // Both CRLs were checked to hold the 300 revocations read from the store and to verify; the same entries,
        // so DER of the same size give or take the signature's and the CRL number's lengths.
        assertEquals(j.get("hallmarkDerBytes").asInt(), j.get("opensslDerBytes").asInt(), 4, r::toString);
        assertTrue(j.get("hallmarkMs").asDouble() > 0 && j.get("hallmarkCpuMs").asDouble() > 0 && j.get("storeReadMs").asDouble() > 0, r::toString);
        assertTrue(j.get("opensslMs").asDouble() > 0 && j.get("opensslCpuMs").asDouble() >= 0, r::toString);
    }

    @Test
    void fromStoreOnPostgresqlUsesAFreshSchemaAndDropsIt() throws Exception {
        Peers.tool("openssl");
        try (io.hallmark.testing.TestPostgres db = io.hallmark.testing.TestPostgres.create()) {
            Cli.Run r = Cli.raw("--db", db.url(), "bench", "crl", "--from-store", "--revoked", "200", "--runs", "1", "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals("postgresql", j.get("db").asText(), r::toString);
            assertEquals(200, j.get("revoked").asInt());
            String schema = j.get("store").asText().replaceAll(".*currentSchema=", "").replaceAll("[&?].*", "");
            assertTrue(schema.startsWith("hallmark_bench_crl_"), r::toString);
            try (var c = java.sql.DriverManager.getConnection(db.url());
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "the bench's schema is dropped afterwards");
            }
        }
    }
}
