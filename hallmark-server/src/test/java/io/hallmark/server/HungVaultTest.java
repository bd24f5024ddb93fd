package io.hallmark.server;

import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.issue.SigningDeadline;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVault;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.server.est.EstLabels;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key vault that stops answering (a PKCS#11 token whose C_Sign never returns, played by a test vault whose signatures
 * block, deaf to interrupts as a native call is): an enrollment on its CA fails 503 with Retry-After once the signing
 * deadline passes, nothing is recorded for it, the node keeps serving the CAs of other vaults, stuck calls are bounded
 * (the next ones fail at once), and once the vault answers again its CA issues again without a restart.
 */
class HungVaultTest {

    private static final long TIMEOUT_MS = 1_500;

    @TempDir
    Path dir;

    @BeforeEach
    void shortDeadline() {
        System.setProperty("hallmark.sign.timeoutMs", Long.toString(TIMEOUT_MS));
        System.setProperty("hallmark.sign.maxStuck", "2");
    }

    @AfterEach
    void defaults() {
        System.clearProperty("hallmark.sign.timeoutMs");
        System.clearProperty("hallmark.sign.maxStuck");
    }

    @Test
    void aHungVaultGives503sWithinTheDeadlineAndTheNodeServesOnAndRecovers() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        HangingVault hsm = new HangingVault();
        List<CaSpec> cas = new ArrayList<>(HierarchySpec.defaults().cas());
        cas.add(new CaSpec("hsm-ca", "root", "CN=HSM CA,O=Hallmark Test", KeyAlgorithm.EC_P256, Validity.parse("10y"), null, List.of("ldevid"), "hsm"));
        KeyVaults vaults = new KeyVaults(ServerFixture.softVault(dir.resolve("keys")), hsm);
        try (ServerFixture f = ServerFixture.start(dir, vaults, new HierarchySpec(cas, HierarchySpec.defaults().profiles()))) {
            new EstLabels(f.hallmark.store(), f.hallmark.sharedConfig())
                    .put(new EnrollmentLabel("hsm", "hsm-ca", "ldevid", List.of("idevid-ca"), List.of(), false), "test", Instant.now());
            assertEquals("200", enroll(f, device(f, "HSM-0"), "hsm").status, "the vault answers before it hangs");
            // The devices' IDevIDs come from idevid-ca (software vault), made before the counting starts.
            Path[][] devices = new Path[5][];
            for (int i = 1; i < devices.length; i++) devices[i] = device(f, "HSM-" + i);
            Path[] soft = device(f, "SOFT-1");

            hsm.hang();
            long before = f.certificates();
            long audit = f.auditEntries();
            for (int i = 1; i <= 2; i++) {
                Answer hung = enroll(f, devices[i], "hsm");
                assertEquals("503", hung.status, hung.body);
                assertTrue(hung.retryAfter, "Retry-After on the 503: " + hung.headers);
                assertTrue(hung.millis >= TIMEOUT_MS - 100 && hung.millis < TIMEOUT_MS + 8_000, "failed at the deadline, after " + hung.millis + " ms");
                assertTrue(hung.body.contains("did not sign within") && hung.body.strip().lines().count() == 1, hung.body);
            }
            assertEquals(2, SigningDeadline.stuck("hsm"), "both calls still blocked in the vault");
            Answer refused = enroll(f, devices[3], "hsm");
            assertEquals("503", refused.status, refused.body);
            assertTrue(refused.retryAfter && refused.body.contains("not answering"), refused.body);
            assertTrue(refused.millis < TIMEOUT_MS, "with two calls stuck the next fails at once, not after the deadline: " + refused.millis + " ms");
            assertEquals(2, SigningDeadline.stuck("hsm"), "no third thread left behind");

            assertEquals("200", enroll(f, soft, null).status, "a CA of another vault issues meanwhile");
            assertEquals(before + 1, f.certificates(), "nothing recorded for the hung requests");
            assertTrue(f.hallmark.verifyAudit().intact());
            assertTrue(f.auditEntries() > audit);

            hsm.answer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (SigningDeadline.stuck("hsm") > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(0, SigningDeadline.stuck("hsm"), "the stuck calls returned and freed their threads");
            assertEquals("200", enroll(f, devices[4], "hsm").status, "the vault's CA issues again, without a restart");
            assertEquals(before + 2, f.certificates());
            assertTrue(f.hallmark.verifyAudit().intact());
        } finally {
            hsm.answer();
        }
    }

    private record Answer(String status, String body, String headers, boolean retryAfter, long millis) {
    }

    /** A device: its IDevID, its key, and the base64 CSR it sends. */
    private static Path[] device(ServerFixture f, String serial) throws Exception {
        Path[] idevid = f.idevid(serial);
        return new Path[]{idevid[0], idevid[1], f.csrB64(idevid[1], "/CN=sensor", serial.toLowerCase())};
    }

    /** An EST simpleenroll by curl, on label {@code label} (null: the default). */
    private static Answer enroll(ServerFixture f, Path[] device, String label) throws Exception {
        Path csr = device[2];
        long start = System.nanoTime();
        Peers.Result r = f.curl("-D", "headers.out", "--cert", device[0].toString(), "--key", device[1].toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + csr, f.est(label == null ? "simpleenroll" : label + "/simpleenroll"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String headers = Files.readString(f.dir.resolve("headers.out"));
        return new Answer(r.out(), f.body(), headers, headers.toLowerCase().matches("(?s).*\\nretry-after: [1-9][0-9]?\\r?\\n.*"), millis);
    }

    /**
     * A vault playing an HSM: keys in memory, signatures that block while it is hung, and ignore interrupts there (a
     * thread in a native PKCS#11 call cannot be interrupted either).
     */
    private static final class HangingVault implements KeyVault {
        private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
        private volatile boolean hung;

        void hang() {
            hung = true;
        }

        void answer() {
            hung = false;
        }

        @Override
        public String scheme() {
            return "hsm";
        }

        @Override
        public KeyHandle generate(String label, KeyAlgorithm algorithm) {
            String ref = "hsm:" + label;
            keys.put(ref, algorithm.generate());
            return open(ref);
        }

        @Override
        public KeyHandle open(String ref) {
            KeyPair pair = keys.get(ref);
            return new KeyHandle() {
                @Override
                public String ref() {
                    return ref;
                }

                @Override
                public KeyAlgorithm algorithm() {
                    return KeyAlgorithm.EC_P256;
                }

                @Override
                public PublicKey publicKey() {
                    return pair.getPublic();
                }

                @Override
                public boolean mayHang() {
                    return true;
                }

                @Override
                public ContentSigner signer() {
                    ContentSigner real;
                    try {
                        real = new JcaContentSignerBuilder(KeyAlgorithm.EC_P256.signatureAlgorithm()).build(pair.getPrivate());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return new ContentSigner() {
                        @Override
                        public AlgorithmIdentifier getAlgorithmIdentifier() {
                            return real.getAlgorithmIdentifier();
                        }

                        @Override
                        public OutputStream getOutputStream() {
                            return real.getOutputStream();
                        }

                        @Override
                        public byte[] getSignature() {
                            while (hung) {
                                LockSupport.parkNanos(10_000_000); // returns on interrupt, and goes on waiting, as C_Sign would
                            }
                            return real.getSignature();
                        }
                    };
                }
            };
        }
    }
}
