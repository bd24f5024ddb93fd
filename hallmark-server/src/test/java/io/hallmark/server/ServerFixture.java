package io.hallmark.server;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import io.hallmark.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real Hallmark server on free ports over a fresh data directory, with helpers to make devices. */
final class ServerFixture implements AutoCloseable {

    final Path dir;
    final Hallmark hallmark;
    final HallmarkServer server;
    final Path root;

    private ServerFixture(Path dir, Hallmark hallmark, HallmarkServer server) throws Exception {
        this.dir = dir;
        this.hallmark = hallmark;
        this.server = server;
        this.root = dir.resolve("root.pem");
        Files.writeString(root, io.hallmark.core.crypto.Pem.certificate(hallmark.cas().get("root").certificate()));
    }

    static ServerFixture start(Path dir) throws Exception {
        return start(dir, HallmarkServer.Options.DEFAULT_READ_DEADLINE);
    }

    static ServerFixture start(Path dir, java.time.Duration readDeadline) throws Exception {
        return start(dir, null, dir.resolve("data/keys"), readDeadline, io.hallmark.server.http.RateLimits.DEFAULT);
    }

    /** A server with these per-client rate limits. */
    static ServerFixture start(Path dir, io.hallmark.server.http.RateLimits limits) throws Exception {
        return start(dir, null, dir.resolve("data/keys"), HallmarkServer.Options.DEFAULT_READ_DEADLINE, limits);
    }

    /**
     * One of several nodes, as 'hallmark serve' processes sharing one PostgreSQL: its own directory (logs, files
     * the test makes), the database at {@code dbUrl} and the CA keys in {@code keys}.
     */
    static ServerFixture node(Path dir, String dbUrl, Path keys) throws Exception {
        Files.createDirectories(dir);
        return start(dir, dbUrl, keys, HallmarkServer.Options.DEFAULT_READ_DEADLINE, io.hallmark.server.http.RateLimits.DEFAULT);
    }

    private static ServerFixture start(Path dir, String dbUrl, Path keys, java.time.Duration readDeadline,
                                       io.hallmark.server.http.RateLimits limits) throws Exception {
        return start(dir, dbUrl, new KeyVaults(softVault(keys)), HierarchySpec.defaults(), readDeadline, limits);
    }

    /** The software vault every fixture uses, over the keys in {@code keys}. */
    static SoftwareKeyVault softVault(Path keys) {
        return new SoftwareKeyVault(keys, new Passphrase("test passphrase".toCharArray(), "test", false));
    }

    /** A node on SQLite in {@code dir} with the given vaults and hierarchy (a test's own vault beside the software one). */
    static ServerFixture start(Path dir, KeyVaults vaults, HierarchySpec hierarchy) throws Exception {
        return start(dir, null, vaults, hierarchy, HallmarkServer.Options.DEFAULT_READ_DEADLINE, io.hallmark.server.http.RateLimits.DEFAULT);
    }

    private static ServerFixture start(Path dir, String dbUrl, KeyVaults vaults, HierarchySpec hierarchy, java.time.Duration readDeadline,
                                       io.hallmark.server.http.RateLimits limits) throws Exception {
        JdbcStore store = JdbcStore.open(dir.resolve("data"), dbUrl);
        Hallmark hallmark = new Hallmark(store, vaults, Clock.systemUTC());
        hallmark.init(hierarchy, "test");
        HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0,
                List.of("127.0.0.1", "localhost"), dir.resolve("logs"), readDeadline, new io.hallmark.server.tls.TlsSource.BuiltIn(null), limits));
        return new ServerFixture(dir, hallmark, server);
    }

    String est(String op) {
        return server.httpsUri() + "/.well-known/est/" + op;
    }

    /** A device key and IDevID made the way a factory would: openssl makes the key and CSR, Hallmark signs. */
    Path[] idevid(String serialNumber) throws Exception {
        Path key = dir.resolve(serialNumber + ".key");
        Path csr = dir.resolve(serialNumber + ".csr");
        Peers.Result r = Peers.run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-subj", "/CN=sensor", "-out", csr.toString());
        assertEquals(0, r.exit(), r::all);
        var issued = hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", Files.readAllBytes(csr), serialNumber, null, "test"));
        Path cert = dir.resolve(serialNumber + ".pem");
        Files.writeString(cert, io.hallmark.core.crypto.Pem.certificate(issued.certificate().der()));
        return new Path[]{cert, key};
    }

    /** A base64 DER CSR for the given key, as curl sends it to EST. */
    Path csrB64(Path key, String subject, String name) throws Exception {
        Path der = dir.resolve(name + ".der");
        Peers.Result r = Peers.run(dir, "openssl", "req", "-new", "-key", key.toString(), "-subj", subject, "-outform", "DER", "-out", der.toString());
        assertEquals(0, r.exit(), r::all);
        Path b64 = dir.resolve(name + ".b64");
        Files.writeString(b64, java.util.Base64.getMimeEncoder().encodeToString(Files.readAllBytes(der)) + "\n");
        return b64;
    }

    /** curl as the client of this server, trusting its root: the HTTP status is the result's output, the body goes to {@link #body()}. */
    Peers.Result curl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--cacert", root.toString(), "-o", "body.out", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return Peers.run(dir, cmd);
    }

    /** The body of the last {@link #curl} answer. */
    String body() throws java.io.IOException {
        return Files.readString(dir.resolve("body.out"));
    }

    long certificates() {
        return hallmark.store().read(tx -> tx.certificates().count());
    }

    long auditEntries() {
        return hallmark.verifyAudit().entries();
    }

    @Override
    public void close() throws Exception {
        server.close();
        hallmark.close();
    }
}
