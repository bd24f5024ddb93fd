package io.hallmark.server;

import io.hallmark.core.principal.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Revoking a CA over the API: admin only, with an explicit confirmation, then nothing is issued under it. Its own server: the CA stays revoked. */
class CaRevokeApiTest {

    @TempDir
    static Path dir;

    static ServerFixture f;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        api = new ApiClient(f);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void revokesACaOnlyWhenConfirmed() throws Exception {
        assertEquals(403, api.call("POST", "/cas/ldevid-ca/revoke", Role.OPERATOR, "{\"reason\":\"keyCompromise\",\"confirm\":true}").statusCode());
        var unconfirmed = api.call("POST", "/cas/ldevid-ca/revoke", Role.ADMIN, "{\"reason\":\"keyCompromise\"}");
        assertEquals(400, unconfirmed.statusCode());
        assertTrue(unconfirmed.body().contains("confirm"), unconfirmed.body());
        assertTrue(f.hallmark.cas().revocation(f.hallmark.cas().get("ldevid-ca")).isEmpty(), "not revoked without confirmation");

        var done = api.call("POST", "/cas/ldevid-ca/revoke", Role.ADMIN, "{\"reason\":\"keyCompromise\",\"confirm\":true}");
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("revoked", ApiClient.json(done).get("status").asText());
        assertTrue(f.hallmark.cas().revocation(f.hallmark.cas().get("ldevid-ca")).isPresent());
        assertEquals("token:admin-token", api.lastAudit().actor());

        long before = f.certificates();
        var refused = api.call("POST", "/certificates", Role.ADMIN,
                "{\"ca\":\"ldevid-ca\",\"profile\":\"ldevid\",\"serialNumber\":\"R-1\",\"csr\":" + ApiClient.q(ApiClient.csrPem("x")) + "}");
        assertTrue(refused.statusCode() == 409 || refused.statusCode() == 403, refused.statusCode() + " " + refused.body());
        assertTrue(refused.body().contains("revoked"), refused.body());
        assertEquals(before, f.certificates());
        assertEquals(409, api.call("POST", "/cas/ldevid-ca/revoke", Role.ADMIN, "{\"reason\":\"keyCompromise\",\"confirm\":true}").statusCode());
    }
}
