package io.hallmark.core.issue;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.ProfileValidator;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU half of every issuance, for a batch of one ({@link Issuer#issue}: the CLI, EST and every enrollment
 * front end) or of a million (factory batches): the checks of a request against the profile and the CA
 * ({@link #prepare}), then the certificate signed through the CA's {@link KeyHandle} and validated against
 * the profile ({@link #sign}). Nothing here touches the store, so many threads can sign while one commits;
 * recording, with the rules that need the store ({@link IssuanceRules}), is the caller's transaction.
 * Thread-safe.
 *
 * <p>The signature self-check. {@link CertificateAssembler} normally re-verifies every fresh signature
 * with the CA's public key. An ECDSA P-256 verification costs about three signatures (openssl speed on
 * the reference machine: 46k signs/s against 14k verifies/s on two cores), and every item already pays
 * one verification for the CSR's proof of possession, so checking all of them would cut the factory's
 * crypto ceiling by more than a third. What the self-check catches is systematic: a wrong or swapped
 * CA key (also caught when the vault opens the key: it signs and verifies a probe), a broken provider or
 * HSM. A systematic fault shows in any sample, so batches verify the first certificate and then one in
 * {@code checkEvery}. A transient fault (bit flip, fault injection) would slip past a sample; where that
 * is the threat, set {@code checkEvery} to 1 and buy the certainty with throughput. Every other profile
 * rule (extensions, validity, names, key) is checked on every certificate: it is cheap structure work.
 */
public final class IssuanceSigner {

    /** A request that passed every check but has not been signed: what the store needs to decide replays. */
    public record Prepared(String deviceId, X500Name subject, SubjectPublicKeyInfo publicKey, String keyId, byte[] subjectKeyId,
                           String keyDescription, HardwareModuleName hardwareModuleName, List<GeneralName> subjectAltNames) {
    }

    private final CertificateAuthority ca;
    private final X509CertificateHolder caCert;
    private final KeyHandle key;
    private final Profile profile;
    private final int checkEvery;
    private final Publication publication;
    private final AtomicLong signed = new AtomicLong();
    /** Null when {@link BatchTemplate#covers} says the profile needs the general encoder. */
    private final BatchTemplate template;
    private final Instant caNotAfter;

    /**
     * @param checkEvery  re-verify the signature of every n-th certificate (1: all of them)
     * @param publication where CRLs and OCSP are published, fixed for the batch: every certificate of it
     *                    carries the same CDP/AIA, as from {@link Issuer#issue}
     */
    public IssuanceSigner(CertificateAuthority ca, KeyHandle key, Profile profile, int checkEvery, Publication publication) {
        if (profile.kind().isCa()) {
            throw HallmarkException.badInput("profile " + profile.name() + " is for CAs; CAs are created by 'hallmark init', not issued");
        }
        if (!ca.issues(profile.name())) {
            throw HallmarkException.badInput("CA " + ca.name() + " does not issue profile " + profile.name()
                    + " (it issues: " + (ca.profiles().isEmpty() ? "nothing; it signs CAs only" : String.join(", ", ca.profiles())) + ")");
        }
        Instant caExpires = ca.holder().getNotAfter().toInstant();
        if (profile.validity().forever() && !caExpires.equals(Validity.NO_WELL_DEFINED_EXPIRATION)) {
            throw HallmarkException.badInput("profile " + profile.name() + " issues certificates that never expire, but CA " + ca.name()
                    + " expires " + caExpires + "; its issuing chain must have validity 'forever' too");
        }
        Issuer.requireSignatureAlgorithm(profile, ca, key);
        publication.requireLastingUrlsFor(profile.name(), profile.validity().forever() && profile.carriesRevocationPointers());
        if (checkEvery < 1) {
            throw HallmarkException.badInput("signature check interval must be at least 1 (1 checks every certificate)");
        }
        this.ca = ca;
        this.caCert = ca.holder();
        this.key = key;
        this.profile = profile;
        this.checkEvery = checkEvery;
        this.publication = publication;
        this.caNotAfter = caCert.getNotAfter().toInstant();
        // The encoder choice, made once per batch: the fast template where it covers the profile, else the general encoder.
        this.template = BatchTemplate.covers(profile) ? new BatchTemplate(caCert.getSubject(), caCert.getSubjectPublicKeyInfo(),
                key.signer().getAlgorithmIdentifier(), profile,
                // A profile without revocation pointers (Matter's) gets a template that encodes none; its certificates
                // still fall in a CRL partition, which only the CRLs need to know.
                profile.carriesRevocationPointers() ? publication : Publication.NONE, ca.name()) : null;
    }

    /** Whether this signer uses the fast batch template (true for the built-in idevid and ldevid profiles). */
    public boolean usesTemplate() {
        return template != null;
    }

    private static byte[] encoded(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Profile profile() {
        return profile;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** Checks a CSR for a device: proof of possession, key policy, subject and hardwareModuleName rules. */
    public Prepared prepare(byte[] csr, String deviceSerial, HardwareModuleName hw) {
        return prepare(csr, deviceSerial, hw, List.of());
    }

    /**
     * Checks a request against the profile: proof of possession, key policy, subject (with the device serial
     * number added or confirmed), hardwareModuleName and subjectAltName rules.
     *
     * @param names DNS names and IP addresses the caller asks for (server profiles), beside the CSR's own
     */
    public Prepared prepare(byte[] csr, String deviceSerial, HardwareModuleName hw, List<GeneralName> names) {
        return prepare(csr, deviceSerial, hw, names, null);
    }

    /**
     * As {@link #prepare(byte[], String, HardwareModuleName, List)}, with the subject {@code subject} the caller sets in
     * place of the CSR's (null: the CSR's); it passes the profile's subject rules as a CSR's subject does.
     */
    public Prepared prepare(byte[] csr, String deviceSerial, HardwareModuleName hw, List<GeneralName> names, X500Name subjectSet) {
        // A subject set by the caller replaces the CSR's, so the CSR's need only be well-formed X.520, not the profile's.
        CheckedCsr checked = subjectSet == null ? CheckedCsr.check(csr, profile) : CheckedCsr.check(csr, profile.keys());
        if (subjectSet != null) {
            profile.subjectRules().check(subjectSet);
        }
        X500Name subject = Issuer.subject(subjectSet != null ? subjectSet : checked.subject(), deviceSerial, profile);
        String deviceId = Issuer.serialNumberOf(subject);
        if (hw != null && profile.hardwareModuleName() == Profile.Presence.forbidden) {
            throw HallmarkException.badInput("profile " + profile.name() + " does not carry a hardwareModuleName");
        }
        if (hw == null && profile.hardwareModuleName() == Profile.Presence.required) {
            throw HallmarkException.badInput("profile " + profile.name() + " requires a hardwareModuleName (--hw-type and --hw-serial, or hwType and hwSerial in a batch)");
        }
        try {
            String keyId = Fingerprints.sha256Hex(checked.publicKey().getEncoded());
            byte[] ski = Fingerprints.sha1(checked.publicKey().getPublicKeyData().getBytes());
            return new Prepared(deviceId, subject, checked.publicKey(), keyId, ski, checked.keyDescription(), hw,
                    SubjectAltNames.of(profile, checked, names, hw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs and validates against the profile; nothing is recorded. */
    public CertificateRecord sign(Prepared p, Instant now) {
        Instant notBefore = Instant.ofEpochSecond(now.getEpochSecond());
        Instant notAfter = Instant.ofEpochSecond(profile.validity().notAfter(notBefore).getEpochSecond());
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter; // never outlive the issuer
        }
        // Serial and partition only: the template already holds each partition's CDP/AIA, encoded once.
        BigInteger serial = Serials.random(profile.serialBitsOrDefault());
        Integer partition = publication.published() ? Publishing.partitionOf(serial, publication.partitionsOf(ca.name())) : null;
        boolean check = signed.getAndIncrement() % checkEvery == 0;
        // Bounded for a key outside the process (an HSM that stops answering): SigningDeadline, the one place for it.
        Instant end = notAfter;
        byte[] der = SigningDeadline.call(key, () -> signed(p, serial, notBefore, end, partition, check));
        return new CertificateRecord(Serials.hex(serial), ca.name(), profile.name(), p.deviceId(), p.subject().toString(),
                p.keyId(), Fingerprints.sha256Hex(der), notBefore, end, now, der, null, partition);
    }

    private byte[] signed(Prepared p, BigInteger serial, Instant notBefore, Instant notAfter, Integer partition, boolean check) {
        byte[] der;
        if (template != null && BatchTemplate.carries(p.subjectAltNames(), p.hardwareModuleName())) {
            byte[] tbs = template.tbs(serial, notBefore, notAfter, p.subject(), p.publicKey(), p.subjectKeyId(),
                    p.hardwareModuleName() == null ? null : p.hardwareModuleName().toGeneralName(), partition);
            der = template.certificate(tbs, key.sign(tbs));
            X509CertificateHolder cert;
            try {
                cert = new X509CertificateHolder(der);
            } catch (IOException e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "assembled certificate does not parse: " + e.getMessage(), e);
            }
            ProfileValidator.require(cert, profile, caCert, null, check);
        } else {
            // The general encoder, for what the template does not cover; it runs the profile validator itself.
            der = encoded(CertificateAssembler.sign(new CertificateTemplate(p.subject(), p.publicKey(), notBefore, notAfter, profile, null,
                    p.subjectAltNames(), serial, profile.carriesRevocationPointers() ? Publishing.pointers(publication, ca.name(), partition) : List.of()),
                    caCert, key, check));
        }
        return der;
    }
}
