package io.hallmark.bench;

import io.hallmark.cli.Output;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVault;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.Pkcs11KeyVault;
import io.hallmark.core.vault.Pkcs11Settings;
import io.hallmark.core.vault.SoftwareKeyVault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "sign", description = {"ECDSA P-256 signatures per second through a key vault, as a CA signs a certificate "
        + "(a fresh signer per signature over a certificate-sized TBS), on N threads; beside `openssl speed ecdsap256` on as "
        + "many processes in the same run.",
        "--vault software makes a throwaway key in a temporary directory. --vault pkcs11 makes a key labelled bench-... on the "
        + "token named by --pkcs11-library/--pkcs11-token/--pkcs11-pin-file (use a scratch token: the key is left there; "
        + "SoftHSM2 needs SOFTHSM2_CONF in the environment)."})
final class BenchSign implements Callable<Integer> {

    @Option(names = "--vault", required = true, paramLabel = "software|pkcs11", description = "The vault to sign through.")
    String vault;

    @Option(names = "--threads", paramLabel = "N", description = "Signing threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "Measured seconds for each side (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--pkcs11-library", paramLabel = "PATH")
    Path library;

    @Option(names = "--pkcs11-token", paramLabel = "LABEL")
    String token;

    @Option(names = "--pkcs11-pin-file", paramLabel = "FILE")
    Path pinFile;

    @Option(names = "--no-peers", description = "Measure the vault only (no openssl speed).")
    boolean noPeers;

    @Mixin
    Output.JsonOption output;

    record Result(String vault, int threads, int seconds, String machine, long signatures, double signaturesPerSecond,
                  Double opensslSignPerSecond, Double vsOpenssl) {
    }

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || seconds < 1) throw HallmarkException.badInput("--threads and --seconds must be positive");
        Path tmp = Files.createTempDirectory("hallmark-bench-sign-");
        try {
            KeyVault v = switch (vault) {
                case "software" -> new SoftwareKeyVault(tmp.resolve("keys"), new Passphrase(randomPassphrase(), "bench", false));
                case "pkcs11" -> new Pkcs11KeyVault(new Pkcs11Settings(library, token, pinFile).check());
                default -> throw HallmarkException.badInput("--vault must be 'software' or 'pkcs11', not '" + vault + "'");
            };
            KeyHandle key = v.generate("bench", KeyAlgorithm.EC_P256);
            byte[] tbs = new byte[420]; // about a device certificate's TBSCertificate
            new SecureRandom().nextBytes(tbs);
            verify(key, tbs);
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) key.sign(tbs); // warm-up, not timed

            AtomicLong done = new AtomicLong();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    long count = 0;
                    while (System.nanoTime() < deadline) {
                        key.sign(tbs);
                        count++;
                    }
                    done.addAndGet(count);
                }));
            }
            for (Thread t : workers) t.join();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double rate = done.get() / elapsed;

            Double openssl = null;
            if (!noPeers) {
                System.err.println("bench: openssl speed -multi " + n + " ecdsap256...");
                openssl = FactoryPeers.opensslSpeed(n, seconds).signPerSecond();
            }
            Result r = new Result(vault, n, seconds, Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch"), done.get(), Math.round(rate * 10) / 10.0,
                    openssl, openssl == null ? null : Math.round(rate / openssl * 1000) / 1000.0);
            if (output.json) {
                Output.json(r);
            } else {
                System.out.printf("%s vault, %d threads, %d s: %,d signatures, %,.0f/s%n", vault, n, seconds, r.signatures(), rate);
                if (openssl != null) System.out.printf("openssl speed ecdsap256 -multi %d: %,.0f sign/s (vault at %.1f%%)%n", n, openssl, rate / openssl * 100);
            }
            return 0;
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A benchmark of signatures that do not verify measures nothing. */
    private static void verify(KeyHandle key, byte[] tbs) throws Exception {
        java.security.Signature v = java.security.Signature.getInstance(key.algorithm().signatureAlgorithm());
        v.initVerify(key.publicKey());
        v.update(tbs);
        if (!v.verify(key.sign(tbs))) throw new IllegalStateException("the vault's signature does not verify");
    }

    private static char[] randomPassphrase() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    }
}
