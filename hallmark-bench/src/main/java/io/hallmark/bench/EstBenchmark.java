package io.hallmark.bench;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.EstClient;
import org.bouncycastle.asn1.x500.X500Name;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load for EST simpleenroll the way a fleet makes it: every enrollment is a new device connection, so a
 * full mutual-TLS handshake (no session to resume) plus one issuance. CSRs are made beforehand so that the
 * client's key generation does not count against the server. Two clients: {@link Client#SOCKET} (default), a light
 * one per thread ({@link SocketEnroller}), and {@link Client#HTTP_CLIENT}, the device's own {@link EstClient} with a new
 * SSLContext and java.net.http client per enrollment, which costs the shared machine several times more CPU.
 */
final class EstBenchmark {

    /** CSRs per IDevID, used round robin; the server issues a new certificate for each request regardless. */
    static final int CSRS_PER_DEVICE = 4;

    /** Which client makes the requests. */
    enum Client {
        /** {@link SocketEnroller}: one SSLContext per thread, a new socket and a full handshake per enrollment. */
        SOCKET,
        /** {@link EstClient}: a new SSLContext and java.net.http.HttpClient per enrollment, as a device makes it. */
        HTTP_CLIENT
    }

    record Prepared(byte[] csr, PublicKey key) {
    }

    record Device(String name, DeviceCredential idevid, List<Prepared> csrs) {
    }

    /**
     * @param perSecond successful enrollments per second over the measured time
     * @param firstError the first failure's message, null if none failed
     * @param fullHandshakes handshakes in which the client signed with its IDevID (so full ones, not resumed), counted
     *                       by the client's key manager; null for {@link Client#HTTP_CLIENT}, whose key manager is the device's
     */
    public record Result(String server, String client, int clients, double seconds, long enrollments, double perSecond,
                         Double p50Ms, Double p99Ms, long errors, String firstError, Long fullHandshakes, int devices,
                         String tlsProvider, String crypto) {
    }

    private final URI server;
    private final String label;
    private final List<X509Certificate> anchors;
    private final List<Device> devices;

    private EstBenchmark(URI server, String label, List<X509Certificate> anchors, List<Device> devices) {
        this.server = server;
        this.label = label;
        this.anchors = List.copyOf(anchors);
        this.devices = devices;
    }

    /** Reads every NAME.pem with a NAME.key beside it in {@code dir} (as {@code quickstart --devices N} writes them). */
    public static EstBenchmark prepare(URI server, String label, List<X509Certificate> anchors, Path dir) {
        return new EstBenchmark(server, label, anchors, readDevices(dir));
    }

    /** The IDevIDs in {@code dir}, each with {@link #CSRS_PER_DEVICE} CSRs made for it (`bench load` reads them too). */
    static List<Device> readDevices(Path dir) {
        List<Device> devices = new ArrayList<>();
        List<Path> pems = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.pem")) {
            entries.forEach(pems::add);
        } catch (IOException e) {
            throw HallmarkException.notFound("cannot list IDevIDs in " + dir + ": " + e.getMessage());
        }
        pems.sort(null);
        for (Path pem : pems) {
            String name = pem.getFileName().toString().replaceAll("\\.pem$", "");
            Path key = pem.resolveSibling(name + ".key");
            if (!Files.isRegularFile(key)) continue;
            DeviceCredential idevid = DeviceCredentials.fromPem(pem, key);
            X500Name subject = X500Name.getInstance(idevid.certificate().getSubjectX500Principal().getEncoded());
            List<Prepared> csrs = new ArrayList<>();
            for (int i = 0; i < CSRS_PER_DEVICE; i++) {
                KeyPair keys = KeyAlgorithm.EC_P256.generate();
                csrs.add(new Prepared(Csrs.create(keys, KeyAlgorithm.EC_P256, subject), keys.getPublic()));
            }
            devices.add(new Device(name, idevid, csrs));
        }
        if (devices.isEmpty()) {
            throw HallmarkException.notFound("no IDevIDs in " + dir + " (expected NAME.pem with NAME.key, e.g. from 'hallmark quickstart --devices 16')");
        }
        return devices;
    }

    public Result run(int clients, Duration duration) throws InterruptedException {
        return run(Client.SOCKET, clients, duration);
    }

    public Result run(Client client, int clients, Duration duration) throws InterruptedException {
        if (clients < 1 || clients > 1024) throw HallmarkException.badInput("--clients must be between 1 and 1024");
        if (duration.isNegative() || duration.isZero()) throw HallmarkException.badInput("--duration must be positive");
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong fullHandshakes = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int c = 0; c < clients; c++) {
            long[][] mine = {new long[1024]};
            int[] count = {0};
            Thread t = Thread.ofPlatform().name("est-bench-" + c).unstarted(() -> {
                SocketEnroller socket = client == Client.SOCKET ? new SocketEnroller(server, label, anchors) : null;
                while (System.nanoTime() < end) {
                    long n = next.getAndIncrement();
                    Device device = devices.get((int) (n % devices.size()));
                    Prepared csr = device.csrs().get((int) ((n / devices.size()) % CSRS_PER_DEVICE));
                    long t0 = System.nanoTime();
                    try {
                        if (socket != null) {
                            socket.enroll(device.idevid(), csr.csr(), csr.key());
                        } else {
                            try (EstClient est = new EstClient(server, label, anchors, device.idevid())) {
                                est.simpleEnroll(csr.csr(), csr.key());
                            }
                        }
                        long took = System.nanoTime() - t0;
                        if (count[0] == mine[0].length) mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                        mine[0][count[0]++] = took;
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, device.name() + ": " + e.getMessage());
                    }
                }
                if (socket != null) fullHandshakes.addAndGet(socket.fullHandshakes());
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            });
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        String tls;
        try {
            tls = javax.net.ssl.SSLContext.getDefault().getProvider().getName();
        } catch (java.security.NoSuchAlgorithmException e) {
            tls = "unknown";
        }
        return new Result(server.toString(), client.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), clients,
                round(seconds, 2), all.length, round(all.length / seconds, 1),
                millis(all, 0.50), millis(all, 0.99), errors.get(), firstError.get(),
                client == Client.SOCKET ? fullHandshakes.get() : null, devices.size(), tls + " (JDK " + Runtime.version() + ")", io.hallmark.core.crypto.CryptoProviders.describe());
    }

    /** Percentile in milliseconds; null (not NaN, which JSON cannot carry) when nothing succeeded. */
    private static Double millis(long[] sorted, double p) {
        return sorted.length == 0 ? null : round(percentile(sorted, p) / 1e6, 2);
    }

    /** Nearest-rank percentile of sorted, non-empty values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double value, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(value * f) / f;
    }
}
