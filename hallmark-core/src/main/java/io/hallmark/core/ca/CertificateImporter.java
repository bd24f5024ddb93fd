package io.hallmark.core.ca;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings certificates a CA issued before Hallmark took it over into the inventory, so that they can be listed,
 * revoked and answered for by OCSP. Each must carry the signature of a CA Hallmark knows (verified, not matched by
 * name). Importing again skips what is there: a serial already stored with the same certificate is "exists"; the
 * same serial with another certificate is a conflict, reported and left alone. Bad items are reported one by one;
 * the good ones are stored in chunks, each with its audit entries.
 */
public final class CertificateImporter {

    /** The profile name imported certificates carry: Hallmark did not issue them under one of its profiles. */
    public static final String PROFILE = "imported";
    private static final int CHUNK = 200;

    /** One certificate to import: its bytes (PEM or DER), where it came from, and an optional device id. */
    public record Item(String source, byte[] bytes, String deviceId) {
    }

    /** @param status {@code imported}, {@code exists} or {@code failed} */
    public record Outcome(String source, String status, String serial, String ca, String problem) {
    }

    public record Report(int imported, int existing, int failed, List<Outcome> items) {
    }

    private final Store store;
    private final Clock clock;

    public CertificateImporter(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Report importAll(List<Item> items, String actor, java.util.function.IntConsumer progress) {
        List<CertificateAuthority> cas = store.read(tx -> tx.cas().all());
        Map<String, ContentVerifierProvider> verifiers = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        int done = 0;
        for (Item item : items) {
            try {
                X509CertificateHolder cert = Pem.holder(Pem.derOf(item.bytes(), "CERTIFICATE"));
                CertificateAuthority ca = issuer(cert, cas, verifiers);
                pending.add(new Pending(item, cert, ca));
            } catch (HallmarkException e) {
                outcomes.add(new Outcome(item.source(), "failed", null, null, e.getMessage()));
            }
            if (pending.size() >= CHUNK) {
                outcomes.addAll(store(pending, actor));
                pending.clear();
            }
            if (progress != null) progress.accept(++done);
        }
        outcomes.addAll(store(pending, actor));
        int imported = 0, existing = 0, failed = 0;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case "imported" -> imported++;
                case "exists" -> existing++;
                default -> failed++;
            }
        }
        return new Report(imported, existing, failed, outcomes);
    }

    private record Pending(Item item, X509CertificateHolder cert, CertificateAuthority ca) {
    }

    private List<Outcome> store(List<Pending> chunk, String actor) {
        if (chunk.isEmpty()) return List.of();
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            List<Outcome> out = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Pending p : chunk) {
                String serial = Serials.hex(p.cert().getSerialNumber());
                CertificateRecord record = CertificateRecord.of(p.cert(), p.ca().name(), PROFILE, p.item().deviceId(), p.cert().getNotBefore().toInstant());
                var stored = tx.certificates().find(serial);
                if (stored.isPresent() || !seen.add(serial)) {
                    boolean same = stored.map(s -> s.fingerprint().equals(record.fingerprint())).orElse(true);
                    out.add(same ? new Outcome(p.item().source(), "exists", serial, stored.map(CertificateRecord::caName).orElse(p.ca().name()), null)
                            : new Outcome(p.item().source(), "failed", serial, p.ca().name(), "serial " + serial
                            + " is stored already for another certificate (" + stored.get().subject() + "); left alone"));
                    continue;
                }
                tx.certificates().insert(record);
                tx.audit().append(actor, AuditEvent.of("cert.import", serial, "ca", p.ca().name(), "subject", record.subject(),
                        "sha256", record.fingerprint(), "device", p.item().deviceId()), now);
                out.add(new Outcome(p.item().source(), "imported", serial, p.ca().name(), null));
            }
            return out;
        });
    }

    /** The known CA whose key signed {@code cert}: same name as its issuer and a signature that verifies. */
    private static CertificateAuthority issuer(X509CertificateHolder cert, List<CertificateAuthority> cas,
                                               Map<String, ContentVerifierProvider> verifiers) {
        boolean named = false;
        for (CertificateAuthority ca : cas) {
            X509CertificateHolder caCert = ca.holder();
            if (!caCert.getSubject().equals(cert.getIssuer())) continue;
            named = true;
            try {
                ContentVerifierProvider verifier = verifiers.computeIfAbsent(ca.name(), n -> {
                    try {
                        return new JcaContentVerifierProviderBuilder().build(caCert);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (cert.isSignatureValid(verifier)) return ca;
            } catch (Exception e) {
                // another CA of the same name, or a signature that cannot be checked: try the next
            }
        }
        throw HallmarkException.badInput(named
                ? "not signed by any CA Hallmark knows: the signature does not verify with the key of the CA named " + cert.getIssuer()
                : "issued by " + cert.getIssuer() + ", which is not a CA Hallmark knows (import it first with 'hallmark ca import')");
    }
}
