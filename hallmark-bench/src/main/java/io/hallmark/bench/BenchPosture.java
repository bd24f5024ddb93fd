package io.hallmark.bench;

import io.hallmark.cli.Installation;
import io.hallmark.cli.Output;
import io.hallmark.cli.factory.BundleWriter;
import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.inventory.Inventory;
import io.hallmark.core.posture.WhatIf;
import io.hallmark.core.principal.Role;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.server.HallmarkServer;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * The fleet's counts at scale: the console's overview page (an HTTPS GET through the running console, signed in) and
 * {@code report posture} (the radar with the audit chain verified from the last checkpoint), timed over a store of N
 * factory-made certificates, built once and reused from {@code --work}.
 */
@Command(name = "posture", description = {
        "Times the console's overview page (HTTPS GET /, signed in, through the running server), `report posture` (the radar, "
                + "the audit chain verified from its last checkpoint) and the inventory overview over a store of N certificates; "
                + "beside them, the whole-chain audit walk the radar no longer does.",
        "The store is built the first time (N IDevIDs through the factory engine, key storages mixed, a share of devices seen, "
                + "some revoked, a signed checkpoint) in --work, and reused by later runs on the same directory."})
final class BenchPosture implements Callable<Integer> {

    @ParentCommand
    BenchCommand parent;

    @Option(names = "--certificates", defaultValue = "1000000", paramLabel = "N", description = "Device certificates in the store (default ${DEFAULT-VALUE}).")
    int certificates;

    @Option(names = "--runs", defaultValue = "7", paramLabel = "R", description = "Timed runs of each (default ${DEFAULT-VALUE}); medians reported.")
    int runs;

    @Option(names = "--seen", defaultValue = "30", paramLabel = "PERCENT", description = "Share of devices given a last seen when the store is built (default ${DEFAULT-VALUE}).")
    int seen;

    @Option(names = "--revoked", defaultValue = "1000", paramLabel = "N", description = "IDevIDs revoked when the store is built, after the checkpoint (default ${DEFAULT-VALUE}).")
    int revoked;

    @Option(names = "--audit-entries", defaultValue = "1000000", paramLabel = "N",
            description = "Audit entries appended before the checkpoint when the store is built, as years of operations leave (default ${DEFAULT-VALUE}).")
    int auditEntries;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the store is built and kept for the next run (default: a new temporary directory, removed afterwards).")
    Path work;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        if (certificates < 1 || runs < 1 || seen < 0 || seen > 100 || revoked < 0 || revoked > certificates || auditEntries < 0) {
            throw HallmarkException.badInput("--certificates and --runs must be positive, --seen 0-100, --revoked at most --certificates, --audit-entries not negative");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("hallmark-bench-posture-");
        Map<String, Object> report = new LinkedHashMap<>();
        try (Hallmark hallmark = open(dir)) {
            build(hallmark, dir);
            var overview = new Inventory(hallmark.store(), hallmark.clock(), hallmark::profiles).overview();
            report.put("certificates", overview.certificates());
            report.put("devices", overview.devices());
            report.put("byStatus", overview.byStatus());
            report.put("byKeyStorage", overview.byKeyStorage());
            report.put("auditEntries", hallmark.store().read(tx -> tx.audit().head().orElseThrow().seq()));
            report.put("store", hallmark.store().describe());
            report.put("java", Runtime.version().toString());
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("loadAverageBefore", loadAverage());

            note("timing report posture (" + runs + " runs)...");
            report.put("reportPostureMs", timed(() -> WhatIf.score(hallmark.posture().snapshot(true), Map.of())));
            note("timing the inventory overview...");
            report.put("inventoryOverviewMs", timed(() -> new Inventory(hallmark.store(), hallmark.clock(), hallmark::profiles).overview()));
            note("timing the whole audit chain walk (what report posture did before)...");
            report.put("wholeChainVerifyMs", timed(hallmark::verifyAudit));
            note("timing GET / through the console...");
            report.put("overviewPageMs", overviewPage(hallmark));
            report.put("loadAverageAfter", loadAverage());
        } finally {
            if (work == null) BenchCommand.Factory.deleteTree(dir, false);
        }
        if (output.json) {
            Output.json(report);
        } else {
            report.forEach((k, v) -> System.out.println(k + ": " + v));
        }
        return 0;
    }

