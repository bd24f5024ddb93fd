package io.hallmark.server;

import io.hallmark.core.crypto.Serials;
import io.hallmark.core.issue.IssuanceRequest;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EST enrollments (mutual TLS with an IDevID, a fresh device each) and OCSP requests (with a nonce, so each is signed and
 * asks the store for the status) sent to one node without pause, every answer judged as it arrives: a 200 must be right
 * (the certificate is for the device's key and from ldevid-ca; the OCSP status of an acknowledged certificate is good),
 * any other answer must be a 503 with Retry-After and a one-line body. What is not is kept as a problem. The driver of the
 * database fault tests ({@link PostgresOutageTest}, {@link PostgresFailoverTest}).
 */
final class MixedLoad implements AutoCloseable {

    /** One answer: when it was asked (System.nanoTime), which operation, its status (-1: no HTTP answer). */
    record Outcome(String op, long askedAt, long answeredAt, int status) {
    }

    private record Device(String serialNumber, X509Certificate idevid, KeyPair key) {
    }

    private final ServerFixture node;
    private final SSLContext trustRoot;
    private final ConcurrentLinkedQueue<Device> devices = new ConcurrentLinkedQueue<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<X509CertificateHolder> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final X509CertificateHolder ldevidCa;
    private final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean running;
    private static final AtomicInteger RUN = new AtomicInteger();

    /** Makes {@code devices} IDevIDs in-process beforehand (issuing them needs the database, which the test will take away). */
    MixedLoad(ServerFixture node, int devices) throws Exception {
        this.node = node;
        this.ldevidCa = node.hallmark.cas().get("ldevid-ca").holder();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(node.root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustRoot = SSLContext.getInstance("TLS");
        trustRoot.init(null, tmf.getTrustManagers(), null);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        int run = RUN.incrementAndGet();
        for (int i = 0; i < devices; i++) {
            KeyPair key = gen.generateKeyPair();
            String sn = "LOAD-" + run + "-" + i;
            var issued = node.hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr(key, "CN=sensor"), sn, null, "test"));
            this.devices.add(new Device(sn, new JcaX509CertificateConverter().getCertificate(new X509CertificateHolder(issued.certificate().der())), key));
        }
    }

    void start(int estThreads, int ocspThreads) {
        running = true;
        for (int i = 0; i < estThreads; i++) threads.add(Thread.ofPlatform().name("est-load-" + i).start(this::estLoop));
        for (int i = 0; i < ocspThreads; i++) threads.add(Thread.ofPlatform().name("ocsp-load-" + i).start(this::ocspLoop));
    }

    /** Stops the load and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(60_000);
        threads.clear();
        plain.close();
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    List<X509CertificateHolder> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Devices not yet enrolled. */
    int devicesLeft() {
        return devices.size();
    }

    /** Answers of {@code op} with {@code status} to requests asked after {@code since} (System.nanoTime). */
    long count(String op, int status, long since) {
        return outcomes.stream().filter(o -> o.op.equals(op) && o.status == status && o.askedAt >= since).count();
    }

    private void estLoop() {
        while (running) {
            Device d = devices.poll();
            if (d == null) {
                problems.add("the test ran out of devices; give it more");
                return;
            }
            long asked = System.nanoTime();
            int status = -1;
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .sslContext(deviceTls(d)).build()) {
                byte[] body = (Base64.getMimeEncoder().encodeToString(csr(d.key, "CN=sensor")) + "\n").getBytes(StandardCharsets.US_ASCII);
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(node.est("simpleenroll"))).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                status = r.statusCode();
                if (status == 200) {
                    X509CertificateHolder cert = (X509CertificateHolder) new CMSSignedData(Base64.getMimeDecoder().decode(r.body()))
                            .getCertificates().getMatches(null).iterator().next();
                    if (!cert.getIssuer().equals(ldevidCa.getSubject())
                            || !java.util.Arrays.equals(cert.getSubjectPublicKeyInfo().getEncoded(), d.key.getPublic().getEncoded())
                            || !cert.getSubject().toString().contains(d.serialNumber)) {
                        problems.add("EST 200 with a wrong certificate for " + d.serialNumber + ": " + cert.getSubject() + " from " + cert.getIssuer());
                    } else {
                        acknowledged.add(cert);
                    }
                } else {
                    judgeError("EST", r);
                    // As a device does: ask again later. Its certificate may have been committed while the answer was
                    // lost (a commit cut off by the outage); asking again must then give that one back, not a second.
                    if (status == 503) devices.add(d);
                }
            } catch (Exception e) {
                problems.add("EST " + d.serialNumber + ": " + e);
            }
            outcomes.add(new Outcome("EST", asked, System.nanoTime(), status));
            pause(); // a steady load, not a flood: the devices made beforehand must last the test
        }
    }

    private void ocspLoop() {
        while (running) {
            List<X509CertificateHolder> known = acknowledged;
            if (known.isEmpty()) {
                pause();
                continue;
            }
            X509CertificateHolder cert = known.get(ThreadLocalRandom.current().nextInt(known.size()));
            long asked = System.nanoTime();
            int status = -1;
            try {
                HttpResponse<byte[]> r = plain.send(HttpRequest.newBuilder(node.server.httpUri().resolve("/ocsp")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest(cert.getSerialNumber())))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                status = r.statusCode();
                if (status == 200) {
                    OCSPResp resp = new OCSPResp(r.body());
                    if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                        problems.add("OCSP 200 with response status " + resp.getStatus() + " for acknowledged " + Serials.hex(cert.getSerialNumber()));
                    } else {
                        SingleResp single = ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0];
                        if (single.getCertStatus() != null || !single.getCertID().getSerialNumber().equals(cert.getSerialNumber())) {
                            problems.add("OCSP: acknowledged " + Serials.hex(cert.getSerialNumber()) + " not answered good: " + single.getCertStatus());
                        }
                    }
                } else {
                    judgeError("OCSP", r);
                }
            } catch (Exception e) {
                problems.add("OCSP: " + e);
            }
            outcomes.add(new Outcome("OCSP", asked, System.nanoTime(), status));
        }
    }

    /** Anything but a 200 must be a 503 with Retry-After and one line of text, no internals. */
    private void judgeError(String op, HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        boolean oneLine = body.endsWith("\n") && body.indexOf('\n') == body.length() - 1;
        boolean internals = body.contains("Exception") || body.contains("SQL") || body.contains("jdbc:") || body.contains("\tat ");
        if (r.statusCode() != 503 || retryAfter == null || !retryAfter.matches("[1-9][0-9]?") || !oneLine || internals) {
            problems.add(op + " answered " + r.statusCode() + " Retry-After=" + retryAfter + ": " + body.strip());
        }
    }

    private SSLContext deviceTls(Device d) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestTls.certificate(node.root));
        tmf.init(trust);
        tls.init(TestTls.keyManagers(d.idevid, d.key.getPrivate()), tmf.getTrustManagers(), null);
        return tls;
    }

    private byte[] ocspRequest(BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1), ldevidCa, serial);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        return new OCSPReqBuilder().addRequest(id)
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))))
                .build().getEncoded();
    }

    private static byte[] csr(KeyPair key, String subject) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The acknowledged serials, as the store writes them. */
    List<String> acknowledgedSerials() {
        List<String> out = new ArrayList<>();
        for (X509CertificateHolder c : acknowledged) out.add(Serials.hex(c.getSerialNumber()));
        return Collections.unmodifiableList(out);
    }
}
