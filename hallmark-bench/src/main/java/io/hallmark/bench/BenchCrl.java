package io.hallmark.bench;

import io.hallmark.cli.Installation;
import io.hallmark.cli.Output;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.revoke.CrlEncoder;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.x509.CertificateAssembler;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "crl", description = "Sign a complete CRL of N revoked serials, beside `openssl ca -gencrl` over the same "
        + "revocations (an index.txt of the same serials, the same CA key) in the same run. Reports medians.")
final class BenchCrl implements Callable<Integer> {

    @Option(names = "--revoked", defaultValue = "1000000", paramLabel = "N", description = "Revoked serials (default 1,000,000).")
    int revoked;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "R", description = "Runs of each side (default 3).")
    int runs;

    @Option(names = "--with-bc-builder", description = "Also time BouncyCastle's X509v2CRLBuilder (the object-per-entry way).")
    boolean withBcBuilder;

    @Option(names = "--from-store", description = "Time the complete CRL as `hallmark crl generate` makes it: N revocations "
            + "loaded into the store first (SQLite, or a fresh PostgreSQL schema with --db), then read, encoded and signed.")
    boolean fromStore;

    @picocli.CommandLine.ParentCommand
    BenchCommand parent;

    @Mixin
    Output.JsonOption output;

    static final String OPENSSL_CNF = """
            [ ca ]
            default_ca = bench
            [ bench ]
            database = index.txt
            crlnumber = crlnumber
            default_md = sha256
            default_crl_days = 7
            crl_extensions = crl_ext
            [ crl_ext ]
            authorityKeyIdentifier = keyid:always
            """;

    record Result(int revoked, int runs, String machine, String provider, double hallmarkMs, int hallmarkDerBytes,
                  double opensslMs, int opensslDerBytes, double ratio, Double bcBuilderMs, String openssl) {
    }

    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        if (revoked < 1 || runs < 1) throw io.hallmark.core.error.HallmarkException.badInput("--revoked and --runs must be positive");
        if (fromStore) {
            var report = CrlFromStore.run(parent.root.db(), revoked, runs);
            if (output.json) {
                Output.json(report);
            } else {
                report.forEach((k, v) -> System.out.println(k + ": " + v));
            }
            return 0;
        }
        try (BenchSupport b = new BenchSupport()) {
            CertificateAuthority ca = b.hallmark.cas().get("ldevid-ca");
            KeyHandle key = b.hallmark.vaults().open(ca.keyRef()); // through the vault, as the CRL service signs
            // The same revocations for both sides: random 159-bit serials, times within the last year.
            SecureRandom random = new SecureRandom();
            Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
            BigInteger[] serials = new BigInteger[revoked];
            Instant[] times = new Instant[revoked];
            for (int i = 0; i < revoked; i++) {
                serials[i] = new BigInteger(159, random).setBit(150);
                times[i] = now.minusSeconds(random.nextInt(365 * 86400));
            }
            Path peer = b.dir.resolve("openssl-ca");
            Files.createDirectories(peer);
            writeIndex(peer.resolve("index.txt"), serials, times);
            Files.writeString(peer.resolve("crlnumber"), "01\n");
            Files.writeString(peer.resolve("ca.pem"), Pem.certificate(ca.certificate()));
            Files.writeString(peer.resolve("openssl.cnf"), OPENSSL_CNF);
            // The CA key, exported for the peer only: decrypted once here so the timed runs do not pay PBKDF2.
            PeerCaKey.write(Installation.keys(b.dir), b.passphrase.toCharArray(), ca, peer.resolve("ca.key"));

            Extensions exts = new Extensions(new Extension[]{
                    new Extension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                            CertificateAssembler.keyIdentifier(ca.holder().getSubjectPublicKeyInfo()).getKeyIdentifier()).getEncoded()),
                    new Extension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE).getEncoded())});
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            byte[] der = null;
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                CrlEncoder encoder = new CrlEncoder(ca.holder().getSubject(), now, now.plusSeconds(7 * 86400));
                for (int i = 0; i < revoked; i++) encoder.add(serials[i], times[i], RevocationReason.keyCompromise, null);
                der = encoder.sign(key.signer(), exts);
                ours.add((System.nanoTime() - t0) / 1e6);

                long t1 = System.nanoTime();
                BenchSupport.run(peer, List.of("openssl", "ca", "-config", "openssl.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem"));
                theirs.add((System.nanoTime() - t1) / 1e6);
            }
            Files.write(peer.resolve("hallmark.crl"), der);
            // Both CRLs must hold the same N entries and verify, or the timing means nothing.
            BenchSupport.run(peer, List.of("openssl", "crl", "-inform", "DER", "-in", "hallmark.crl", "-CAfile", "ca.pem", "-noout"));
            byte[] theirDer = Pem.blocks(Files.readAllBytes(peer.resolve("crl.pem")), "X509 CRL").getFirst();
            int ourCount = new X509CRLHolder(der).getRevokedCertificates().size();
            int theirCount = new X509CRLHolder(theirDer).getRevokedCertificates().size();
            if (ourCount != revoked || theirCount != revoked) {
                throw new IllegalStateException("entry counts differ: hallmark " + ourCount + ", openssl " + theirCount + ", expected " + revoked);
            }
            Double bc = null;
            if (withBcBuilder) {
                long t2 = System.nanoTime();
                X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.holder().getSubject(), Date.from(now));
                builder.setNextUpdate(Date.from(now.plusSeconds(7 * 86400)));
                for (int i = 0; i < revoked; i++) builder.addCRLEntry(serials[i], Date.from(times[i]), 1);
                for (var oid : exts.getExtensionOIDs()) builder.addExtension(exts.getExtension(oid));
                builder.build(key.signer()).getEncoded();
                bc = (System.nanoTime() - t2) / 1e6;
            }
            String version = BenchSupport.run(peer, List.of("openssl", "version")).strip();
            double o = BenchSupport.median(ours), t = BenchSupport.median(theirs);
            Result r = new Result(revoked, runs, Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch"),
                    CryptoProviders.describe(), round(o), der.length, round(t), theirDer.length, round(t / o), bc == null ? null : round(bc), version);
            if (output.json) {
                Output.json(r);
            } else {
                Output.fields(System.out, "revoked serials", String.format("%,d", revoked), "runs", runs, "machine", r.machine(), "provider", r.provider(),
                        "hallmark", String.format("%,.0f ms median, %,d bytes DER", o, der.length),
                        "openssl ca -gencrl", String.format("%,.0f ms median, %,d bytes DER (%s; wall clock, PEM output)", t, theirDer.length, version),
                        "ratio", String.format("openssl time / hallmark time = %.2f", t / o),
                        "X509v2CRLBuilder", bc == null ? null : String.format("%,.0f ms (one run)", bc));
            }
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void writeIndex(Path file, BigInteger[] serials, Instant[] times) throws IOException {
        String expiry = "301231235959Z";
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < serials.length; i++) {
                String hex = serials[i].toString(16).toUpperCase(Locale.ROOT);
                if (hex.length() % 2 == 1) hex = "0" + hex;
                w.write("R\t" + expiry + "\t" + INDEX_TIME.format(times[i]) + ",keyCompromise\t" + hex + "\tunknown\t/CN=device-" + i + "\n");
            }
        }
        Files.writeString(file.resolveSibling("index.txt.attr"), "unique_subject = no\n");
    }
}