    /** The installation in {@code dir}/data, made (with its passphrase kept beside it) the first time. */
    private Hallmark open(Path dir) throws Exception {
        Path pass = dir.resolve("bench.pass");
        boolean fresh = !Files.exists(pass);
        if (fresh) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.writeString(pass, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        char[] secret = Files.readString(pass).strip().toCharArray();
        Hallmark hallmark = Installation.open(dir.resolve("data"), parent.root.db(), () -> new Passphrase(secret, "bench", false));
        if (fresh) hallmark.init(HierarchySpec.defaults(), "bench");
        return hallmark;
    }

    /**
     * Brings the store to N device identities (built.txt: how many this command issued), then, once (seeded.txt), the
     * seen share, the audit history, the checkpoint and the revocations. Each step resumes where a stopped run left off.
     */
    private void build(Hallmark hallmark, Path dir) throws Exception {
        Path built = dir.resolve("built.txt");
        long have = Files.exists(built) ? Long.parseLong(Files.readString(built).strip()) : 0;
        if (have < certificates) {
            int missing = (int) (certificates - have);
            note("building: " + missing + " IDevIDs through the factory engine (not timed)...");
            Path csrs = dir.resolve("csrs.ndjson");
            generate(csrs, (int) have, missing);
            FactoryBatch batch = FactoryBatch.of("idevid-ca", "idevid", io.hallmark.core.authorize.Grant.operator("bench"));
            BatchProgress result;
            try (var source = Ndjson.items(Files.newInputStream(csrs));
                 BundleWriter writer = new BundleWriter(dir.resolve("out"), hallmark.factory().chainPem("idevid-ca"), BundleWriter.Layout.NONE)) {
                result = hallmark.factory().run(batch, source, writer);
            }
            Files.deleteIfExists(csrs);
            if (result.issued() != missing) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "expected " + missing + " issued, got " + result.issued());
            }
            Files.writeString(built, Long.toString(certificates));
        }
        Path seeded = dir.resolve("seeded.txt");
        if (Files.exists(seeded)) {
            note("reusing the store in " + dir + " (" + certificates + " IDevIDs)");
            return;
        }
        note("marking " + seen + "% of the devices seen (as the OCSP batch writes it)...");
        List<String> serials = new ArrayList<>();
        List<String> toRevoke = new ArrayList<>();
        var now = hallmark.clock().instant();
        int[] i = {0};
        int stride = Math.max(1, certificates / Math.max(1, revoked));
        hallmark.store().read(tx -> {
            tx.certificates().scan("idevid-ca", c -> {
                if (c.deviceId() == null || c.revocation() != null) return;
                int n = i[0]++;
                if (n % 100 < seen) serials.add(c.serial());
                if (n % stride == 0 && toRevoke.size() < revoked) toRevoke.add(c.serial());
            });
            return null;
        });
        for (int from = 0; from < serials.size(); from += 10_000) {
            List<String> part = serials.subList(from, Math.min(serials.size(), from + 10_000));
            hallmark.store().run(tx -> tx.events().seenBySerial(part, now));
        }
        note("appending " + auditEntries + " audit entries (a log with history)...");
        for (int from = 0; from < auditEntries; from += 10_000) {
            int n = Math.min(10_000, auditEntries - from);
            hallmark.store().run(tx -> {
                for (int k = 0; k < n; k++) {
                    tx.audit().append("bench", io.hallmark.core.audit.AuditEvent.of("bench.history", "entry"), now);
                }
            });
        }
        note("signing an audit checkpoint, then revoking " + revoked + " IDevIDs after it...");
        hallmark.checkpoints().take("bench", dir.resolve("checkpoint.txt").toString());
        for (String serial : toRevoke) hallmark.revoker().revoke(serial, RevocationReason.keyCompromise, null, "bench");
        Files.writeString(seeded, "seen " + seen + "%, " + auditEntries + " audit entries, " + toRevoke.size() + " revoked\n");
    }

    /** Distinct P-256 keys and CSRs, key storages mixed 40 % secure element, 10 % TPM, 50 % software. */
    private static void generate(Path file, int first, int count) throws Exception {
        X500Name base = new X500Name("CN=Hallmark bench device,O=Hallmark Bench");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int from = 0; from < count; from += 10_000) {
                int start = from;
                byte[][] lines = IntStream.range(start, Math.min(count, start + 10_000)).parallel().mapToObj(i -> {
                    int n = first + i + 1;
                    String serial = String.format("POSTURE-%08d", n);
                    var keys = KeyAlgorithm.EC_P256.generate();
                    byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name(base + ",serialNumber=" + serial));
                    String storage = n % 10 < 4 ? "secure-element" : n % 10 == 4 ? "tpm" : "software";
                    return Ndjson.line(new FactoryItem(serial, Base64.getEncoder().encodeToString(csr), null, null, storage));
                }).toArray(byte[][]::new);
                for (byte[] line : lines) out.write(line);
            }
        }
    }

    /** GET / through the running console, signed in with an auditor token; every answer checked to be the overview. */
    private Map<String, Object> overviewPage(Hallmark hallmark) throws Exception {
        try (HallmarkServer server = HallmarkServer.start(hallmark,
                new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0, List.of("127.0.0.1", "localhost"), null))) {
            String token = hallmark.credentials().createToken(Role.AUDITOR, "bench-posture-" + System.nanoTime(), "bench");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(hallmark.cas().get("root").certificate())));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
            URI base = server.httpsUri();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow(() ->
                    new HallmarkException(HallmarkException.Kind.INTERNAL, "login refused: " + login.statusCode() + " " + login.body()));
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            HttpRequest page = HttpRequest.newBuilder(base.resolve("/")).header("Cookie", cookie).GET().build();
            return timed(() -> {
                HttpResponse<String> r = client.send(page, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains("id=\"count-valid\"")) {
                    throw new HallmarkException(HallmarkException.Kind.INTERNAL, "GET / answered " + r.statusCode() + ", not the overview");
                }
                return r;
            });
        }
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    /** The first run (cold caches, JIT) apart, then {@link #runs} more: their median, minimum and maximum in ms. */
    private Map<String, Object> timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        double first = (System.nanoTime() - t0) / 1e6;
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long t = System.nanoTime();
            work.run();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("first", round(first));
        out.put("median", round(BenchSupport.median(ms)));
        out.put("min", round(ms.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
        out.put("max", round(ms.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        out.put("runs", ms.size());
        note(String.format("first %.0f ms, median %.0f ms over %d runs", first, BenchSupport.median(ms), ms.size()));
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void note(String s) {
        System.err.println("bench: " + s);
    }
}
