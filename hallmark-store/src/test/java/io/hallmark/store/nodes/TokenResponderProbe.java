package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.store.OcspResponderRecord;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.vault.Pkcs11KeyVault;
import io.hallmark.core.vault.Pkcs11Settings;
import io.hallmark.core.vault.SoftwareKeyVault;
import io.hallmark.store.JdbcStore;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An installation whose CA keys are on a PKCS#11 token, in a process of its own (SoftHSM2 reads SOFTHSM2_CONF
 * only when its library is loaded), rotating the OCSP responder of ldevid-ca {@code rotations} times on a moved
 * clock. Prints one line per responder: {@code responder KEYREF sealed=BOOL retired=REF|-}.
 * Arguments: data directory, PKCS#11 library, token label, PIN file, rotations.
 */
public final class TokenResponderProbe {

    private TokenResponderProbe() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        var token = new Pkcs11KeyVault(new Pkcs11Settings(Path.of(args[1]), args[2], Path.of(args[3])));
        var vaults = new KeyVaults(token, new SoftwareKeyVault(dir.resolve("keys"), TwoNodes.PASSPHRASE));
        var clock = new TwoNodes.MovableClock();
        try (Hallmark h = new Hallmark(JdbcStore.open(dir, null), vaults, clock)) {
            h.init(HierarchySpec.defaults(), TwoNodes.ACTOR);
            int rotations = Integer.parseInt(args[4]);
            for (int i = 0; i <= rotations; i++) {
                h.ocsp().responderCertificate("ldevid-ca");
                OcspResponderRecord r = h.store().read(tx -> tx.ocspResponders().find("ldevid-ca")).orElseThrow();
                System.out.println("responder " + r.keyRef() + " sealed=" + (r.sealedKey() != null)
                        + " retired=" + (r.retiredKeyRef() == null ? "-" : r.retiredKeyRef()));
                clock.advance(Duration.ofDays(6)); // a 7-day responder is due 2 days before it expires
            }
        }
    }
}
