package io.hallmark.store.revocation;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import org.bouncycastle.asn1.x500.X500Name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** A Hallmark over a real store (SQLite in a temp dir, or a fresh PostgreSQL schema) with the default hierarchy. */
final class Fixture implements AutoCloseable {

    static final String ACTOR = "test:revocation";
    static final String BASE_URL = "http://127.0.0.1:8080";

    final Path dir;
    final String dbUrl;
    final Hallmark hallmark;
    private final String pgSchema;
    private final String pgBase;

    private Fixture(Path dir, String dbUrl, String pgBase, String pgSchema) {
        this.dir = dir;
        this.dbUrl = dbUrl;
        this.pgBase = pgBase;
        this.pgSchema = pgSchema;
        this.hallmark = open(dir, dbUrl);
    }

    /** A second node over the same database and vault directory. */
    Hallmark secondNode() {
        return open(dir, dbUrl);
    }

    static Hallmark open(Path dir, String dbUrl) {
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("test-passphrase".toCharArray(), "test", false)));
        return new Hallmark(JdbcStore.open(dir, dbUrl), vaults, Clock.systemUTC());
    }

    static Fixture sqlite(Path dir) {
        Fixture f = new Fixture(dir, null, null, null);
        f.hallmark.init(HierarchySpec.defaults(), ACTOR);
        return f;
    }

    static Fixture postgres(Path dir) {
        String base = Tools.postgresUrl();
        String schema = "hm_rev_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the test PostgreSQL at " + base + ": " + e.getMessage(), e);
        }
        Fixture f = new Fixture(dir, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, base, schema);
        f.hallmark.init(HierarchySpec.defaults(), ACTOR);
        return f;
    }

    static Fixture of(String kind, Path dir) {
        return kind.equals("postgresql") ? postgres(dir) : sqlite(dir);
    }

    void publish(Map<String, Integer> partitions) {
        hallmark.publication().set(new Publication(BASE_URL, partitions, null, null, null, null), ACTOR);
    }

    /** Issues an LDevID for a fresh P-256 key; the private key goes to DIR/NAME.key, the certificate to DIR/NAME.pem. */
    CertificateRecord ldevid(String name, String deviceSerial) {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=" + name));
        CertificateRecord cert = hallmark.issuer().issue(new IssuanceRequest("ldevid-ca", "ldevid", csr, deviceSerial, null, ACTOR)).certificate();
        write(name + ".pem", Pem.certificate(cert.der()));
        write(name + ".key", Csrs.privateKeyPem(keys));
        return cert;
    }

    CertificateRecord idevid(String deviceSerial) {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=device"));
        return hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr, deviceSerial, null, ACTOR)).certificate();
    }

    /** Writes the CA certificates: NAME.pem for each CA, chain.pem (issuing CA + root) per issuing CA as NAME-chain.pem. */
    void writeCas() {
        StringBuilder root = new StringBuilder();
        for (var ca : hallmark.cas().list()) {
            write(ca.name() + ".pem", Pem.certificate(ca.certificate()));
            if (ca.isRoot()) root.append(Pem.certificate(ca.certificate()));
        }
        for (var ca : hallmark.cas().list()) {
            if (!ca.isRoot()) write(ca.name() + "-chain.pem", Pem.certificate(ca.certificate()) + root);
        }
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        hallmark.close();
        if (pgSchema != null) {
            try (Connection c = DriverManager.getConnection(pgBase)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
