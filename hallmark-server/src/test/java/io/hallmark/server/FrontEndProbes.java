package io.hallmark.server;

import io.hallmark.core.principal.Role;
import io.hallmark.server.factory.FactoryMediaTypes;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One request to each front end besides EST and OCSP, for while the database is away: the REST API (a bearer token),
 * the console's sign-in (the same token), the factory API (a client certificate the store must judge) and a CRL. Each
 * answer is written "name status Retry-After body"; {@link #problems} keeps those that are not a clean 503 (a CRL may
 * also be a 200: the current one, still valid, from memory).
 */
final class FrontEndProbes {

    private final ServerFixture node;
    private final String token;
    private final SSLContext trust;
    private final SSLContext station;

    FrontEndProbes(ServerFixture node) throws Exception {
        this.node = node;
        this.token = node.hallmark.credentials().createToken(Role.AUDITOR, "probe-token", "test");
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", TestTls.certificate(node.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(roots);
        trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);
        Path[] device = node.idevid("PROBE-1");
        station = SSLContext.getInstance("TLS");
        station.init(TestTls.keyManagers(device[0], device[1]), tmf.getTrustManagers(), null);
    }

    List<String> probe() throws Exception {
        List<String> answers = new ArrayList<>();
        URI https = node.server.httpsUri();
        answers.add(send("api", trust, HttpRequest.newBuilder(https.resolve("/api/v1/est/labels")).header("Authorization", "Bearer " + token).GET()));
        answers.add(send("console", trust, HttpRequest.newBuilder(https.resolve("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token))));
        answers.add(send("factory", station, HttpRequest.newBuilder(https.resolve("/api/v1/factory/ldevid-ca/ldevid"))
                .header("Content-Type", FactoryMediaTypes.NDJSON).POST(HttpRequest.BodyPublishers.ofString(""))));
        answers.add(send("crl", null, HttpRequest.newBuilder(node.server.httpUri().resolve("/crl/ldevid-ca.crl")).GET()));
        return answers;
    }

    List<String> problems(List<String> answers) {
        return answers.stream().filter(a -> !a.matches("\\w+ 503 [1-9][0-9]? .*") && !a.matches("crl 200 .*")).toList();
    }

    private static String send(String name, SSLContext tls, HttpRequest.Builder request) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (tls != null) b.sslContext(tls);
        try (HttpClient client = b.build()) {
            HttpResponse<byte[]> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = r.statusCode() == 200 && name.equals("crl") ? r.body().length + " bytes"
                    : new String(r.body(), StandardCharsets.UTF_8).replace("\n", "\\n");
            return name + " " + r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-") + " " + body;
        }
    }
}
