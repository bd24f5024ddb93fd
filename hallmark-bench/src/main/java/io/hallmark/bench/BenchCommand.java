package io.hallmark.bench;

import io.hallmark.cli.HallmarkCommand;
import io.hallmark.cli.Installation;
import io.hallmark.cli.ModuleCommand;
import io.hallmark.cli.Output;
import io.hallmark.cli.factory.BundleWriter;
import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.vault.Passphrase;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/** Benchmarks, each beside a real peer measured in the same run; one subcommand a subject. */
@Command(name = "bench", description = {"Benchmarks that measure Hallmark beside a real peer in the same run.",
        "factory, crl and ocsp build a throwaway installation in a temporary directory; est drives a running server; load drives "
                + "one or several running servers (nodes on one database) with a mix of EST, OCSP and factory requests."},
        subcommands = {BenchCommand.Factory.class, BenchWire.class, BenchCrl.class, BenchOcsp.class, BenchEstCommand.class, BenchSign.class,
                BenchPostQuantum.class, BenchPosture.class, BenchLoadCommand.class})
public final class BenchCommand implements ModuleCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "factory", description = {
            "Factory provisioning throughput: N distinct P-256 (or --algorithm) CSRs (generated beforehand, not timed) verified, signed, "
                    + "profile-checked, durably recorded and written out as `factory run` writes them (manifest CSV/JSON and "
                    + "per-device bundles, as zip archives unless --bundles says otherwise); then openssl ca and cfssl serve "
                    + "signing the same CSRs, and openssl speed for the crypto limit.",
            "Reports issuedPerSecond, peakHeapMb and cpuMicrosPerIssue (all threads, JIT and GC included). Cold by "
                    + "default, like a fresh `factory run`; --warmup N first issues N into a separate throwaway store, as a "
                    + "server that has been running does. Runs in a fresh data directory (and, with --db PostgreSQL, fresh "
                    + "schemas), removed afterwards unless --keep."})
    static final class Factory implements Callable<Integer> {

        @ParentCommand
        BenchCommand parent;

        @Option(names = "--count", defaultValue = "100000", paramLabel = "N", description = "Devices (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--peer-count", defaultValue = "5000", paramLabel = "N", description = "CSRs for openssl ca and cfssl (default ${DEFAULT-VALUE}).")
        int peerCount;

        @Option(names = "--cfssl-clients", defaultValue = "4", paramLabel = "N", description = "Keep-alive connections to cfssl (default ${DEFAULT-VALUE}).")
        int cfsslClients;

        @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
                description = "First issue N certificates, untimed, into a separate throwaway store, so the measured run finds the JIT warm (default ${DEFAULT-VALUE}: cold).")
        int warmup;

        @Option(names = "--algorithm", split = ",", defaultValue = "ec-p256", paramLabel = "ALG",
                description = "Key algorithm of the devices and of their CAs (default ${DEFAULT-VALUE}); several, comma-separated "
                        + "(ec-p256,ml-dsa-44), run one after the other in this process and are reported side by side. Not P-256: "
                        + "a root and an IDevID CA of that algorithm are made for the run; the peers run for ec-p256 only.")
        List<String> algorithms;

        @Option(names = "--no-peers", description = "Measure Hallmark only.")
        boolean noPeers;

        @Option(names = "--bundles", defaultValue = "zip", paramLabel = "LAYOUT",
                description = "Per-device bundles as in factory run: files, zip or none (default ${DEFAULT-VALUE}; the manifests are always written).")
        String bundles;

        @Option(names = "--no-bundles", description = "Same as --bundles none.")
        boolean noBundles;

        @Option(names = "--chunk", defaultValue = "1000", paramLabel = "N", description = "Devices per transaction (default ${DEFAULT-VALUE}).")
        int chunk;

        @Option(names = "--workers", paramLabel = "N", description = "Signing threads (default: one per core).")
        Integer workers;

        @Option(names = "--check-every", defaultValue = "32", paramLabel = "N", description = "Re-verify every N-th signature (default ${DEFAULT-VALUE}).")
        int checkEvery;

        @Option(names = "--work", paramLabel = "DIR", description = "Working directory (default: a new one under the system temp directory).")
        Path work;

        @Option(names = "--keep", description = "Keep the working directory and PostgreSQL schema.")
        boolean keep;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() throws Exception {
            if (count < 1) throw HallmarkException.badInput("--count must be positive");
            if (warmup < 0) throw HallmarkException.badInput("--warmup must not be negative");
            // Checked before anything is measured: the peers run last, after minutes of work at full size.
            if (peerCount < 1) throw HallmarkException.badInput("--peer-count must be positive (--no-peers measures Hallmark only)");
            if (cfsslClients < 1) throw HallmarkException.badInput("--cfssl-clients must be positive");
            List<KeyAlgorithm> keyAlgorithms = algorithms.stream().map(KeyAlgorithm::parse).distinct().toList();
            Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("hallmark-bench-");
            List<String> schemas = new ArrayList<>();
            Map<String, Object> report = new LinkedHashMap<>();
            try {
                if (keyAlgorithms.size() == 1) {
                    measure(keyAlgorithms.getFirst(), dir, schemas, report);
                } else {
                    // Several algorithms, one after the other in this process: the same machine, load and JIT for each.
                    Map<String, Object> runs = new LinkedHashMap<>();
                    Map<String, Object> ratios = new LinkedHashMap<>();
                    for (KeyAlgorithm alg : keyAlgorithms) {
                        Map<String, Object> run = new LinkedHashMap<>();
                        measure(alg, dir.resolve(alg.id()), schemas, run);
                        runs.put(alg.id(), run);
                    }
                    long first = (Long) ((Map<?, ?>) runs.get(keyAlgorithms.getFirst().id())).get("issuedPerSecond");
                    for (KeyAlgorithm alg : keyAlgorithms.subList(1, keyAlgorithms.size())) {
                        ratios.put(alg.id() + "/" + keyAlgorithms.getFirst().id(), round((Long) ((Map<?, ?>) runs.get(alg.id())).get("issuedPerSecond") / (double) first));
                    }
                    report.put("runs", runs);
                    report.put("ratios", ratios);
                }
            } finally {
                if (!keep) {
                    deleteTree(dir, work != null);
                    for (String schema : schemas) {
                        try (Connection c = DriverManager.getConnection(parent.root.db())) {
                            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                        }
                    }
                }
            }
            if (output.json) {
                Output.json(report);
            } else {
                report.forEach((k, v) -> System.out.println(k + ": " + v));
            }
            return 0;
        }

        /** One measured batch of {@code count} devices whose keys, and whose issuing CA's and root's keys, are {@code alg}. */
        private void measure(KeyAlgorithm alg, Path dir, List<String> schemas, Map<String, Object> report) throws Exception {
            Files.createDirectories(dir);
            if (warmup > 0) {
                note("warming up: " + warmup + " issuances into a separate throwaway store (not timed)...");
                Path csrs = dir.resolve("csrs-warmup-" + warmup + ".ndjson");
                generate(csrs, warmup, alg);
                try (Hallmark hallmark = open(dir.resolve("warmup-data"), freshSchema(schemas))) {
                    issue(hallmark, csrs, warmup, dir.resolve("warmup-out"), issuingCa(hallmark, alg));
                    checkStored(hallmark, warmup);
                }
            }
            Path data = dir.resolve("data-" + System.currentTimeMillis());
            try (Hallmark hallmark = open(data, freshSchema(schemas))) {
                String ca = issuingCa(hallmark, alg);
                note("generating " + count + " distinct " + alg.id() + " keys and CSRs (not timed)...");
                long g0 = System.nanoTime();
                Path csrs = dir.resolve("csrs-" + count + ".ndjson");
                generate(csrs, count, alg);
                double genSeconds = (System.nanoTime() - g0) / 1e9;
                note("issuing " + count + " " + alg.id() + " IDevIDs from " + alg.id() + " CA " + ca + " on " + hallmark.store().describe()
                        + " (" + describeProvider(alg) + ")...");
                HeapSampler heap = new HeapSampler();
                System.gc();
                heap.start();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                FactoryBatch batch = issue(hallmark, csrs, count, dir.resolve("out"), ca);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuMicros = (processCpuNanos() - cpu0) / 1e3 / count;
                heap.stop();
                checkStored(hallmark, count);
                double rate = count / seconds;
                report.put("count", count);
                report.put("algorithm", alg.id());
                report.put("db", parent.root.db() != null ? "postgresql" : "sqlite");
                report.put("store", hallmark.store().describe());
                report.put("provider", describeProvider(alg));
                report.put("java", Runtime.version().toString());
                report.put("cores", Runtime.getRuntime().availableProcessors());
                report.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
                report.put("chunk", batch.chunkSize());
                report.put("workers", batch.workers());
                report.put("checkEvery", batch.checkEvery());
                report.put("warmup", warmup);
                report.put("bundles", BundleWriter.Layout.of(bundles, noBundles).name().toLowerCase(java.util.Locale.ROOT));
                report.put("csrGenerationSeconds", round(genSeconds));
                report.put("seconds", round(seconds));
                report.put("issuedPerSecond", Math.round(rate));
                report.put("peakHeapMb", heap.peakMb());
                // CPU per certificate (all threads, JIT and GC included): steadier than the rate on a shared machine.
                report.put("cpuMicrosPerIssue", Math.round(cpuMicros));
                note(String.format("hallmark: %,d issued in %.1f s = %,d/s, %.0f µs CPU each, peak heap %d MB", count, seconds, Math.round(rate),
                        cpuMicros, heap.peakMb()));

                if (!noPeers && alg == KeyAlgorithm.EC_P256) { // the peers (openssl ca, cfssl, openssl 3.0 speed) know no ML-DSA
                    peers(hallmark, data, dir, csrs, rate, report);
                }
            }
        }

        /** The passphrase of the installation measured last, which the peers get the CA key with. */
        private Passphrase passphrase;

        /** A fresh installation: SQLite in {@code data}, or a new PostgreSQL schema when --db is given. */
        private Hallmark open(Path data, String db) throws Exception {
            Passphrase resolved = Passphrase.resolve(data, true); // $HALLMARK_PASSPHRASE, else a new vault.pass in the throwaway directory
            passphrase = resolved;
            Hallmark hallmark = Installation.open(data, db, () -> resolved);
            hallmark.init(HierarchySpec.defaults(), "bench");
            // Unlock the CA key now, as opening an installation: the software vault derives its key from the
            // passphrase (deliberately slow, ~0.2 s of one core), once per process, as a server does at its
            // first batch. Left inside the timer it would be 2-3 % of a 100k run with the workers idle.
            hallmark.vaults().open(hallmark.cas().get("idevid-ca").keyRef());
            return hallmark;
        }

        /** With --db: a new schema (remembered for removal) and the URL that selects it; else null (SQLite). */
        private String freshSchema(List<String> schemas) throws Exception {
            String db = parent.root.db();
            if (db == null) return null;
            String schema = "hallmark_bench_" + Long.toString(System.nanoTime(), 36);
            try (Connection c = DriverManager.getConnection(db)) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            schemas.add(schema);
            return db + (db.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        /** P-256: the built-in hierarchy's idevid-ca. Another algorithm: a root and an IDevID CA of that algorithm, made for the run. */
        private static String issuingCa(Hallmark hallmark, KeyAlgorithm alg) {
            if (alg == KeyAlgorithm.EC_P256) return "idevid-ca";
            String root = "bench-" + alg.id() + "-root", ca = "bench-" + alg.id() + "-ca";
            var forever = io.hallmark.core.profile.Validity.FOREVER; // IDevIDs never expire: neither does their chain
            hallmark.cas().createOne(new io.hallmark.core.ca.CaSpec(root, null, "CN=Bench " + alg.id() + " Root,O=Hallmark Bench", alg, forever,
                    1, List.of(), null), hallmark.profiles(), "bench");
            hallmark.cas().createOne(new io.hallmark.core.ca.CaSpec(ca, root, "CN=Bench " + alg.id() + " IDevID CA,O=Hallmark Bench", alg, forever,
                    0, List.of("idevid"), null), hallmark.profiles(), "bench");
            return ca;
        }

        private static String describeProvider(KeyAlgorithm alg) {
            return alg == KeyAlgorithm.EC_P256 ? CryptoProviders.describe()
                    : alg.id() + " signatures by " + CryptoProviders.providerFor(alg.signatureAlgorithm()) + " (pinned: " + alg.provider() + ")";
        }

        /** The measured work, exactly as local `factory run` does it: engine, bundles and manifests. */
        private FactoryBatch issue(Hallmark hallmark, Path csrs, int n, Path out, String ca) throws Exception {
            FactoryBatch batch = FactoryBatch.of(ca, "idevid", io.hallmark.core.authorize.Grant.operator("bench")).withChunkSize(chunk).withCheckEvery(checkEvery);
            if (workers != null) batch = batch.withWorkers(workers);
            BatchProgress result;
            try (var source = Ndjson.items(Files.newInputStream(csrs));
                 BundleWriter writer = new BundleWriter(out, hallmark.factory().chainPem(ca), BundleWriter.Layout.of(bundles, noBundles))) {
                result = hallmark.factory().run(batch, source, writer);
            }
            if (result.issued() != n) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "expected " + n + " issued, got " + result.issued() + " (" + result.failed() + " failed)");
            }
            return batch;
        }

        private static void checkStored(Hallmark hallmark, int n) {
            long stored = hallmark.store().inTransaction(tx -> tx.certificates().count()) - hallmark.cas().list().size(); // minus the CA certificates
            if (stored != n) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "expected " + n + " certificates stored, found " + stored);
            }
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private void peers(Hallmark hallmark, Path data, Path dir, Path csrs, double rate, Map<String, Object> report) throws Exception {
            Map<String, Object> peers = new LinkedHashMap<>();
            Map<String, Object> ratios = new LinkedHashMap<>();
            Path peerDir = Files.createDirectories(dir.resolve("peers"));
            var ca = hallmark.cas().get("idevid-ca");
            Path caCert = peerDir.resolve("idevid-ca.pem");
            Files.writeString(caCert, Pem.certificate(ca.certificate()));
            // The peers need the CA key in the clear; this bench's throwaway vault is the only one it comes from.
            Path caKey = peerDir.resolve("idevid-ca.key");
            PeerCaKey.write(Installation.keys(data), passphrase.value(), ca, caKey);

            int n = Math.min(peerCount, count);
            List<Path> files = new ArrayList<>(n);
            List<String> pems = new ArrayList<>(n);
            Path csrDir = Files.createDirectories(peerDir.resolve("csrs"));
            try (var source = Ndjson.items(Files.newInputStream(csrs))) {
                for (int i = 0; i < n; i++) {
                    FactoryItem item = source.next().item();
                    String pem = Pem.encode("CERTIFICATE REQUEST", item.csrBytes());
                    Path f = csrDir.resolve(item.deviceSerial() + ".csr");
                    Files.writeString(f, pem);
                    files.add(f);
                    pems.add(pem);
                }
            }
            note("openssl ca -batch on " + n + " CSRs...");
            FactoryPeers.Rate openssl = FactoryPeers.opensslCa(peerDir, caCert, caKey, files);
            peers.put("opensslCa", openssl);
            ratios.put("vsOpensslCa", round(rate / openssl.perSecond()));
            note(String.format("openssl ca: %,d/s", Math.round(openssl.perSecond())));
            if (FactoryPeers.available("cfssl")) {
                note("cfssl serve, " + cfsslClients + " clients, " + n + " CSRs...");
                FactoryPeers.Rate cfssl = FactoryPeers.cfssl(peerDir, caCert, caKey, pems, cfsslClients);
                peers.put("cfssl", cfssl);
                ratios.put("vsCfssl", round(rate / cfssl.perSecond()));
                note(String.format("cfssl: %,d/s", Math.round(cfssl.perSecond())));
            } else {
                peers.put("cfssl", "not installed (apt-get install golang-cfssl)");
            }
            note("openssl speed -multi " + Runtime.getRuntime().availableProcessors() + " ecdsap256...");
            FactoryPeers.Speed speed = FactoryPeers.opensslSpeed(Runtime.getRuntime().availableProcessors(), 5);
            peers.put("opensslSpeedEcdsaP256", speed);
            ratios.put("vsCryptoLimit", round(rate / speed.cryptoLimitPerSecond()));
            report.put("peers", peers);
            report.put("ratios", ratios);
            Files.deleteIfExists(caKey);
        }

        /** Distinct keys per device, generated on every core; written as the NDJSON a station would send. */
        private static void generate(Path file, int count, KeyAlgorithm alg) throws Exception {
            X500Name base = new X500Name("CN=Hallmark bench device,O=Hallmark Bench");
            int block = 10_000;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                for (int from = 0; from < count; from += block) {
                    int start = from;
                    byte[][] lines = IntStream.range(start, Math.min(count, start + block)).parallel().mapToObj(i -> {
                        String serial = String.format("BENCH-%08d", i + 1);
                        var keys = alg.generate();
                        X500Name subject = new X500Name(base + ",serialNumber=" + serial);
                        byte[] csr = Csrs.create(keys, alg, subject);
                        return Ndjson.line(new FactoryItem(serial, Base64.getEncoder().encodeToString(csr), null, null, "secure-element"));
                    }).toArray(byte[][]::new);
                    for (byte[] line : lines) out.write(line);
                }
            }
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }

        private static void note(String s) {
            System.err.println("bench: " + s);
        }

        static void deleteTree(Path dir, boolean keepRoot) throws java.io.IOException {
            if (!Files.exists(dir)) return;
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!(keepRoot && p.equals(dir))) Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Highest heap use seen, sampled every 20 ms: garbage not yet collected counts, as it occupies the heap. */
    static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            var memory = ManagementFactory.getMemoryMXBean();
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long peakMb() {
            return peak.get() >> 20;
        }
    }
}
