package io.hallmark.bench;

import io.hallmark.cli.Output;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.core.store.CertificateRecord;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

@Command(name = "ocsp", description = "In-process OCSP responder throughput over N issued certificates: cold (every answer "
        + "looked up and signed), pre-produced (cached, no signing), and with nonces (cached status, one signature "
        + "each). The HTTP-level comparison with `openssl ocsp` is scripts/bench-ocsp-peer.sh.")
final class BenchOcsp implements Callable<Integer> {

    @Option(names = "--certs", defaultValue = "2000", paramLabel = "N", description = "Certificates to issue and query (default 2,000).")
    int certs;

    @Option(names = "--rounds", defaultValue = "20", paramLabel = "R", description = "Passes over all certificates for the cached case (default 20).")
    int rounds;

    @Option(names = "--threads", paramLabel = "T", description = "Threads querying (default: available processors).")
    Integer threads;

    @Mixin
    Output.JsonOption output;

    record Result(int certs, int threads, String machine, String provider, double coldPerSecond, double cachedPerSecond,
                  double noncePerSecond, double cachedP99Ms, long signatures, long preProducedHits) {
    }

    @Override
    public Integer call() throws Exception {
        if (certs < 1 || rounds < 1) throw io.hallmark.core.error.HallmarkException.badInput("--certs and --rounds must be positive");
        if (threads != null && threads < 1) throw io.hallmark.core.error.HallmarkException.badInput("--threads must be positive");
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        try (BenchSupport b = new BenchSupport()) {
            var ca = b.hallmark.cas().get("ldevid-ca");
            List<byte[]> plain = new ArrayList<>(certs);
            List<byte[]> nonced = new ArrayList<>(certs);
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < certs; i++) {
                KeyPair keys = KeyAlgorithm.EC_P256.generate();
                CertificateRecord c = b.hallmark.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid",
                        Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=bench-" + i)), "BENCH-" + i, null, "bench")).certificate();
                CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), ca.holder(), new BigInteger(c.serial(), 16));
                plain.add(new OCSPReqBuilder().addRequest(id).build().getEncoded());
                byte[] nonce = new byte[16];
                random.nextBytes(nonce);
                nonced.add(new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(new Extension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(new DEROctetString(nonce).getEncoded())))).build().getEncoded());
            }
            OcspResponder ocsp = b.hallmark.ocsp();
            ocsp.responderCertificate("ldevid-ca"); // the one-time responder key and certificate, outside the timings

            double cold = throughput(ocsp, plain, 1, t, null);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            double cached = throughput(ocsp, plain, rounds, t, latencies);
            double withNonce = throughput(ocsp, nonced, 1, t, null);
            var stats = ocsp.stats();
            Result r = new Result(certs, t, Runtime.getRuntime().availableProcessors() + " cores", CryptoProviders.describe(),
                    Math.round(cold), Math.round(cached), Math.round(withNonce), Math.round(BenchSupport.percentile(latencies, 0.99) * 1000) / 1000.0,
                    stats.signatures(), stats.preProducedHits());
            if (output.json) {
                Output.json(r);
            } else {
                Output.fields(System.out, "certificates", certs, "threads", t, "provider", r.provider(),
                        "cold (lookup + sign)", String.format("%,.0f responses/s", cold),
                        "pre-produced (cached)", String.format("%,.0f responses/s, p99 %.3f ms", cached, r.cachedP99Ms()),
                        "with nonce (sign each)", String.format("%,.0f responses/s", withNonce),
                        "signatures / cache hits", stats.signatures() + " / " + stats.preProducedHits());
            }
        }
        return 0;
    }

    private static double throughput(OcspResponder ocsp, List<byte[]> requests, int rounds, int threads, List<Long> latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> parts = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                parts.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        for (int i = worker; i < requests.size(); i += threads) {
                            long s = System.nanoTime();
                            byte[] resp = ocsp.respond(requests.get(i));
                            if (latencies != null) mine.add(System.nanoTime() - s);
                            if (resp.length < 100) throw new IllegalStateException("OCSP error response in benchmark");
                        }
                    }
                    if (latencies != null) latencies.addAll(mine);
                    return null;
                }));
            }
            for (Future<?> f : parts) f.get();
            return (double) requests.size() * rounds / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
