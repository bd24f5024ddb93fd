package io.hallmark.core.ca;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Proof that Hallmark holds a CA's key, in the form a cloud platform asks for before it trusts the CA: a certificate
 * whose subject CN is the code the platform handed out, signed by the CA's key through its vault (the key never
 * leaves it, so a CA on a PKCS#11 token works the same). AWS IoT Core calls the code a registration code, Azure IoT
 * Hub and DPS a verification code. The certificate's own key is thrown away: only the CA's signature over the code
 * matters. It lives a few days, never past the CA, and is recorded in the inventory and the audit log like anything
 * else the CA signed.
 */
public final class VerificationCertificates {

    /** End entity, digitalSignature only, basicConstraints absent: what the platforms' openssl recipes make. */
    public static final Profile PROFILE = new Profile("platform-verification", ProfileKind.END_ENTITY, Validity.parse("7d"),
            List.of("digitalSignature"), List.of(), false, false, Profile.Presence.forbidden, KeyPolicy.DEFAULT);

    /** The platforms and the codes they hand out. */
    public enum Platform {
        /** {@code aws iot get-registration-code}: 64 hexadecimal characters. */
        AWS("registration code", "[0-9a-fA-F]{64}", "64 hexadecimal characters, as 'aws iot get-registration-code' prints it"),
        /**
         * {@code az iot dps certificate generate-verification-code} (and IoT Hub's): hexadecimal today; letters and digits
         * are accepted, at most 64 of them (the upper bound of a CN, RFC 5280 ub-common-name).
         */
        AZURE("verification code", "[0-9A-Za-z]{1,64}", "1 to 64 letters and digits, as 'az iot dps certificate generate-verification-code' prints it");

        private final String codeName;
        private final String pattern;
        private final String expected;

        Platform(String codeName, String pattern, String expected) {
            this.codeName = codeName;
            this.pattern = pattern;
            this.expected = expected;
        }

        public String codeName() {
            return codeName;
        }

        /** The code as given, or BAD_INPUT naming what the platform's code looks like (never echoing a long input). */
        public String requireCode(String code) {
            if (code == null || !code.strip().matches(pattern)) {
                String shown = code == null ? "nothing" : code.length() > 80 ? code.length() + " characters" : "'" + io.hallmark.core.text.SafeText.escape(code) + "'";
                throw HallmarkException.badInput("the " + codeName + " must be " + expected + "; got " + shown);
            }
            return code.strip();
        }
    }

    /** What a platform's proof of possession asks for: the verification certificate, and the CA it proves. */
    public record Proof(X509CertificateHolder verification, CertificateAuthority ca) {
    }

    private static final Duration LIFETIME = PROFILE.validity().duration();

    private final CaService cas;
    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;

    public VerificationCertificates(CaService cas, Store store, KeyVaults vaults, Clock clock) {
        this.cas = cas;
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    public Proof make(String caName, Platform platform, String code, String actor) {
        String cn = platform.requireCode(code);
        CertificateAuthority ca = cas.get(caName);
        KeyHandle caKey = vaults.open(ca.keyRef()); // refuses a CA imported without its key, saying so
        X509CertificateHolder caCert = ca.holder();
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant caEnds = caCert.getNotAfter().toInstant();
        if (!now.isBefore(caEnds)) {
            throw HallmarkException.badInput("CA " + caName + " expired at " + caEnds + "; a platform would not trust it");
        }
        Instant notAfter = now.plus(LIFETIME).isAfter(caEnds) ? caEnds : now.plus(LIFETIME);
        for (CertificateAuthority link : cas.chain(caName)) {
            cas.revocation(link).ifPresent(r -> {
                throw HallmarkException.forbidden("CA " + link.name() + " was revoked at " + r.revokedAt() + " (" + r.reason() + "); nothing under it proves anything");
            });
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
        SubjectPublicKeyInfo throwaway = SubjectPublicKeyInfo.getInstance(KeyAlgorithm.EC_P256.generate().getPublic().getEncoded());
        X509CertificateHolder cert = CertificateAssembler.sign(new CertificateTemplate(subject, throwaway, now, notAfter, PROFILE, null, List.of()),
                caCert, caKey);
        CertificateRecord record = CertificateRecord.of(cert, ca.name(), PROFILE.name(), null, now);
        store.run(tx -> {
            tx.certificates().insert(record);
            tx.audit().append(actor, AuditEvent.of("cert.issue", record.serial(), "ca", ca.name(), "profile", PROFILE.name(),
                    "subject", record.subject(), "platform", platform.name().toLowerCase(java.util.Locale.ROOT), "sha256", record.fingerprint()), now);
        });
        return new Proof(cert, ca);
    }
}
