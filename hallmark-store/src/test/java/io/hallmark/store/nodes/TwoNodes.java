package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.TestPostgres;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two Hallmark instances over one database, as two {@code hallmark serve} processes are: node A set up with the
 * default hierarchy, node B opened on the same database. SQLite (one file, two pools) or a fresh PostgreSQL schema.
 */
final class TwoNodes implements AutoCloseable {

    static final String ACTOR = "test:nodes";
    static final Passphrase PASSPHRASE = new Passphrase("two nodes, one passphrase".toCharArray(), "test", false);

    final Path dir;
    final String dbUrl;
    final Clock clock;
    final Hallmark a;
    private final TestPostgres postgres;
    private final List<Hallmark> opened = new ArrayList<>();

    private TwoNodes(Path dir, String kind, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        this.postgres = kind.equals("postgresql") ? TestPostgres.create() : null;
        this.dbUrl = postgres == null ? null : postgres.url();
        this.a = open(dir.resolve("a-keys"));
        a.init(HierarchySpec.defaults(), ACTOR);
    }

    static TwoNodes of(String kind, Path dir) {
        return new TwoNodes(dir, kind, Clock.systemUTC());
    }

    static TwoNodes of(String kind, Path dir, Clock clock) {
        return new TwoNodes(dir, kind, clock);
    }

    /** Another node on the same database and the same keys directory as A. */
    Hallmark sameKeys() {
        return open(dir.resolve("a-keys"));
    }

    /**
     * Another node on the same database with a keys directory of its own, holding a copy of the CA keys as
     * they are now: what an operator gives a new node, not whatever A makes at run time later.
     */
    Hallmark ownKeys(String name) {
        Path keys = dir.resolve(name + "-keys");
        try (Stream<Path> files = Files.list(dir.resolve("a-keys"))) {
            Files.createDirectories(keys);
            for (Path f : files.toList()) Files.copy(f, keys.resolve(f.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open(keys);
    }

    private Hallmark open(Path keys) {
        // The SQLite file lives in the directory of the test, shared by both nodes like the PostgreSQL schema.
        Hallmark h = new Hallmark(JdbcStore.open(dir, dbUrl), new KeyVaults(new SoftwareKeyVault(keys, PASSPHRASE)), clock);
        opened.add(h);
        return h;
    }

    /** An OCSP request (SHA-1 CertID, no nonce) for one certificate, as a relying party sends it. */
    static byte[] ocspRequest(Hallmark node, CertificateRecord cert) {
        try {
            CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), node.cas().get(cert.caName()).holder(),
                    new BigInteger(cert.serial(), 16));
            return new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> kinds() {
        return List.of("sqlite", "postgresql");
    }

    @Override
    public void close() {
        for (Hallmark h : opened.reversed()) h.close();
        if (postgres != null) postgres.close();
    }

    /** A clock the test moves, shared by both nodes. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
