package io.hallmark.server;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.wire.Frames;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.core.station.StationCredentials;
import io.hallmark.core.station.StationSpec;
import io.hallmark.server.factory.FactoryMediaTypes;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.*;

/** {@code POST /api/v1/factory/{ca}/{profile}} over mutual TLS as a station, in both wire formats. */
class FactoryWireTest {

    @TempDir
    static Path dir;
    static ServerFixture f;
    static HttpClient station;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        StationCredentials c = f.hallmark.stations().create(new StationSpec("line-1", null, null, List.of("idevid-ca"), List.of("idevid"),
                null, null, null, null), null, "test");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Pem.derOf(c.privateKeyPem().getBytes(StandardCharsets.US_ASCII), "PRIVATE KEY")));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(f.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(TestTls.keyManagers(Pem.x509(c.certificate()), key), tmf.getTrustManagers(), null);
        station = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (station != null) station.close();
        if (f != null) f.close();
    }

    private static HttpResponse<byte[]> post(String contentType, byte[] body) throws Exception {
        return station.send(HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1/factory/idevid-ca/idevid"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<FactoryResult> readAll(ResultReader reader) throws Exception {
        List<FactoryResult> out = new ArrayList<>();
        for (FactoryResult r = reader.next(); r != null; r = reader.next()) out.add(r);
        return out;
    }

    /** The certificate is signed by idevid-ca, for the device's key, and its fingerprint is what the result says. */
    private static void assertIssuedFor(FactoryResult r, KeyPair device) throws Exception {
        assertEquals(FactoryResult.ISSUED, r.status(), r.toString());
        X509Certificate cert = Pem.x509(r.certificateDer());
        cert.verify(f.hallmark.cas().get("idevid-ca").x509().getPublicKey());
        cert.checkValidity();
        assertArrayEquals(device.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals(Fingerprints.sha256Hex(r.certificateDer()), r.fingerprint());
        var serialNumber = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(cert).getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.SERIALNUMBER);
        assertEquals(r.deviceSerial(), serialNumber[0].getFirst().getValue().toString(), "subject serialNumber");
    }

    @Test
    void framesInFramesOutWithBadFramesAnsweredInLine() throws Exception {
        KeyPair a = KeyAlgorithm.EC_P256.generate(), b = KeyAlgorithm.EC_P256.generate();
        Frames.Encoder encoder = new Frames.Encoder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(encoder.item(FactoryItem.withDer("WIRE-F-1", Csrs.create(a, KeyAlgorithm.EC_P256, new X500Name("CN=a")), null, null, "tpm")));
        body.writeBytes(new byte[]{0, 0, 0, 3, (byte) 0xff, (byte) 0xfe, (byte) 0xfd}); // a frame that is no CBOR map
        body.writeBytes(encoder.item(FactoryItem.withDer("WIRE-F-2", Csrs.create(b, KeyAlgorithm.EC_P256, new X500Name("CN=b")), null, null, null)));
        body.writeBytes(encoder.item(FactoryItem.withDer("WIRE-F-3", "not a CSR".getBytes(StandardCharsets.US_ASCII), null, null, null)));
        long before = f.certificates();

        HttpResponse<byte[]> response = post(FactoryMediaTypes.FRAMES, body.toByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(FactoryMediaTypes.FRAMES, response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        List<FactoryResult> results = readAll(Frames.resultReader(new ByteArrayInputStream(response.body())));

        assertEquals(4, results.size(), results.toString());
        for (int i = 0; i < 4; i++) assertEquals(i, results.get(i).index());
        assertIssuedFor(results.get(0), a);
        assertEquals(FactoryResult.ERROR, results.get(1).status());
        assertEquals("BAD_INPUT", results.get(1).errorKind());
        assertTrue(results.get(1).error().startsWith("frame 2 is not a factory item"), results.get(1).error());
        assertIssuedFor(results.get(2), b);
        assertEquals("WIRE-F-3", results.get(3).deviceSerial());
        assertEquals("BAD_INPUT", results.get(3).errorKind(), results.get(3).toString());
        assertEquals(before + 2, f.certificates());

        // The same devices again: the stored certificates come back, byte for byte.
        HttpResponse<byte[]> again = post(FactoryMediaTypes.FRAMES, body.toByteArray());
        List<FactoryResult> replayed = readAll(Frames.resultReader(new ByteArrayInputStream(again.body())));
        assertEquals(FactoryResult.EXISTING, replayed.get(0).status());
        assertArrayEquals(results.get(0).certificateDer(), replayed.get(0).certificateDer());
        assertEquals(before + 2, f.certificates());
    }

    @Test
    void ndjsonIsStillAnsweredInNdjson() throws Exception {
        KeyPair a = KeyAlgorithm.EC_P256.generate();
        byte[] body = Ndjson.line(new FactoryItem("WIRE-N-1", Pem.encode("CERTIFICATE REQUEST", Csrs.create(a, KeyAlgorithm.EC_P256, new X500Name("CN=n"))),
                null, null, null));
        HttpResponse<byte[]> response = post("application/x-ndjson; charset=utf-8", body);
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"certificate\":\"-----BEGIN CERTIFICATE-----"), text);
        List<FactoryResult> results = readAll(WireFormat.NDJSON.resultReader(new ByteArrayInputStream(response.body())));
        assertEquals(1, results.size());
        assertIssuedFor(results.getFirst(), a);
    }

    /** A station's batch is recorded like a local run: named in the answer's header, with the size it declared and its progress. */
    @Test
    void aStationsBatchIsRecordedUnderTheNameItsAnswerGives() throws Exception {
        KeyPair a = KeyAlgorithm.EC_P256.generate();
        byte[] body = Ndjson.line(new FactoryItem("WIRE-REC-1", Pem.encode("CERTIFICATE REQUEST", Csrs.create(a, KeyAlgorithm.EC_P256, new X500Name("CN=r"))),
                null, null, null));
        HttpResponse<byte[]> response = station.send(HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1/factory/idevid-ca/idevid?size=1"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        String id = response.headers().firstValue("Hallmark-Batch").orElseThrow();
        var batch = f.hallmark.factoryBatches().get(id);
        assertEquals("done", batch.state());
        assertEquals(1, batch.issued());
        assertEquals(1L, batch.declared());
        assertTrue(batch.actor().startsWith("station:"), batch.actor());
        assertEquals(batch.actor(), "station:" + batch.station());

        long batches = f.hallmark.factoryBatches().page(null, 1000).batches().size();
        HttpResponse<byte[]> bad = station.send(HttpRequest.newBuilder(URI.create(f.server.httpsUri() + "/api/v1/factory/idevid-ca/idevid?size=lots"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, bad.statusCode());
        assertEquals(batches, f.hallmark.factoryBatches().page(null, 1000).batches().size(), "a refused request records no batch");
    }

    /** The media type is read without its parameters and in any case (moved here from core's FramesTest with the types). */
    @Test
    void theMediaTypeIsReadInAnyCaseWithParameters() throws Exception {
        HttpResponse<byte[]> response = post("Application/Vnd.Hallmark.Factory-Frames; v=1", new byte[]{0, 0, 0, 3, (byte) 0xff, (byte) 0xfe, (byte) 0xfd});
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(FactoryMediaTypes.FRAMES, response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        List<FactoryResult> results = readAll(WireFormat.FRAMES.resultReader(new ByteArrayInputStream(response.body())));
        assertEquals(1, results.size(), results.toString());
        assertEquals("BAD_INPUT", results.getFirst().errorKind(), results.toString());
    }

    @Test
    void anyOtherContentTypeIs415NamingBoth() throws Exception {
        HttpResponse<byte[]> response = post("application/cbor", new byte[]{(byte) 0xa0});
        assertEquals(415, response.statusCode());
        String message = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(message.contains("application/x-ndjson") && message.contains("application/vnd.hallmark.factory-frames"), message);
    }
}
