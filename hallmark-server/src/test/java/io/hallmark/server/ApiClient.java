package io.hallmark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.principal.Role;
import org.bouncycastle.asn1.x500.X500Name;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST API of a test server as a client holding one bearer token per role (named "ROLE-token"). */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final ServerFixture f;
    private final Map<Role, String> tokens = new EnumMap<>(Role.class);
    private final SSLContext tls;

    ApiClient(ServerFixture f) throws Exception {
        this.f = f;
        for (Role r : Role.values()) tokens.put(r, f.hallmark.credentials().createToken(r, r.id() + "-token", "test"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
    }

    String token(Role role) {
        return tokens.get(role);
    }

    /** A JSON call as {@code role} (null: no credentials). */
    HttpResponse<String> call(String method, String path, Role role, String body) throws Exception {
        return call(method, path, role == null ? null : tokens.get(role), "application/json", body);
    }

    HttpResponse<String> call(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null && contentType != null) b.header("Content-Type", contentType);
        // A client per call: the server may close a connection after refusing a request whose body it did not read.
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).build()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A form posted to a console path (e.g. {@code /login}), without a cookie. */
    HttpResponse<String> form(String path, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(f.server.httpsUri() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    AuditEntry lastAudit() {
        AuditEntry[] last = {null};
        f.hallmark.store().run(tx -> tx.audit().scan(e -> last[0] = e));
        return last[0];
    }

    static String csrPem(String cn) {
        var keys = KeyAlgorithm.EC_P256.generate();
        return Pem.encode("CERTIFICATE REQUEST", Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=" + cn)));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** {@code text} as a JSON string literal. */
    static String q(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }

    static void assertStatus(int expected, HttpResponse<String> r) {
        assertEquals(expected, r.statusCode(), r.request().method() + " " + r.uri() + ": " + r.body());
    }
}
