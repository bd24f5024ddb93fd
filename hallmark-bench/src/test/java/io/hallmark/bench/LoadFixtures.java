package io.hallmark.bench;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.device.DeviceCredentials;
import org.bouncycastle.asn1.x500.X500Name;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the fault tests under load share: devices to enroll, the installation's CA certificates, store queries. */
final class LoadFixtures {

    private LoadFixtures() {
    }

    /** An IDevID for {@code deviceId} from the installation, written as NAME.pem and NAME.key (0600). */
    static void idevid(Hallmark hallmark, Path out, String deviceId) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=fault test sensor,O=Hallmark Test"));
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr, deviceId, null, "test"));
        Files.createDirectories(out);
        Files.writeString(out.resolve(deviceId + ".pem"), Pem.certificate(issued.certificate().der()));
        OwnerOnlyFile.create(out.resolve(deviceId + ".key"), Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
    }

    /** Every CA certificate of the installation in {@code data} (DATA/ca/*.pem). */
    static List<X509Certificate> cas(Path data) throws Exception {
        List<X509Certificate> cas = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(data.resolve("ca"), "*.pem")) {
            for (Path f : files) cas.addAll(DeviceCredentials.certificates(f));
        }
        return cas;
    }

    /** The first column of every row {@code sql} returns, read through a connection of its own. */
    static Set<String> strings(String db, String sql) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
