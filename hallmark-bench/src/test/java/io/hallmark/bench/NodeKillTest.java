package io.hallmark.bench;

import io.hallmark.cli.Cli;
import io.hallmark.cli.Installation;
import io.hallmark.core.Hallmark;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.testing.TestPostgres;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue #24's first fault test: two {@code hallmark serve --node-id} processes on one PostgreSQL database
 * under mixed load from {@code bench load} (EST, OCSP, factory), one SIGKILLed mid-run. Afterwards: the
 * survivor kept serving; the only errors were lost connections or clean 5xx with Retry-After against the
 * dead node, never a wrong answer; every acknowledged certificate is stored, no serial or device identity
 * twice; the audit chain verifies; a revocation after the kill is on the survivor's CRL within 10 s; and
 * every CRL fetched from either node during the whole run has a number above the previous one's (the
 * same number only for the very same CRL).
 * <p>
 * Needs PostgreSQL (HALLMARK_TEST_POSTGRES or -Dhallmark.test.postgres): skipped without it, failed under
 * -Dhallmark.peers.required=true.
 */
class NodeKillTest {

    private static final List<String> CAS = List.of("idevid-ca", "ldevid-ca");
    /** Error kinds a killed node may cause: nothing listening, a connection lost mid-request, or a clean 5xx with Retry-After. */
    private static final java.util.regex.Pattern CLEAN = java.util.regex.Pattern.compile("connect|closed|http_5\\d\\d");

    @TempDir
    Path dir;

    /** One CRL fetched: from which node, when (fetch order), its number and a digest of its bytes. */
    record Fetched(String node, String ca, BigInteger number, String sha256, long at) {
    }

