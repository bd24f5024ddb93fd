package io.hallmark.cli.broker;

import io.hallmark.core.Hallmark;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One export of a broker's trust files into a directory: ca.pem, crl.pem, the broker's configuration snippet (and
 * HiveMQ's truststore). A file is replaced only when what it says changed: crl.pem when the revocations it lists
 * differ or the one written is due (half its validity gone), the others when their bytes differ; each atomically.
 */
public final class BrokerExport {

    public static final String CA_FILE = "ca.pem";
    public static final String CRL_FILE = "crl.pem";

    /**
     * What one export found and did.
     *
     * @param written       the files replaced, in the order written
     * @param crlDueAt      when crl.pem is due again even if nothing is revoked
     * @param revocationSeq the store's revocation sequence read before the CRLs were signed
     * @param configSeq     the store's configuration sequence read before the CAs were
     */
    public record Outcome(TrustBundle bundle, List<String> written, Instant crlDueAt, long revocationSeq, long configSeq) {

        public boolean crlWritten() {
            return written.contains(CRL_FILE);
        }
    }

    private final Hallmark hallmark;
    private final BrokerConfig config;
    private final Listener listener;
    private final List<String> named;

    /** @param named the CAs asked for with --ca (empty: every CA that issues LDevIDs, chosen again at each export) */
    public BrokerExport(Hallmark hallmark, BrokerConfig config, Listener listener, List<String> named) {
        this.hallmark = hallmark;
        this.config = config;
        this.listener = listener;
        this.named = List.copyOf(named);
    }

    public Listener listener() {
        return listener;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The store's revocation and configuration sequences, which move with every change this export depends on. */
    public long[] sequences() {
        return hallmark.store().read(tx -> new long[]{tx.certificates().revocationSequence(), tx.config().sequence()});
    }

    public Outcome export() {
        long[] seqs = sequences(); // read first: a change while signing moves them past what the watcher compares with
        TrustBundle bundle = TrustBundles.build(hallmark, TrustBundles.chosen(hallmark, named));
        Path dir = listener.dir();
        List<String> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        boolean caChanged = AtomicFiles.writeIfChanged(dir.resolve(CA_FILE), bundle.caPem().getBytes(StandardCharsets.US_ASCII));
        if (caChanged) written.add(CA_FILE);

        Instant now = hallmark.clock().instant();
        CrlSet fresh = CrlSet.of(bundle.crls().stream().map(GeneratedCrl::der).toList());
        CrlSet onDisk = CrlSet.read(dir.resolve(CRL_FILE));
        Instant due = onDisk.dueAt();
        if (!onDisk.sameEntries(fresh) || onDisk.dueAt(now)) {
            try {
                AtomicFiles.replace(dir.resolve(CRL_FILE), bundle.crlPem().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve(CRL_FILE) + ": " + e.getMessage(), e);
            }
            written.add(CRL_FILE);
            due = fresh.dueAt();
        }
        if (config.needsTruststore() && (caChanged || !Files.isRegularFile(dir.resolve(HivemqConfig.TRUSTSTORE_FILE)))) {
            try {
                AtomicFiles.replace(dir.resolve(HivemqConfig.TRUSTSTORE_FILE), truststore(bundle.cas()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the truststore: " + e.getMessage(), e);
            }
            written.add(HivemqConfig.TRUSTSTORE_FILE);
        }
        if (AtomicFiles.writeIfChanged(dir.resolve(config.fileName()), config.render(listener, bundle).getBytes(StandardCharsets.UTF_8))) {
            written.add(config.fileName());
        }
        return new Outcome(bundle, List.copyOf(written), due, seqs[0], seqs[1]);
    }

    /** A PKCS#12 truststore of the CA certificates (JKS and PKCS#12 are what HiveMQ reads). */
    private static byte[] truststore(List<CertificateAuthority> cas) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (CertificateAuthority ca : cas) store.setCertificateEntry(ca.name(), ca.x509());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, HivemqConfig.TRUSTSTORE_PASSWORD.toCharArray());
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a PKCS#12 truststore: " + e.getMessage(), e);
        }
    }
}
