package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.TlsContexts;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The three requests of `bench load`, each checked: a 200 whose body is not a valid answer to what was
 * asked is a {@code wrong_answer}, never counted as a success. Each returns the serials of the
 * certificates the server acknowledged (issued and handed back), so a fault test can look for every one
 * in the store afterwards.
 */
final class LoadRequests implements AutoCloseable {

    /** A demo device: its IDevID (the EST credential and an OCSP subject) and CSRs made beforehand. */
    record Device(String name, DeviceCredential idevid, List<EstBenchmark.Prepared> csrs, byte[] ocspRequest, CertificateID ocspId,
                  X509Certificate issuer) {
    }

    /** Where factory chunks go and as whom. */
    record Factory(DeviceCredential station, String ca, String profile, int chunk) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<X509Certificate> anchors;
    private final List<X509Certificate> issuers;
    private final List<Device> devices;
    private final Factory factory;
    private final Duration timeout;
    private final HttpClient plain;
    private final HttpClient stations;
    /** Factory device serials are new in every run: LOAD-{random}-{n}. */
    private final String serialPrefix = "LOAD-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";

    LoadRequests(List<X509Certificate> anchors, List<X509Certificate> issuers, List<Device> devices, Factory factory, Duration timeout) {
        this.anchors = List.copyOf(anchors);
        this.issuers = List.copyOf(issuers);
        this.devices = List.copyOf(devices);
        this.factory = factory;
        this.timeout = timeout;
        // OCSP and factory chunks keep their connections (a responder's clients and a station do); an EST
        // enrollment is a new device, so a new connection and handshake each (see est()).
        this.plain = client(TlsContexts.create(anchors, (io.hallmark.device.DeviceCredential) null));
        this.stations = factory == null ? null : client(TlsContexts.create(anchors, factory.station()));
    }

