package io.hallmark.core.publication;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.PublicationSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Which base URLs name this machine only, and the rule that keeps them out of never-expiring certificates. */
class LoopbackUrlsTest {

    private static Publication at(String url) {
        return new Publication(url, null, null, null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.1.2.3", "https://localhost:8443/pki", "http://LOCALHOST.", "http://pki.localhost:80",
            "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]", "http://[::ffff:127.0.0.1]:8080", "http://0.0.0.0:8080", "http://[::]:8080"})
    void loopbackBaseUrls(String url) {
        assertTrue(at(url).loopback(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://pki.example.com:8080", "http://10.0.0.5", "http://128.0.0.1", "http://[2001:db8::1]:8080", "http://localhost.example.com",
            "http://1270.0.0.1", "http://my-localhost"})
    void publicBaseUrls(String url) {
        assertFalse(at(url).loopback(), url);
    }

    @Test
    void theHostIsTakenFromTheUrlWithoutPortOrBrackets() {
        assertEquals("pki.example.com", at("http://pki.example.com:8080/base").host());
        assertEquals("::1", at("http://[::1]:8080").host());
        assertNull(Publication.NONE.host());
        assertFalse(Publication.NONE.loopback());
    }

    @Test
    void neverExpiringCertificatesRefuseALoopbackUrlUnlessAllowed() {
        Publication loopback = at("http://127.0.0.1:8080");
        HallmarkException e = assertThrows(HallmarkException.class, () -> loopback.requireLastingUrlsFor("idevid", true));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("profile idevid issues certificates that never expire, and the publication base URL "
                + "http://127.0.0.1:8080 is a loopback address"), e.getMessage());
        assertTrue(e.getMessage().contains("hallmark publication --base-url") && e.getMessage().contains("--allow-loopback-urls"), e.getMessage());
        loopback.requireLastingUrlsFor("ldevid", false); // renewed under a corrected setting: allowed, warned about by the CLI
        at("http://pki.example.com").requireLastingUrlsFor("idevid", true);
        Publication.NONE.requireLastingUrlsFor("idevid", true); // no URL at all: nothing to carry
        new Publication("http://127.0.0.1:8080", null, null, null, null, null, true).requireLastingUrlsFor("idevid", true);
    }

    @Test
    void theAllowanceIsStoredOnlyWhenSetAndReadBack() {
        assertEquals("{\"baseUrl\":\"http://127.0.0.1:8080\",\"partitions\":{},\"crlValidity\":\"7d\",\"deltaValidity\":\"1d\",\"crlRefresh\":\"5m\",\"ocspValidity\":\"4h\"}",
                PublicationSettings.toJson(new Publication("http://127.0.0.1:8080", null, null, null, null, null, false)),
                "a setting without the allowance reads as it did before the option existed");
        Publication allowed = new Publication("http://127.0.0.1:8080", null, null, null, null, null, true);
        String json = PublicationSettings.toJson(allowed);
        assertTrue(json.contains("\"allowLoopbackUrls\":true"), json);
        assertEquals(allowed, PublicationSettings.parse(json));
        assertNull(PublicationSettings.parse("{\"baseUrl\":\"http://127.0.0.1:8080\"}").allowLoopbackUrls());
    }
}
