package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-checks what the store holds: every certificate's signature against its CA's key, its stored
 * fingerprint and serial against its DER. Streams the store, so a million certificates need no more
 * memory than a thousand; verifies on all cores.
 */
@Command(name = "verify", description = "Verify every stored certificate (of one CA, or all): signature by its CA, "
        + "stored fingerprint and serial matching the DER. Exit 7 if any fails.")
final class CertVerifyCommand implements java.util.concurrent.Callable<Integer> {

    private static final int BATCH = 4096;

    @ParentCommand
    CertCommand cert;

    @Option(names = "--ca", paramLabel = "NAME", description = "Only certificates issued by this CA.")
    String ca;

    @Mixin
    Output.JsonOption output;

    record Report(long checked, long badSignature, long badRecord, long seconds, List<String> firstProblems) {
        boolean ok() {
            return badSignature == 0 && badRecord == 0;
        }
    }

    @Override
    public Integer call() {
        Hallmark hallmark = cert.root.open();
        List<CertificateAuthority> cas = ca == null ? hallmark.cas().list() : List.of(hallmark.cas().get(ca));
        long start = System.nanoTime();
        AtomicLong checked = new AtomicLong();
        AtomicLong badSignature = new AtomicLong();
        AtomicLong badRecord = new AtomicLong();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        for (CertificateAuthority authority : cas) {
            ContentVerifierProvider verifier = verifier(authority);
            List<CertificateRecord> batch = new ArrayList<>(BATCH);
            Runnable flush = () -> {
                batch.parallelStream().forEach(r -> check(r, authority, verifier, badSignature, badRecord, problems));
                checked.addAndGet(batch.size());
                batch.clear();
            };
            hallmark.store().read(tx -> {
                tx.certificates().scan(authority.name(), r -> {
                    batch.add(r);
                    if (batch.size() == BATCH) flush.run();
                });
                return null;
            });
            flush.run();
        }
        Report report = new Report(checked.get(), badSignature.get(), badRecord.get(), (System.nanoTime() - start) / 1_000_000_000L,
                problems.subList(0, Math.min(10, problems.size())));
        if (output.json) {
            Output.json(report);
        } else if (report.ok()) {
            System.out.println("verified " + report.checked() + " certificates in " + report.seconds() + " s: all signed by their CA, records match");
        } else {
            System.err.println("hallmark: " + (report.badSignature() + report.badRecord()) + " of " + report.checked()
                    + " certificates failed: " + Output.safe(String.join("; ", report.firstProblems())));
        }
        return report.ok() ? 0 : ExitCodes.AUDIT_BROKEN;
    }

    private static void check(CertificateRecord r, CertificateAuthority ca, ContentVerifierProvider verifier,
                              AtomicLong badSignature, AtomicLong badRecord, List<String> problems) {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(r.der());
            if (!holder.getIssuer().equals(ca.holder().getSubject())) {
                badRecord.incrementAndGet();
                problems.add(r.serial() + ": issuer is not " + ca.name());
            } else if (!holder.isSignatureValid(verifier)) {
                badSignature.incrementAndGet();
                problems.add(r.serial() + ": signature does not verify with " + ca.name() + "'s key");
            } else if (!holder.getSerialNumber().toString(16).equals(r.serial()) || !Fingerprints.sha256Hex(r.der()).equals(r.fingerprint())) {
                badRecord.incrementAndGet();
                problems.add(r.serial() + ": stored serial or fingerprint does not match the certificate");
            }
        } catch (Exception e) {
            badRecord.incrementAndGet();
            problems.add(r.serial() + ": unreadable (" + e.getMessage() + ")");
        }
    }

    private static ContentVerifierProvider verifier(CertificateAuthority ca) {
        try {
            return new JcaContentVerifierProviderBuilder().build(ca.x509().getPublicKey());
        } catch (Exception e) {
            throw new IllegalStateException("cannot use " + ca.name() + "'s public key", e);
        }
    }
}