    @Test
    void oneOfTwoNodesKilledDuringMixedLoadLosesNothing() throws Exception {
        try (TestPostgres pg = TestPostgres.create()) {
            String db = pg.url();
            Path data = dir.resolve("data");
            Cli.ok(data, "--db", db, "init");
            // A complete CRL is re-signed at most this often after revocations (default 5m; deltas carry the news meanwhile):
            // short here, so that the complete CRL must follow a revocation on the survivor within the 10 s asked.
            Cli.ok(data, "--db", db, "publication", "--crl-refresh", "2s");
            Path station = dir.resolve("station");
            Cli.ok(data, "--db", db, "station", "create", "--name", "line-1", "--ca", "idevid-ca", "--profile", "idevid", "--out", station.toString());
            Path idevids = dir.resolve("idevids");
            try (Hallmark hallmark = Installation.open(data, db, () -> Passphrase.resolve(data, false))) {
                for (int i = 1; i <= 4; i++) LoadFixtures.idevid(hallmark, idevids, "KILL-" + i);
            }

            try (NodeProcess a = NodeProcess.start(data, db, "a"); NodeProcess b = NodeProcess.start(data, db, "b")) {
                List<X509Certificate> cas = LoadFixtures.cas(data);
                List<LoadTarget> targets = LoadTarget.of(List.of(URI.create(a.https), URI.create(b.https)), List.of(URI.create(a.http), URI.create(b.http)));
                List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
                LoadRequests.Factory factory = new LoadRequests.Factory(DeviceCredentials.fromPem(station.resolve("station.pem"), station.resolve("station.key")),
                        "idevid-ca", "idevid", 5);
                try (LoadRequests requests = new LoadRequests(cas, cas, LoadRequests.devices(idevids, cas), factory, Duration.ofSeconds(30))) {
                    LoadBenchmark load = new LoadBenchmark(requests, new LoadBenchmark.Settings(targets, LoadMix.parse("est=2,ocsp=6,factory=2"), 4,
                            Duration.ofSeconds(45), 1_000_000), acknowledged::add);

                    // Both nodes' CRLs, polled in one thread throughout, so that the fetches have one order.
                    List<Fetched> crls = Collections.synchronizedList(new ArrayList<>());
                    AtomicBoolean polling = new AtomicBoolean(true);
                    Thread poller = Thread.ofPlatform().name("crl-poller").start(() -> pollCrls(List.of(a, b), crls, polling));

                    CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> {
                        try {
                            return load.run();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    // Kill node a once both nodes have answered a few of every kind of request, at least 10 s in.
                    long started = System.nanoTime();
                    while (load.ok(0) < 10 || load.ok(1) < 10 || System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
                        assertFalse(run.isDone(), "the load ended before the kill: " + (run.isDone() ? run.join() : ""));
                        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40), "the nodes answered too little to kill one: "
                                + load.ok(0) + " / " + load.ok(1) + "\n" + a.output());
                        Thread.sleep(200);
                    }
                    // The node killed is the one that holds the jobs lease (it started first), so the CRL job has to move.
                    assertEquals("held", leaseOf(a), "node a should hold the jobs lease before the kill");
                    assertEquals("standby", leaseOf(b), "node b should stand by before the kill");
                    long survivorAtKill = load.ok(1);
                    Map<String, Long> survivorErrorsAtKill = load.errors(1);
                    int exit = a.kill();
                    assertEquals(128 + 9, exit, "node a was not ended by SIGKILL");
                    long killedAt = System.nanoTime();
                    while (!"held".equals(leaseOf(b)) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10)) {
                        Thread.sleep(100);
                    }
                    double leaseMovedSeconds = (System.nanoTime() - killedAt) / 1e9;
                    assertEquals("held", leaseOf(b), "the jobs lease did not move to the survivor within 10 s of the kill");

                    // After the kill: revoke a certificate acknowledged before it; the survivor's CRL lists it within 10 s.
                    String revoked;
                    synchronized (acknowledged) {
                        revoked = acknowledged.getFirst();
                    }
                    String ca = caOf(db, revoked);
                    Cli.ok(data, "--db", db, "revoke", revoked, "--reason", "keyCompromise");
                    long revokedAt = System.nanoTime();
                    boolean listed = false;
                    while (!listed && System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(10)) {
                        X509CRLHolder crl = crl(b, ca);
                        listed = crl != null && crl.getRevokedCertificate(new BigInteger(revoked, 16)) != null;
                        if (!listed) Thread.sleep(200);
                    }
                    double revokedSeconds = (System.nanoTime() - revokedAt) / 1e9;
                    assertTrue(listed, "the survivor's CRL of " + ca + " did not list " + revoked + " within 10 s of its revocation");

                    Map<String, Object> report = run.get(120, TimeUnit.SECONDS);
                    polling.set(false);
                    poller.join();
                    String context = "report " + report + "\nsurvivor ok at the kill " + survivorAtKill + ", revoked on its CRL after "
                            + revokedSeconds + " s, jobs lease on the survivor " + leaseMovedSeconds + " s after the kill, kill at " + (killedAt - started) / 1_000_000 + " ms";

                    System.out.println("NodeKillTest: " + context.replace('\n', ' '));

                    // The survivor kept serving, and cleanly: nothing went wrong against it.
                    assertTrue(load.ok(1) > survivorAtKill, context);
                    assertEquals(survivorErrorsAtKill, load.errors(1), "errors against the survivor\n" + context);
                    load.errors(1).keySet().forEach(kind -> assertEquals("http_503", kind, context));
                    // Against the dead node: only lost connections and clean refusals; never a wrong answer anywhere.
                    load.errors(0).keySet().forEach(kind -> assertTrue(CLEAN.matcher(kind).matches(), kind + "\n" + context));
                    assertFalse(load.errors(0).isEmpty(), "the dead node caused no error at all: was it under load?\n" + context);
                    for (LoadOperation op : LoadOperation.values()) {
                        Map<?, ?> o = (Map<?, ?>) report.get(op.key());
                        assertTrue((Long) o.get("ok") > 0, op.key() + "\n" + context);
                        assertFalse(((Map<?, ?>) o.get("errors")).containsKey("wrong_answer"), context);
                    }

                    // Every acknowledged certificate is in the store, each once; no device has two identities.
                    List<String> serials = List.copyOf(acknowledged);
                    assertEquals(serials.size(), new HashSet<>(serials).size(), "a serial acknowledged twice");
                    Set<String> stored = LoadFixtures.strings(db, "SELECT serial FROM certificates");
                    List<String> missing = serials.stream().filter(s -> !stored.contains(s)).toList();
                    assertEquals(List.of(), missing, "acknowledged but not in the store\n" + context);
                    assertEquals(Set.of(), LoadFixtures.strings(db, "SELECT device_id FROM certificates WHERE device_id LIKE 'LOAD-%' "
                            + "GROUP BY device_id, profile HAVING COUNT(*) > 1"), "a device issued twice");
                    assertEquals(Set.of(), LoadFixtures.strings(db, "SELECT serial FROM device_identities GROUP BY serial HAVING COUNT(*) > 1"));
                    assertEquals(LoadFixtures.strings(db, "SELECT device_id FROM certificates WHERE device_id LIKE 'LOAD-%'"),
                            LoadFixtures.strings(db, "SELECT device_id FROM device_identities WHERE device_id LIKE 'LOAD-%'"), "a factory device without its identity");

                    Cli.Run audit = Cli.run(data, "--db", db, "audit", "verify");
                    assertEquals(0, audit.exit(), audit::toString);

                    // CRL numbers: never back, and one number is one CRL, whichever node served it.
                    assertCrlNumbersIncrease(crls, revoked, ca);
                }
            }
        }
    }

    private static void assertCrlNumbersIncrease(List<Fetched> crls, String revoked, String revokedCa) {
        List<Fetched> all = List.copyOf(crls);
        assertTrue(all.stream().anyMatch(f -> f.node().equals("a")) && all.stream().anyMatch(f -> f.node().equals("b")),
                "the CRLs of both nodes were fetched: " + all.size());
        for (String ca : CAS) {
            BigInteger highest = BigInteger.valueOf(-1);
            Map<BigInteger, String> byNumber = new HashMap<>();
            Fetched previous = null;
            for (Fetched f : all) {
                if (!f.ca().equals(ca)) continue;
                String earlier = byNumber.putIfAbsent(f.number(), f.sha256());
                assertTrue(earlier == null || earlier.equals(f.sha256()), ca + ": two different CRLs numbered " + f.number() + " (the second from node "
                        + f.node() + ")");
                if (f.number().compareTo(highest) < 0) {
                    fail(ca + ": CRL number went back from " + highest + " (node " + previous.node() + ") to " + f.number() + " (node " + f.node()
                            + "), fetch " + f.at());
                }
                highest = f.number();
                previous = f;
            }
        }
        assertTrue(all.stream().filter(f -> f.ca().equals(revokedCa)).map(Fetched::number).distinct().count() > 1,
                "the revocation of " + revoked + " never brought a new " + revokedCa + " CRL number");
    }

    private static void pollCrls(List<NodeProcess> nodes, List<Fetched> out, AtomicBoolean polling) {
        String[] names = {"a", "b"};
        long n = 0;
        while (polling.get()) {
            for (int i = 0; i < nodes.size(); i++) {
                if (!nodes.get(i).process.isAlive()) continue;
                for (String ca : CAS) {
                    try {
                        byte[] der = fetch(nodes.get(i), ca);
                        if (der == null) continue;
                        X509CRLHolder crl = new X509CRLHolder(der);
                        BigInteger number = ASN1Integer.getInstance(crl.getExtension(Extension.cRLNumber).getParsedValue()).getValue();
                        out.add(new Fetched(names[i], ca, number, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)), n++));
                    } catch (Exception e) {
                        // the node died between the check and the fetch
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the node's /healthz says of the jobs lease: "held" or "standby". */
    private static String leaseOf(NodeProcess node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.http + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.headers().firstValue("Hallmark-Lease").orElse("none");
    }

    private static byte[] fetch(NodeProcess node, String ca) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.http + "/crl/" + ca + ".crl")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 200 ? r.body() : null;
    }

    private static X509CRLHolder crl(NodeProcess node, String ca) throws Exception {
        byte[] der = fetch(node, ca);
        return der == null ? null : new X509CRLHolder(der);
    }

    private static String caOf(String db, String serial) throws Exception {
        try (Connection c = DriverManager.getConnection(db);
             var s = c.prepareStatement("SELECT ca_name FROM certificates WHERE serial = ?")) {
            s.setString(1, serial);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "acknowledged serial " + serial + " is not stored");
                return rs.getString(1);
            }
        }
    }
}
