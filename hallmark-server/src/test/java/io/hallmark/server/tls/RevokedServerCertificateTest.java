package io.hallmark.server.tls;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A revoked server certificate is replaced while serving, within the revocation check's period (a minute in
 * production, a fifth of a second here), and is not served again at the next start.
 */
class RevokedServerCertificateTest {

    @TempDir
    Path dir;

    @Test
    void aRevokedServerCertificateIsReplacedWithoutARestart() throws Exception {
        JdbcStore store = JdbcStore.open(dir.resolve("data"), null);
        KeyVaults vaults = new KeyVaults(new SoftwareKeyVault(dir.resolve("keys"), new Passphrase("test passphrase".toCharArray(), "test", false)));
        try (Hallmark hallmark = new Hallmark(store, vaults, Clock.systemUTC())) {
            hallmark.init(HierarchySpec.defaults(), "test");
            TlsSource kept = new TlsSource.BuiltIn(dir.resolve("tls"));
            String first;
            String replacement;
            try (ServerTls tls = new ServerTls(hallmark, kept, List.of("127.0.0.1"), Duration.ofMillis(200))) {
                first = tls.load().serial();
                tls.watch();
                hallmark.revoker().revoke(first, RevocationReason.superseded, null, "test");
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (tls.current().serial().equals(first) && System.nanoTime() < end) Thread.sleep(100);
                replacement = tls.current().serial();
                assertNotEquals(first, replacement, "still serving the revoked certificate");
                assertNull(hallmark.store().read(tx -> tx.certificates().find(replacement)).orElseThrow().revocation());
            }
            try (ServerTls restarted = new ServerTls(hallmark, kept, List.of("127.0.0.1"))) {
                assertEquals(replacement, restarted.load().serial(), "the replacement was kept, and is served at the next start");
            }
        }
    }
}
