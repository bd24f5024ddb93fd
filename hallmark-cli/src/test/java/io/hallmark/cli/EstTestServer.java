package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.server.HallmarkServer;
import io.hallmark.store.JdbcStore;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

/** A real Hallmark (SQLite, software vault, default hierarchy) serving EST on a free port, for agent and EST bench tests. */
public final class EstTestServer implements AutoCloseable {

    public final Hallmark hallmark;
    final HallmarkServer server;
    final Path dir;

    public EstTestServer(Path dir) throws Exception {
        this.dir = dir;
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("test passphrase".toCharArray(), "test", false)));
        hallmark = new Hallmark(JdbcStore.open(dir, null), vaults, Clock.systemUTC());
        hallmark.init(HierarchySpec.defaults(), "test");
        server = HallmarkServer.start(hallmark, new HallmarkServer.Options("127.0.0.1", 0, "127.0.0.1", 0, List.of("127.0.0.1", "localhost"), null));
        for (String ca : List.of("root", "idevid-ca", "ldevid-ca", "clients-ca")) {
            Files.writeString(dir.resolve(ca + ".pem"), Pem.certificate(hallmark.cas().get(ca).certificate()));
        }
    }

    /** The installation's data directory: the command line works on it too ({@code Cli.run(server.data(), "revoke", ...)}). */
    public Path data() throws IOException {
        Path pass = io.hallmark.core.vault.Passphrase.defaultFile(dir);
        if (!Files.exists(pass)) OwnerOnlyFile.create(pass, "test passphrase\n".getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /** LDevIDs issued from now on are valid this long ("20s"), so that a test can watch a renewal. */
    public void ldevidValidity(String validity) {
        io.hallmark.core.profile.Profile p = io.hallmark.core.profile.Profiles.LDEVID;
        io.hallmark.core.profile.Profile shorter = new io.hallmark.core.profile.Profile(p.name(), p.kind(), io.hallmark.core.profile.Validity.parse(validity),
                p.keyUsage(), p.extendedKeyUsage(), p.requireSerialNumber(), p.onePerDevice(), p.hardwareModuleName(), p.keys());
        hallmark.init(new HierarchySpec(HierarchySpec.defaults().cas(), List.of(shorter)), "test");
    }

    public String url() {
        return server.httpsUri().toString();
    }

    public Path ca(String name) {
        return dir.resolve(name + ".pem");
    }

    /** Issues an IDevID for {@code deviceId} and writes NAME.pem and NAME.key (0600) into {@code out}. */
    public Path[] idevid(Path out, String deviceId) throws IOException {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=test sensor,O=Hallmark Test"));
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr, deviceId, null, "test"));
        return write(out, deviceId, keys, issued, false);
    }

    /** A TLS server certificate from clients-ca for 127.0.0.1; the PEM holds the leaf and clients-ca. */
    Path[] serverCertificate(Path out, String name) throws IOException {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=" + name + ",O=Hallmark Test"));
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest("clients-ca", "server", csr, null, null, "test",
                List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"))));
        return write(out, name, keys, issued, true);
    }

    private static Path[] write(Path out, String name, KeyPair keys, IssuedCertificate issued, boolean withIssuer) throws IOException {
        Files.createDirectories(out);
        Path cert = out.resolve(name + ".pem");
        Path key = out.resolve(name + ".key");
        String pem = Pem.certificate(issued.certificate().der());
        if (withIssuer) pem += Pem.certificate(issued.chain().getFirst().certificate());
        Files.writeString(cert, pem);
        OwnerOnlyFile.create(key, Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
        return new Path[]{cert, key};
    }

    @Override
    public void close() throws Exception {
        server.close();
        hallmark.close();
    }
}
