package io.hallmark.bench;

import io.hallmark.cli.Installation;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.cert.X509CRLHolder;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench crl --from-store}: the complete CRL as {@code hallmark crl generate} makes it (CrlService: the CRL
 * number, the revocations streamed from the store into CrlEncoder, the signature through the vault), timed end to
 * end, beside {@code openssl ca -gencrl} over an index.txt of the same revocations. The store is loaded first,
 * untimed, by one INSERT ... SELECT per table: rows with the columns and sizes of factory-made IDevIDs (random
 * 159-bit serials, a 560-byte DER blob, a subject, key id and fingerprint), all of the CA idevid-ca, each revoked
 * (keyCompromise, a time within the last year). Building them through the factory engine and the revoker would
 * take many minutes at a million; the CRL reads the same tables, indexes and query either way.
 */
final class CrlFromStore {

    private static final String CA = "idevid-ca";
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private CrlFromStore() {
    }

    static Map<String, Object> run(String db, int revoked, int runs) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        String schema = db == null ? null : "hallmark_bench_crl_" + Long.toString(System.nanoTime(), 36);
        String url = null;
        if (db != null) {
            try (Connection c = DriverManager.getConnection(db)) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            url = db + (db.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        try (BenchSupport b = new BenchSupport(url)) {
            CertificateAuthority ca = b.hallmark.cas().get(CA);
            b.hallmark.vaults().open(ca.keyRef()); // unlock once, as a running server has: the passphrase derivation is not the CRL's
            long l0 = System.nanoTime();
            load(url == null ? "jdbc:sqlite:" + b.dir.resolve("hallmark.db") : url, url != null, revoked);
            report.put("db", url == null ? "sqlite" : "postgresql");
            report.put("store", b.hallmark.store().describe());
            report.put("loadSeconds", round((System.nanoTime() - l0) / 1e9));
            report.put("loadAverageBefore", loadAverage());

            Path peer = Files.createDirectories(b.dir.resolve("openssl-ca"));
            writeIndex(b, peer.resolve("index.txt"));
            Files.writeString(peer.resolve("crlnumber"), "01\n");
            Files.writeString(peer.resolve("ca.pem"), Pem.certificate(ca.certificate()));
            Files.writeString(peer.resolve("openssl.cnf"), BenchCrl.OPENSSL_CNF);
            PeerCaKey.write(Installation.keys(b.dir), b.passphrase.toCharArray(), ca, peer.resolve("ca.key"));

            List<Double> ours = new ArrayList<>(), ourCpu = new ArrayList<>(), reads = new ArrayList<>(), theirs = new ArrayList<>(),
                    theirCpu = new ArrayList<>(), readCpu = new ArrayList<>();
            GeneratedCrl crl = null;
            for (int run = 0; run < runs; run++) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                crl = b.hallmark.crls().generate(CA, false, null);
                ours.add((System.nanoTime() - t0) / 1e6);
                ourCpu.add((processCpuNanos() - c0) / 1e6); // all of the JVM's threads: JIT and GC included
                if (crl.entries() != revoked) {
                    throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the CRL holds " + crl.entries() + " entries, not " + revoked);
                }
                double[] read = timeRead(b);
                reads.add(read[0]);
                readCpu.add(read[1]);
                long t1 = System.nanoTime();
                // GNU time reports the peer's own CPU (user + system): on a shared machine the steadier figure.
                String out = BenchSupport.run(peer, List.of("/usr/bin/time", "-f", "cpu-seconds %U %S", "openssl", "ca", "-config", "openssl.cnf",
                        "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem"));
                theirs.add((System.nanoTime() - t1) / 1e6);
                String[] cpu = out.substring(out.lastIndexOf("cpu-seconds ")).strip().split(" ");
                theirCpu.add((Double.parseDouble(cpu[1]) + Double.parseDouble(cpu[2])) * 1000);
            }
            Files.write(peer.resolve("hallmark.crl"), crl.der());
            BenchSupport.run(peer, List.of("openssl", "crl", "-inform", "DER", "-in", "hallmark.crl", "-CAfile", "ca.pem", "-noout"));
            byte[] theirDer = Pem.blocks(Files.readAllBytes(peer.resolve("crl.pem")), "X509 CRL").getFirst();
            int ourCount = new X509CRLHolder(crl.der()).getRevokedCertificates().size();
            int theirCount = new X509CRLHolder(theirDer).getRevokedCertificates().size();
            if (ourCount != revoked || theirCount != revoked) {
                throw new IllegalStateException("entry counts differ: hallmark " + ourCount + ", openssl " + theirCount + ", expected " + revoked);
            }
            double o = BenchSupport.median(ours), t = BenchSupport.median(theirs);
            report.put("revoked", revoked);
            report.put("runs", runs);
            report.put("hallmarkMs", round(o));
            report.put("hallmarkRunsMs", ours.stream().map(CrlFromStore::round).toList());
            report.put("hallmarkCpuMs", round(BenchSupport.median(ourCpu)));
            report.put("storeReadMs", round(BenchSupport.median(reads)));
            report.put("storeReadThreadCpuMs", round(BenchSupport.median(readCpu)));
            report.put("hallmarkDerBytes", crl.der().length);
            report.put("opensslMs", round(t));
            report.put("opensslRunsMs", theirs.stream().map(CrlFromStore::round).toList());
            report.put("opensslDerBytes", theirDer.length);
            report.put("opensslCpuMs", round(BenchSupport.median(theirCpu)));
            report.put("ratio", round(t / o));
            report.put("cpuRatio", round(BenchSupport.median(theirCpu) / BenchSupport.median(ourCpu)));
            report.put("underTwoSeconds", o < 2000);
            report.put("loadAverageAfter", loadAverage());
        } finally {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(db)) {
                    c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
        return report;
    }

    /** The store read alone: the same streamed query the CRL runs, each row counted and dropped. Wall and this thread's CPU, ms. */
    private static double[] timeRead(BenchSupport b) {
        long[] n = {0};
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        b.hallmark.store().readOnce(tx -> {
            tx.certificates().eachRevoked(CA, null, -1, Long.MAX_VALUE, Instant.now(), e -> n[0]++);
            return null;
        });
        return new double[]{(System.nanoTime() - t0) / 1e6, (threads.getCurrentThreadCpuTime() - c0) / 1e6};
    }

    /** As the revoker writes them: with the certificate's CA, notAfter and partition copied (V17). */
    private static final String REVOCATIONS = "INSERT INTO revocations (serial, reason, revoked_at, invalidity_date, seq, ca_name, not_after, "
            + "crl_partition) SELECT serial, 'keyCompromise', ";
    private static final String FROM_CERTIFICATES = ", NULL, row_number() OVER (), ca_name, not_after, crl_partition FROM certificates "
            + "WHERE profile = 'idevid'";

    /**
     * N certificates of idevid-ca with their revocations, the revocation sequence moved past them. The serial: a first
     * hex digit 1-7 and 39 random ones, Hallmark's stored form of a 159-bit serial (no leading zero).
     */
    private static void load(String url, boolean postgres, int n) throws Exception {
        long now = Instant.now().toEpochMilli();
        long year = 365L * 86400 * 1000;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            String columns = "INSERT INTO certificates (serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, not_after, "
                    + "issued_at, der, key_algorithm) ";
            if (postgres) {
                s.execute(columns + "SELECT substr('1234567', 1 + (random() * 6)::int, 1) || substr(md5(random()::text || i) || md5(i || random()::text), 1, 39), "
                        + "'" + CA + "', 'idevid', 'BENCH-' || i, 'CN=Hallmark bench device,O=Hallmark Bench,serialNumber=BENCH-' || i, "
                        + "md5(i || 'k') || md5(i || 'K'), md5(i || 'f') || md5(i || 'F'), " + now + ", 253402300799000, " + now + ", "
                        + "decode(repeat(md5(i || 'd'), 35), 'hex'), 'ec-p256' FROM generate_series(1, " + n + ") i");
                s.execute(REVOCATIONS + now + " - (random() * " + year + ")::bigint" + FROM_CERTIFICATES);
            } else {
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + n + ") "
                        + columns + "SELECT substr('1234567', 1 + abs(random()) % 7, 1) || substr(lower(hex(randomblob(20))), 1, 39), "
                        + "'" + CA + "', 'idevid', 'BENCH-' || i, 'CN=Hallmark bench device,O=Hallmark Bench,serialNumber=BENCH-' || i, "
                        + "lower(hex(randomblob(32))), lower(hex(randomblob(32))), " + now + ", 253402300799000, " + now + ", "
                        + "randomblob(560), 'ec-p256' FROM n");
                s.execute(REVOCATIONS + now + " - abs(random()) % " + year + FROM_CERTIFICATES);
            }
            s.execute("UPDATE revocation_head SET seq = " + n + " WHERE id = 1");
            c.commit();
            c.setAutoCommit(true);
            // This server runs with autovacuum off; one with it on does the same by itself after such a load.
            if (postgres) s.execute("VACUUM ANALYZE");
            // The load wrote its pages to the WAL; a store revoked over months has been checkpointed many times over.
            if (!postgres) s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The peer's store: an index.txt of the same revocations, read from ours (untimed). */
    private static void writeIndex(BenchSupport b, Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            int[] i = {0};
            b.hallmark.store().run(tx -> tx.certificates().eachRevoked(CA, null, -1, Long.MAX_VALUE, Instant.now(), e -> {
                String hex = e.serial().toUpperCase(Locale.ROOT);
                if (hex.length() % 2 == 1) hex = "0" + hex;
                try {
                    w.write("R\t301231235959Z\t" + INDEX_TIME.format(e.revocation().revokedAt()) + ",keyCompromise\t" + hex + "\tunknown\t/CN=device-" + i[0]++ + "\n");
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }));
        }
        Files.writeString(file.resolveSibling("index.txt.attr"), "unique_subject = no\n");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