    private HttpClient client(javax.net.ssl.SSLContext tls) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Reads every NAME.pem with NAME.key in {@code dir}, with CSRs for EST and an OCSP request for the IDevID. */
    static List<Device> devices(java.nio.file.Path dir, List<X509Certificate> issuers) {
        List<Device> out = new ArrayList<>();
        // EstBenchmark reads the directory the same way; its devices come with their CSRs.
        for (EstBenchmark.Device d : EstBenchmark.readDevices(dir)) {
            X509Certificate cert = d.idevid().certificate();
            X509Certificate issuer = issuerOf(cert, issuers);
            if (issuer == null) {
                throw io.hallmark.core.error.HallmarkException.notFound("no CA certificate for the issuer of " + d.name() + " ("
                        + cert.getIssuerX500Principal().getName() + ") among the CA certificates given (--ca-dir)");
            }
            try {
                CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1),
                        new X509CertificateHolder(issuer.getEncoded()), cert.getSerialNumber());
                out.add(new Device(d.name(), d.idevid(), d.csrs(), new OCSPReqBuilder().addRequest(id).build().getEncoded(), id, issuer));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make an OCSP request for " + d.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    static X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (!c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) continue;
            try {
                cert.verify(c.getPublicKey());
                return c;
            } catch (Exception e) {
                // same name, other key (a rollover): keep looking
            }
        }
        return null;
    }

    int deviceCount() {
        return devices.size();
    }

    /** EST simpleenroll as device {@code n mod devices}: a new mutual-TLS connection, one CSR; the answer must certify its key. */
    List<String> est(LoadTarget target, long n) throws LoadFailure {
        if (devices.isEmpty()) throw new IllegalStateException("no devices");
        Device device = devices.get((int) Math.floorMod(n, devices.size()));
        EstBenchmark.Prepared csr = device.csrs().get((int) Math.floorMod(n / devices.size(), device.csrs().size()));
        byte[] body = (Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(csr.csr()) + "\n").getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.https() + "/.well-known/est/simpleenroll")).timeout(timeout)
                .header("Content-Type", "application/pkcs10").header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try (HttpClient once = client(TlsContexts.create(anchors, device.idevid()))) {
            response = send(once, request);
        }
        X509Certificate cert = null;
        try {
            byte[] der = Base64.getMimeDecoder().decode(response.body());
            for (X509CertificateHolder h : new CMSSignedData(der).getCertificates().getMatches(null)) {
                X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
                if (c.getPublicKey().equals(csr.key())) cert = c;
            }
        } catch (Exception e) {
            throw LoadFailure.wrongAnswer("EST answer is not a PKCS#7 certs-only of certificates: " + e.getMessage());
        }
        if (cert == null) throw LoadFailure.wrongAnswer("EST answer holds no certificate for the CSR's key");
        if (issuerOf(cert, issuers) == null) throw LoadFailure.wrongAnswer("EST answer's certificate is not signed by a known CA");
        return List.of(hex(cert.getSerialNumber()));
    }

    /** OCSP POST about device {@code n}'s IDevID: the answer must verify and name the serial asked about. */
    void ocsp(LoadTarget target, long n) throws LoadFailure {
        Device device = devices.get((int) Math.floorMod(n, devices.size()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.ocsp() + "/ocsp")).timeout(timeout)
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(device.ocspRequest())).build();
        HttpResponse<byte[]> response = send(plain, request);
        try {
            OCSPResp resp = new OCSPResp(response.body());
            if (resp.getStatus() == OCSPResp.TRY_LATER) throw new LoadFailure("ocsp_try_later", "OCSP tryLater from " + target.ocsp());
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) throw LoadFailure.wrongAnswer("OCSP response status " + resp.getStatus() + " for a known certificate");
            BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
            boolean named = false;
            for (SingleResp single : basic.getResponses()) {
                named |= single.getCertID().equals(device.ocspId());
            }
            if (!named) throw LoadFailure.wrongAnswer("OCSP answer does not name the serial asked about");
            if (!signedByCaOrDelegate(basic, device.issuer())) throw LoadFailure.wrongAnswer("OCSP answer's signature does not verify");
        } catch (LoadFailure f) {
            throw f;
        } catch (Exception e) {
            throw LoadFailure.wrongAnswer("OCSP answer does not parse: " + e.getMessage());
        }
    }

    /** Signed by the CA itself, or by a responder certificate in the answer that the CA signed (RFC 6960 §4.2.2.2). */
    private static boolean signedByCaOrDelegate(BasicOCSPResp basic, X509Certificate ca) throws Exception {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(ca.getPublicKey()))) return true;
        for (X509CertificateHolder responder : basic.getCerts()) {
            if (responder.isSignatureValid(verifiers.build(ca.getPublicKey())) && basic.isSignatureValid(verifiers.build(responder))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A factory chunk of new devices (new keys, made here) through {@code POST /api/v1/factory/{ca}/{profile}}
     * as the station; every item must come back issued, with a certificate for its key.
     */
    List<String> factory(LoadTarget target, long n) throws LoadFailure {
        if (factory == null) throw new IllegalStateException("no station");
        int size = factory.chunk();
        List<PublicKey> keys = new ArrayList<>(size);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < size; i++) {
            KeyPair pair = KeyAlgorithm.EC_P256.generate();
            keys.add(pair.getPublic());
            String serial = serialPrefix + n + "-" + i;
            byte[] csr = Csrs.create(pair, KeyAlgorithm.EC_P256, new X500Name("CN=load device,O=Hallmark Bench"));
            body.append("{\"deviceSerial\":\"").append(serial).append("\",\"csr\":\"").append(Base64.getEncoder().encodeToString(csr)).append("\"}\n");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.https() + "/api/v1/factory/" + factory.ca() + "/" + factory.profile() + "?size=" + size))
                .timeout(timeout).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<byte[]> response = send(stations, request);
        List<String> serials = new ArrayList<>(size);
        List<String> lines = new String(response.body(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            JsonNode r;
            try {
                r = JSON.readTree(line);
            } catch (IOException e) {
                throw LoadFailure.wrongAnswer("factory answer line is not JSON");
            }
            if (r.has("error") && !r.has("index")) throw new LoadFailure("stream_error", "factory stream ended with: " + r.get("error").asText());
            int index = r.path("index").asInt(-1);
            if (index < 0 || index >= size) throw LoadFailure.wrongAnswer("factory answer for item " + index + " of " + size);
            String status = r.path("status").asText();
            if (status.equals("error")) {
                throw new LoadFailure("item_" + r.path("errorKind").asText("error").toLowerCase(java.util.Locale.ROOT), r.path("error").asText());
            }
            if (!status.equals("issued")) throw LoadFailure.wrongAnswer("factory item of a new device answered '" + status + "'");
            X509Certificate cert;
            try {
                cert = Pem.x509(Pem.derOfSingle(r.path("certificate").asText(), "CERTIFICATE"));
            } catch (Exception e) {
                throw LoadFailure.wrongAnswer("factory answer's certificate does not parse");
            }
            if (!cert.getPublicKey().equals(keys.get(index))) throw LoadFailure.wrongAnswer("factory certificate is not for the item's key");
            String serial = hex(cert.getSerialNumber());
            if (!new BigInteger(r.path("serial").asText("0"), 16).equals(cert.getSerialNumber())) {
                throw LoadFailure.wrongAnswer("factory answer's serial is not its certificate's");
            }
            serials.add(serial);
        }
        if (serials.size() != size) throw LoadFailure.wrongAnswer("factory answered " + serials.size() + " of " + size + " items");
        return serials;
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) throws LoadFailure {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailure("interrupted", "interrupted");
        } catch (IOException e) {
            throw LoadFailure.of(e);
        }
        if (response.statusCode() != 200) throw LoadFailure.status(response);
        return response;
    }

    static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    @Override
    public void close() {
        plain.close();
        if (stations != null) stations.close();
    }
}
